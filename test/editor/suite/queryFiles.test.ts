// Query files in a real VS Code: the project's .sql files outside the migrations and the SQL literals in its
// TypeScript are checked against the schema the migrations build as you type (unsaved text included), follow a
// migration that changes the schema, and a SQL file open outside the project still gets syntax checks.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync, rmSync } from 'node:fs';
import { getApi, waitFor } from './util';

const root = () => vscode.workspace.workspaceFolders![0]!.uri;
const at = (...p: string[]) => vscode.Uri.joinPath(root(), ...p);
const write = (uri: vscode.Uri, content: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));

/** Our diagnostics of `rule` on `uri`, once `accept` says they are what the test waits for. */
async function waitDiags(uri: vscode.Uri, rule: string, accept: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  const api = (await getApi()).diagnostics;
  return waitFor(what, async () => {
    await api.whenIdle();
    const ds = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Database Engineer' && typeof d.code === 'object' && d.code.value === rule);
    return accept(ds) && ds;
  });
}

const span = (d: vscode.Diagnostic) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

describe('query files and SQL in TypeScript', function () {
  this.timeout(90_000);
  const query = () => at('queries', 'documents_for_user.sql');
  const migration = () => at('supabase', 'migrations', '99990101000000_zz_flag.sql');
  const loose = join(tmpdir(), `dbe-loose-${process.pid}.sql`);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revertAll').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of [migration(), at('zz_query')]) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    rmSync(loose, { force: true });
  });

  it('an unknown column typed into a query file shows with its did-you-mean, unsaved, and goes when fixed', async () => {
    const doc = await vscode.workspace.openTextDocument(query());
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('select d.id, d.title'));
    assert.ok(line >= 0, 'the example query selects d.title');
    const title = new vscode.Range(line, 15, line, 20);
    assert.equal(doc.getText(title), 'title');
    await waitDiags(query(), 'unknown-reference', (ds) => ds.length === 0, 'no unknown names in the example query');

    assert.equal(await editor.edit((b) => b.replace(title, 'titel')), true);
    assert.ok(doc.isDirty);
    const [d] = await waitDiags(query(), 'unknown-reference', (ds) => ds.length === 1, 'unknown-reference on d.titel');
    assert.equal(d!.message, 'Column "titel" does not exist in "d"; did you mean "title"?');
    assert.deepEqual(span(d!), [line, 13, line, 20], 'the whole d.titel');
    assert.equal(d!.severity, vscode.DiagnosticSeverity.Error);

    assert.equal(await editor.edit((b) => b.replace(title, 'title')), true);
    await waitDiags(query(), 'unknown-reference', (ds) => ds.length === 0, 'the finding gone after the fix');
    await doc.save(); // the text it had: nothing stays dirty for the suites after this one
  });

  it('a migration that adds the column clears the query file\'s finding; removing it brings it back', async () => {
    const doc = await vscode.workspace.openTextDocument(query());
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('select d.id, d.title'));
    const typed = 'd.zz_flag, ';
    assert.equal(await editor.edit((b) => b.insert(new vscode.Position(line, 'select d.id, '.length), typed)), true);
    await waitDiags(query(), 'unknown-reference', (ds) => ds.length === 1 && /"zz_flag"/.test(ds[0]!.message), 'zz_flag unknown');

    await write(migration(), 'alter table public.documents add column zz_flag boolean;\n');
    await waitDiags(query(), 'unknown-reference', (ds) => ds.length === 0, 'zz_flag known once a migration adds it');
    await vscode.workspace.fs.delete(migration());
    await waitDiags(query(), 'unknown-reference', (ds) => ds.length === 1, 'zz_flag unknown again');
    assert.equal(await editor.edit((b) => b.delete(new vscode.Range(line, 'select d.id, '.length, line, 'select d.id, '.length + typed.length))), true);
    await waitDiags(query(), 'unknown-reference', (ds) => ds.length === 0, 'back to the saved query');
    await doc.save();
  });

  it('SQL in a TypeScript file: an unknown column and an unknown function at their .ts positions, as you type', async () => {
    const file = at('zz_query', 'repo.ts');
    await write(file, [
      "import { pool } from './db';",
      'export const mine = (id: string) => pool.query(`select id, titel',
      '  from public.documents where owner_id = ${id} and lenght(body) > 0`);',
      '',
    ].join('\n'));
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    const ds = await waitDiags(file, 'unknown-reference', (x) => x.length === 2, 'two unknown names in repo.ts');
    assert.deepEqual(ds.map((d) => [d.message, ...span(d)]), [
      ['Column "titel" does not exist in "documents"; did you mean "title"?', 1, 59, 1, 64],
      ['Function lenght() is neither built into PostgreSQL nor created by any migration or extension; did you mean length()?', 2, 51, 2, 57],
    ]);
    assert.equal(await editor.edit((b) => b.replace(new vscode.Range(1, 59, 1, 64), 'title')), true);
    await waitDiags(file, 'unknown-reference', (x) => x.length === 1, 'one left after fixing the column');
    await doc.save();
  });

  it('a SQL file open outside the project\'s folders gets syntax checks, and no schema checks', async () => {
    // A table without a key or RLS: the migration rules have nothing to say about a file outside the project.
    writeFileSync(loose, 'create table public.loose_t (id int);\nselect nope from nowhere where id = $1;\nselec 1;\n');
    const uri = vscode.Uri.file(loose);
    await vscode.window.showTextDocument(uri);
    const [d] = await waitDiags(uri, 'syntax-error', (ds) => ds.length === 1, 'the syntax error in the loose file');
    assert.deepEqual(span(d!).slice(0, 2), [2, 0]);
    assert.equal(vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Database Engineer').length, 1, 'no unknown-reference without a schema, and no migration rule');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
