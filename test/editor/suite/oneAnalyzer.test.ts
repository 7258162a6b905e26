// One analyzer per folder: the diagnostics and the agents' tools read the same Project analyzer, so an unsaved edit
// in a migration reaches the lint_sql tool (through vscode.lm.invokeTool, as any participant calls it) exactly as it
// reaches the Problems view, and reverting the buffer takes it back out of both.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getApi, waitFor } from './util';
import { token } from './chat';

const REL = 'supabase/migrations/20240101000200_todos.sql';
const ADDED = '\ncreate table public.zz_unsaved_notes (id bigint generated always as identity primary key, body text);\n';

const ours = (uri: vscode.Uri, rule: string) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Database Engineer' && typeof d.code === 'object' && d.code.value === rule);

async function lintSqlTool(): Promise<string> {
  const result = await vscode.lm.invokeTool('dbe_lint_sql', { input: { files: [REL] }, toolInvocationToken: undefined }, token());
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('one analyzer for the editor and the agents', function () {
  this.timeout(90_000);
  const uri = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, REL);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revertAll').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('an unsaved edit in a migration is seen by lint_sql and by the diagnostics; a revert removes it from both', async () => {
    const api = await getApi();
    const disk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri()));
    const doc = await vscode.workspace.openTextDocument(uri());
    const editor = await vscode.window.showTextDocument(doc);
    await api.diagnostics.whenIdle();
    assert.doesNotMatch(await lintSqlTool(), /zz_unsaved_notes/, 'nothing about the table before the edit');

    await editor.edit((b) => b.insert(doc.lineAt(doc.lineCount - 1).range.end, ADDED));
    assert.ok(doc.isDirty, 'the edit stays unsaved');
    // The tool reads the buffer through the Project's overlay, right away: no save, no debounce to wait for.
    assert.match(await lintSqlTool(), /20240101000200_todos\.sql:\d+:\d+ \w+ \[rls-disabled\][^\n]*zz_unsaved_notes/);
    const line = doc.lineCount - 2;
    await waitFor('rls-disabled on the unsaved table in the Problems view', () => ours(uri(), 'rls-disabled').some((d) => d.range.start.line === line));
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri())), disk, 'the disk never saw the edit');

    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the buffer back to the saved text', () => !doc.isDirty && doc.getText() === disk);
    await waitFor('the finding gone from the Problems view after the revert', () => !ours(uri(), 'rls-disabled').some((d) => d.range.start.line === line));
    assert.doesNotMatch(await lintSqlTool(), /zz_unsaved_notes/, 'the tool is back to the saved text');
  });
});
