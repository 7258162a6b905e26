// The RLS simulator in a real VS Code on the example project: the "Row Level Security" view and the CodeLens over the
// migrations show the same facts as `dbe rls --format json` run by the same build on the same folder.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getApi, ourExtension, waitFor } from './util';
import { token } from './chat';

interface Cell { role: string; command: string; rows: string; policies: string[] }
interface Table { table: string; rls: boolean; access: Cell[]; leaks: { kind: string; role: string; command: string; policy?: string }[]; policies?: { name: string; file?: string; line?: number }[] }
interface Report { tables: Table[] }
type Node = { kind: string; table?: Table; role?: string; cell?: Cell };
interface RlsApi {
  reports: { runs: number };
  tree: { getChildren(n?: Node): Promise<Node[]>; getTreeItem(n: Node): vscode.TreeItem };
  lenses: { facts(d: vscode.TextDocument): Promise<{ line: number; title: string; table: string }[]> };
}

const WHAT: Record<string, string> = { none: 'no rows', denied: 'refused', own: 'own rows', tenant: "own tenant's rows", all: 'all rows' };

function cli(root: string, cliPath: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cliPath, 'rls', root, '--format', 'json'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`dbe rls failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as Report);
    });
  });
}

describe('rls', function () {
  this.timeout(300000);

  it('the Row Level Security view and the CodeLens show what dbe rls reports', async () => {
    const ext = await ourExtension();
    const api = (await getApi()).rls as unknown as RlsApi;
    const root = vscode.workspace.workspaceFolders![0]!.uri;

    // The view: tables → roles → commands, the same levels and deciding policies, leaks marked.
    const tables = await waitFor('the RLS view to list tables', async () => {
      const nodes = await api.tree.getChildren();
      return nodes.length > 0 && nodes[0]!.kind === 'table' && nodes;
    }, { timeoutMs: 240000, intervalMs: 1000 });
    // After the view's simulation: the embedded database's snapshot is cached by then, so this run is quick.
    const report = await cli(root.fsPath, path.join(ext.extensionPath, 'dist', 'cli.js'));
    assert.deepEqual(tables.map((n) => n.table!.table), report.tables.map((t) => t.table));
    for (const tableNode of tables) {
      const expected = report.tables.find((t) => t.table === tableNode.table!.table)!;
      const item = api.tree.getTreeItem(tableNode);
      assert.equal(item.description, `${expected.rls ? 'RLS on' : 'RLS OFF'}${expected.leaks.length ? ` · ${expected.leaks.length} leak${expected.leaks.length === 1 ? '' : 's'}` : ''}`);
      for (const roleNode of await api.tree.getChildren(tableNode)) {
        for (const cellNode of await api.tree.getChildren(roleNode)) {
          const c = cellNode.cell!;
          const want = expected.access.find((x) => x.role === c.role && x.command === c.command)!;
          const desc = String(api.tree.getTreeItem(cellNode).description);
          assert.ok(desc.startsWith(`${want.rows}${want.policies.length ? ` — ${want.policies.join(', ')}` : ''}`), `${expected.table} ${c.role} ${c.command}: "${desc}" vs ${JSON.stringify(want)}`);
          const leaking = expected.leaks.some((l) => l.role === c.role && l.command === c.command);
          assert.equal(desc.includes('LEAK'), leaking, `${expected.table} ${c.role} ${c.command}: leak shown`);
        }
      }
    }

    // The CodeLens over the project_notes migration: what each policy allows, the leak first.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'supabase/migrations/20240116000000_project_notes.sql'));
    const facts = await api.lenses.facts(doc);
    const notes = report.tables.find((t) => t.table === 'public.project_notes')!;
    const expectedLenses = (notes.policies ?? []).map((p) => {
      const allows = notes.access.filter((c) => c.policies.includes(p.name) && c.rows !== 'none' && c.rows !== 'denied').map((c) => `${c.role}: ${c.command} ${WHAT[c.rows]}`);
      const leaks = [...new Set(notes.leaks.filter((l) => l.policy === p.name).map((l) => l.kind))];
      return { line: p.line! - 1, title: `${leaks.length ? `⚠ ${leaks.join(', ')} leak · ` : ''}${allows.join(' · ') || 'lets no row through in the simulation'}` };
    });
    const policyLenses = facts.filter((f) => !/^\s*alter table/i.test(doc.lineAt(f.line).text)).map((f) => ({ line: f.line, title: f.title }));
    assert.deepEqual(policyLenses, expectedLenses.sort((a, b) => a.line - b.line));
    assert.ok(policyLenses.some((l) => l.title === '⚠ cross-tenant leak · authenticated: select all rows'), JSON.stringify(policyLenses));
    // The editor's own CodeLens command returns the same titles.
    const lenses = await waitFor('the CodeLens', async () => {
      const ls = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return (ls ?? []).filter((l) => l.command?.command === 'databaseEngineer.rls.showMatrix').length >= facts.length && ls;
    }, { timeoutMs: 60000, intervalMs: 500 });
    assert.deepEqual(lenses.filter((l) => l.command?.command === 'databaseEngineer.rls.showMatrix').map((l) => l.command!.title).sort(), facts.map((f) => f.title).sort());
  });

  it('the check_rls tool answers from the view\'s report (run in a child process), not a second simulation in the extension host', async () => {
    const api = (await getApi()).rls as unknown as RlsApi;
    const runs = api.reports.runs;
    const result = await vscode.lm.invokeTool('dbe_check_rls', { input: { tables: ['project_notes'] }, toolInvocationToken: undefined }, token());
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(text, /public\.project_notes — RLS on/);
    assert.match(text, /LEAK cross-tenant — authenticated select, policy "Signed-in users can read notes"/);
    assert.doesNotMatch(text, /public\.projects —/);
    assert.equal(api.reports.runs, runs, 'no new simulation: the settled report was reused');
  });
});
