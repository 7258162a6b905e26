// The EXPLAIN panel in a real VS Code, as a newcomer meets it on the example project: it opens beside the query and
// leaves the focus there, says where the plan ran, puts the advice and its fix first, shows no false alarm on the
// README's first query, lays out at 400, 700 and 1200 px (checked in the webview's DOM, with screenshots), acts on
// fixes, asks @query-performance with the plan attached, comes back after a reload, and shows a failed EXPLAIN.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getApi, waitFor } from './util';
import type { TestServices } from '../../../src/vscode/testApi';
import type { HostToWebview } from '../../../src/core/plan/protocol';
import type { PlanAnalysis } from '../../../src/core/plan/types';
import { rankInsights } from '../../../src/core/plan/advice';

const root = () => vscode.workspace.workspaceFolders![0]!.uri;
const firstQuery = () => vscode.Uri.joinPath(root(), 'queries', 'documents_for_user.sql');
const scratch = () => vscode.Uri.joinPath(root(), 'zz_panel');
let api: TestServices;
/** Screenshots go to $DBE_SCREENS (kept) or a temp folder. */
const shots = process.env['DBE_SCREENS'] || fs.mkdtempSync(path.join(os.tmpdir(), 'dbe-panel-shots-'));

function shown(): PlanAnalysis {
  const c = api.explainPanel.current;
  assert.ok(c?.type === 'show', `the panel shows a plan (current: ${c?.type}${c?.type === 'error' ? `: ${c.message}` : ''})`);
  return c.plan;
}

const editorOf = (uri: vscode.Uri) => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());

interface ProbeResult {
  panelWidth: number | null;
  error: string | null;
  checks: {
    width: number; overlaps: string[]; rows: { id: number; title: string | null; text: string }[]; clippedTimes: number;
    detailsBelowTree: boolean | null; adviceAboveViews: boolean | null; context: string | null;
  } | null;
}

/** Asks the launcher (scripts/editor/launcher.mjs) to size the panel, check its layout and take a screenshot. */
async function probe(width: number, name: string): Promise<ProbeResult> {
  const out = path.join(os.tmpdir(), `dbe-probe-${process.pid}-${name}.json`);
  fs.rmSync(out, { force: true });
  // Notifications from earlier tests would cover the panel in the screenshot.
  await vscode.commands.executeCommand('notifications.clearAll');
  console.log(`[dbe:probe] ${JSON.stringify({ width, out, shot: path.join(shots, `panel-${name}.png`) })}`);
  await waitFor(`the launcher's probe at ${width} px`, () => fs.existsSync(out), { timeoutMs: 60_000, intervalMs: 250 });
  await new Promise((r) => setTimeout(r, 100));
  return JSON.parse(fs.readFileSync(out, 'utf8')) as ProbeResult;
}

describe('EXPLAIN panel', function () {
  this.timeout(300_000);

  before(async function () {
    if (!fs.existsSync(firstQuery().fsPath)) this.skip(); // the fallback workspace has no example queries
    api = await getApi();
    await api.connections.disconnect();
    await vscode.workspace.fs.createDirectory(scratch());
  });

  after(async () => {
    api?.explainPanel.panel?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (api) await vscode.workspace.fs.delete(scratch(), { recursive: true });
  });

  it('the README\'s first query: beside the query with the focus kept, where it ran, the insight first, no false alarm', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(firstQuery()), { preview: false, viewColumn: vscode.ViewColumn.One });
    const at = editor.document.positionAt(editor.document.getText().indexOf('select') + 3);
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQuery');
    assert.equal(api.explainCommands.last!.error, undefined, api.explainCommands.last!.error);
    const plan = shown();
    // Advice: the sequential scan's index, ranked first; the top-N sort under LIMIT 20 is not flagged.
    const top = rankInsights(plan)[0]!;
    assert.equal(top.insight.kind, 'seq-scan-filter');
    assert.match(top.insight.sql ?? '', /CREATE INDEX CONCURRENTLY documents_owner_id_idx ON public\.documents \(owner_id\)/);
    const sort = plan.nodes.find((n) => n.nodeType === 'Sort')!;
    assert.equal(sort.rows.misestimated, false);
    assert.match(sort.rows.stopsEarly ?? '', /Limit/);
    // Where it ran.
    const c = api.explainPanel.current as Extract<HostToWebview, { type: 'show' }>;
    assert.equal(c.context?.source, 'embedded');
    assert.match(c.context!.where, /^Embedded database built from supabase\/migrations \(\d+ migrations\), with seed data from supabase\/seed\.sql/);
    assert.equal(c.context!.analyzed, true);
    // Beside the query, never over it; the query keeps the focus.
    await waitFor('the panel app to say ready', () => api.explainPanel.messages.some((m) => m.type === 'ready'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), firstQuery().toString());
    assert.notEqual(api.explainPanel.panel!.viewColumn, editorOf(firstQuery())!.viewColumn);
  });

  it('a second Explain while the panel has the focus does not open the query over the panel', async () => {
    api.explainPanel.panel!.reveal(undefined, false);
    await waitFor('the panel to be active', () => api.explainPanel.panel!.active);
    const doc = await vscode.workspace.openTextDocument(firstQuery());
    const at = doc.positionAt(doc.getText().indexOf('select') + 3);
    await vscode.commands.executeCommand('databaseEngineer.explainQuery', firstQuery(), new vscode.Range(at, at), { params: {} });
    assert.equal(api.explainCommands.last!.error, undefined, api.explainCommands.last!.error);
    const editor = editorOf(firstQuery());
    assert.ok(editor, 'the query is visible');
    assert.notEqual(editor.viewColumn, api.explainPanel.panel!.viewColumn, 'the query and the panel are in different groups');
    assert.ok(api.explainPanel.panel!.visible, 'the panel is still visible');
    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQuery', firstQuery(), new vscode.Range(at, at), { params: {} });
    shown();
  });

  it('at 400, 700 and 1200 px: no overlapping toolbars, full labels, times not clipped, advice first, details below when narrow', async () => {
    const plan = shown();
    // Probe the panel as the user sees it: in view (a webview that is not visible has no content to measure).
    api.explainPanel.panel!.reveal(undefined, true);
    await waitFor('the panel visible', async () => api.explainPanel.panel?.visible === true);
    await new Promise((r) => setTimeout(r, 500));
    for (const width of [400, 700, 1200]) {
      const r = await probe(width, String(width));
      assert.equal(r.error, null, `probe at ${width}: ${r.error}`);
      const k = r.checks!;
      assert.ok(Math.abs(k.width - width) <= 3, `the panel is ${k.width} px wide, asked ${width}`);
      assert.deepEqual(k.overlaps, [], `${width} px: overlaps`);
      assert.ok(k.rows.length >= plan.nodes.length, `${width} px: all ${plan.nodes.length} rows are shown`);
      for (const row of k.rows) assert.equal(row.title, plan.nodes[row.id]!.label, `${width} px: row ${row.id} has its full label`);
      assert.equal(k.clippedTimes, 0, `${width} px: no clipped times`);
      assert.equal(k.adviceAboveViews, true, `${width} px: advice first`);
      assert.equal(k.detailsBelowTree, width < 760, `${width} px: details ${width < 760 ? 'below' : 'beside'} the tree`);
      assert.match(k.context ?? '', /Embedded database built from supabase\/migrations/);
      console.log(`[figures] panel screenshot at ${width} px: ${path.join(shots, `panel-${width}.png`)}`);
    }
  });

  it('fix actions: Copy, Insert at the cursor, Save as migration (timestamped, in the project\'s migration folder)', async () => {
    const plan = shown();
    const index = plan.insights.findIndex((i) => i.kind === 'seq-scan-filter');
    const sql = plan.insights[index]!.sql!;
    await api.explainPanel.receive({ type: 'fix', action: 'copy', insight: index });
    assert.equal(await vscode.env.clipboard.readText(), sql);

    await api.explainPanel.receive({ type: 'fix', action: 'migration', insight: index });
    const saved = api.explainPanel.lastSavedUri!;
    assert.match(vscode.workspace.asRelativePath(saved), /^supabase\/migrations\/\d{14}_add_documents_owner_id_idx\.sql$/);
    assert.ok(fs.readFileSync(saved.fsPath, 'utf8').includes(sql));
    fs.rmSync(saved.fsPath);

    const copy = vscode.Uri.joinPath(scratch(), 'insert.sql');
    await vscode.workspace.fs.writeFile(copy, new TextEncoder().encode(fs.readFileSync(firstQuery().fsPath, 'utf8')));
    const editor = await vscode.window.showTextDocument(copy, { viewColumn: vscode.ViewColumn.One });
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const at = editor.document.positionAt(editor.document.getText().indexOf('select') + 3);
    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQuery', copy, new vscode.Range(at, at), { params: {} });
    const before = editor.document.getText();
    await api.explainPanel.receive({ type: 'fix', action: 'insert', insight: shown().insights.findIndex((i) => i.kind === 'seq-scan-filter') });
    assert.equal(editor.document.getText().length > before.length, true, 'the SQL was inserted');
    assert.ok(editor.document.getText().includes(sql));
    await editor.document.save();
  });

  it('Ask @query-performance: a short prompt about the worst node, the plan attached as a file', async () => {
    const plan = shown();
    await api.explainPanel.receive({ type: 'ask', nodeId: null });
    const q = api.explainPanel.lastChatQuery!;
    assert.match(q, /^@query-performance /);
    const scan = plan.nodes.find((n) => n.nodeType === 'Seq Scan' && n.relation === 'documents')!;
    assert.ok(q.includes(`Node #${scan.id} (${scan.label})`), q);
    assert.ok(q.length < 400, `short: ${q.length} characters`);
    const attached = fs.readFileSync(api.explainPanel.lastChatAttachment!.fsPath, 'utf8');
    assert.ok(attached.includes('"Node Type"'));
  });

  it('after a reload the panel comes back with its plan (the serializer\'s path, or the workspace state when the webview\'s was lost); a plan too large to keep says so', async () => {
    const saved = api.explainPanel.current!;
    (api.explainPanel.messages as unknown[]).length = 0;
    api.explainPanel.restore({ message: saved });
    await waitFor('the restored panel to ask for its plan', () => api.explainPanel.messages.some((m) => m.type === 'ready'), { timeoutMs: 60_000 });
    assert.equal(api.explainPanel.current?.type, 'show');
    assert.equal((api.explainPanel.current as { title: string }).title, (saved as { title: string }).title);
    const r = await probe(700, 'restored');
    assert.equal(r.error, null, r.error ?? '');
    assert.ok(r.checks!.rows.length > 0, 'the restored panel renders the plan');
    // The webview's state can be lost (a browser reload cuts VS Code's last layout save off): the workspace state
    // kept the plan too.
    api.explainPanel.restore({});
    assert.equal(api.explainPanel.current?.type, 'show');
    assert.equal((api.explainPanel.current as { title: string }).title, (saved as { title: string }).title);
    // A plan too large to keep: neither keeps it, and the restored panel says so.
    const scans = Array.from({ length: 5_001 }, (_, i) => ({ 'Node Type': 'Seq Scan', 'Relation Name': `t${i}`, 'Startup Cost': 0, 'Total Cost': 1, 'Plan Rows': 1, 'Plan Width': 4 }));
    const big = await api.explainPanel.show([{ Plan: { 'Node Type': 'Append', 'Startup Cost': 0, 'Total Cost': 5001, 'Plan Rows': 5001, 'Plan Width': 4, Plans: scans } }], { title: 'a big plan' });
    assert.equal(big.ok, true);
    api.explainPanel.restore({});
    assert.equal(api.explainPanel.current?.type, 'error');
    assert.match((api.explainPanel.current as { message: string }).message, /too large to keep across a window reload/);
  });

  it('a text plan as psql prints it, pasted from the clipboard, opens in the panel', async () => {
    await vscode.env.clipboard.writeText(' QUERY PLAN\n------\n Limit  (cost=0.00..1.00 rows=20 width=8) (actual time=0.01..0.20 rows=20 loops=1)\n   ->  Seq Scan on public.documents d  (cost=0.00..800.00 rows=20000 width=8) (actual time=0.01..0.10 rows=20 loops=1)\n Execution Time: 0.3 ms\n(3 rows)\n');
    await vscode.commands.executeCommand('databaseEngineer.pastePlan');
    const plan = shown();
    assert.deepEqual(plan.nodes.map((n) => n.label), ['Limit', 'Seq Scan on public.documents d']);
    assert.equal(plan.nodes[1]!.rows.misestimated, false, 'under a Limit');
  });

  it('a typo: the server\'s message in the panel and a diagnostic on the word', async () => {
    const file = vscode.Uri.joinPath(scratch(), 'typo.sql');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('-- a typo\nselect id, titel\nfrom public.documents;\n'));
    const editor = await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.One });
    editor.selection = new vscode.Selection(1, 3, 1, 3);
    await vscode.commands.executeCommand('databaseEngineer.explainQuery');
    const c = api.explainPanel.current!;
    assert.equal(c.type, 'error');
    assert.match((c as { message: string }).message, /column "titel" does not exist/);
    const marks = vscode.languages.getDiagnostics(file).filter((d) => d.source === 'EXPLAIN');
    assert.equal(marks.length, 1);
    assert.equal(editor.document.getText(marks[0]!.range), 'titel');
    await probe(700, 'error');
  });
});
