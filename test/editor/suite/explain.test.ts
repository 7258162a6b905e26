// Explain Query / Explain Analyze Query in a real VS Code, as a newcomer uses them: no database running, a query
// selected in a .sql file, the plan from the embedded database (built from the workspace's migrations) in the
// EXPLAIN panel with an insight; then the same on a live PostgreSQL 15 the test starts; code actions; errors.
// The suite adds one migration (explain_events, 20,000 rows) to the workspace's migration folder and a query file
// of its own, and removes both at the end.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Client } from 'pg';
import { getApi, sleep, waitFor } from './util';
import type { TestServices } from '../../../src/vscode/testApi';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { SUPABASE_BOOTSTRAP_SQL } from '../../../src/core/db/supabaseBootstrap';
import type { PlanAnalysis } from '../../../src/core/plan/types';


const ALICE = '00000000-0000-0000-0000-0000000000a1';
const BOB = '00000000-0000-0000-0000-0000000000b2';

const MIGRATION = `create table public.explain_events (
  id bigint generated always as identity primary key,
  user_id uuid not null,
  kind text not null
);
create index explain_events_user_id_idx on public.explain_events (user_id);
alter table public.explain_events enable row level security;
create policy "own explain events" on public.explain_events for select to authenticated using ((select auth.uid()) = user_id);
grant select on public.explain_events to authenticated;
insert into public.explain_events (user_id, kind)
select case when g <= 5000 then '${ALICE}'::uuid else '${BOB}'::uuid end,
       case when g % 100 = 0 then 'purchase' else 'view' end
from generate_series(1, 20000) g;
`;

const QUERY_1 = `select id, kind from public.explain_events where kind = 'purchase'`;
const QUERY_2 = `select count(*) from public.explain_events where user_id = $1 and kind <> :kind`;
const BROKEN = `select count(*) from public.explain_events where kind = = 'x'`;
const QUERIES = `-- queries the EXPLAIN tests run\n${QUERY_1};\n\n${QUERY_2};\n\n${BROKEN};\n\nselect * from public.explain_events;\n`;

const root = () => vscode.workspace.workspaceFolders![0]!.uri;
let migrationUri: vscode.Uri;
const queriesUri = () => vscode.Uri.joinPath(root(), 'zz_explain', 'queries.sql');
let api: TestServices;

/** The range of `text` in the document (its first occurrence). */
function rangeOf(doc: vscode.TextDocument, text: string): vscode.Range {
  const at = doc.getText().indexOf(text);
  assert.ok(at >= 0, `"${text}" is in the document`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + text.length));
}

async function openQueries(): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(queriesUri());
  return vscode.window.showTextDocument(doc, { preview: false });
}

function shownPlan(): PlanAnalysis {
  const current = api.explainPanel.current;
  assert.ok(current && current.type === 'show', `the panel shows a plan (current: ${current?.type})`);
  return current.plan;
}

describe('EXPLAIN commands', function () {
  // The first Explain Analyze builds the embedded database (PGlite initdb + the migrations): tens of seconds here.
  this.timeout(240_000);

  before(async () => {
    api = await getApi();
    // The workspace's migration folder: the example's supabase/migrations, else the fallback workspace's migrations/.
    const supabase = vscode.Uri.joinPath(root(), 'supabase', 'migrations');
    const folder = fs.existsSync(supabase.fsPath) ? supabase : vscode.Uri.joinPath(root(), 'migrations');
    migrationUri = vscode.Uri.joinPath(folder, folder === supabase ? '99990101000000_explain_events.sql' : '9999_explain_events.sql');
    await vscode.workspace.fs.writeFile(migrationUri, new TextEncoder().encode(MIGRATION));
    await vscode.workspace.fs.writeFile(queriesUri(), new TextEncoder().encode(QUERIES));
    await api.connections.disconnect();
  });

  after(async () => {
    api.explainPanel.panel?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), 'zz_explain'), { recursive: true });
    await vscode.workspace.fs.delete(migrationUri);
  });

  it('the commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['databaseEngineer.explainQuery', 'databaseEngineer.explainAnalyzeQuery', 'databaseEngineer.explainAnalyzeQueryAs']) assert.ok(all.includes(c), c);
  });

  it('Explain Analyze Query on a selection: the embedded database, an analysed plan with an insight, in the panel', async () => {
    assert.equal(api.connections.target().database, 'embedded');
    const editor = await openQueries();
    const range = rangeOf(editor.document, QUERY_1);
    editor.selection = new vscode.Selection(range.start, range.end);
    const started = Date.now();
    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQuery');
    const last = api.explainCommands.last!;
    console.log(`[figures] first Explain Analyze (embedded, built=${last.built}): ${Date.now() - started} ms`);
    assert.equal(last.error, undefined, `no error: ${last.error}`);
    assert.equal(last.database, 'embedded');
    assert.equal(last.analyzed, true);
    assert.ok(last.notes!.some((n) => /Embedded database built from the migrations/.test(n)));
    const plan = shownPlan();
    assert.equal(plan.query, QUERY_1, 'the panel holds the selected text');
    assert.equal(plan.analyzed, true);
    assert.equal(plan.nodes[0]!.nodeType, 'Seq Scan');
    assert.equal(plan.nodes[0]!.rows.actual, 200);
    assert.ok(plan.insights.length >= 1, 'at least one insight');
    assert.equal(plan.insights[0]!.kind, 'seq-scan-filter');
    assert.match(plan.insights[0]!.sql ?? '', /CREATE INDEX CONCURRENTLY .* ON public\.explain_events \(kind\)/);
    assert.match(api.explainPanel.panel!.title, /^EXPLAIN ANALYZE · zz_explain\/queries\.sql:2$/);
    // The webview app loaded and asked for the plan.
    await waitFor('the panel app to say ready', () => api.explainPanel.messages.some((m) => m.type === 'ready'));

    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), queriesUri().toString(), 'the panel opened beside; the query keeps the focus');
    const again = Date.now();
    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQuery');
    console.log(`[figures] warm Explain Analyze (embedded): ${Date.now() - again} ms`);
    assert.equal(api.explainCommands.last!.error, undefined);
    assert.equal(api.explainCommands.last!.built, false, 'the second run reuses the open database');
  });

  it('the example project\'s own query: a plan from its migrations and seed, with an insight', async function () {
    const file = vscode.Uri.joinPath(root(), 'queries', 'documents_by_owner.sql');
    if (!fs.existsSync(file.fsPath)) this.skip(); // the fallback workspace has no example queries
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: false });
    const select = editor.document.getText().indexOf('select');
    editor.selection = new vscode.Selection(editor.document.positionAt(select + 2), editor.document.positionAt(select + 2));
    const started = Date.now();
    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQuery');
    console.log(`[figures] Explain Analyze of queries/documents_by_owner.sql (embedded): ${Date.now() - started} ms`);
    const last = api.explainCommands.last!;
    assert.equal(last.error, undefined, last.error);
    assert.equal(last.database, 'embedded');
    const plan = shownPlan();
    assert.match(plan.query ?? '', /from public\.documents/);
    assert.ok(plan.nodes.some((n) => n.relation === 'documents'), 'the plan reads documents');
    // Needs rows: the example's supabase/seed.sql must fill documents (as examples/supabase-app/supabase/seed.sql does).
    assert.ok(plan.insights.length >= 1, `at least one insight (documents has ${plan.nodes.find((n) => n.relation === 'documents')?.rows.actual ?? 0} matching rows; is the example seeded?)`);
  });

  it('Explain and Optimize Query take the same statement wherever the cursor is in it', async () => {
    const editor = await openQueries();
    const doc = editor.document;
    const q1 = rangeOf(doc, QUERY_1), q2 = rangeOf(doc, QUERY_2), last = rangeOf(doc, 'select * from public.explain_events');
    // Statements that parse as they stand (the code actions are offered there; QUERY_2's `:kind` is bound at run time).
    const positions = [q1.start, q1.start.translate(0, 10), q1.end, q1.end.translate(0, 1), last.start.translate(0, 3), last.end];
    const argsOf = async (pos: vscode.Position, kind: string, title: string) => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(pos, pos), kind);
      const action = actions.find((a) => a.title === title);
      assert.ok(action?.command?.arguments, `${title} at ${pos.line}:${pos.character}: ${actions.map((a) => a.title).join(', ')}`);
      return action.command.arguments[1] as vscode.Range;
    };
    for (const pos of positions) {
      const explained = await argsOf(pos, 'databaseEngineer.explain', 'Explain query');
      const optimized = await argsOf(pos, vscode.CodeActionKind.RefactorRewrite.value, 'Optimize query with @query-performance');
      const where = `at ${pos.line}:${pos.character}`;
      assert.equal(doc.getText(explained).replace(/;$/, ''), doc.getText(optimized), where);
      const picked = await api.statementAt(doc, pos);
      assert.ok(picked && picked.range.isEqual(explained) && picked.body.isEqual(optimized), where);
    }
    // With placeholders too: the Explain command and Optimize Query at a cursor in QUERY_2 take QUERY_2.
    const inQ2 = q2.start.translate(0, 30);
    assert.equal(doc.getText(await argsOf(inQ2, vscode.CodeActionKind.RefactorRewrite.value, 'Optimize query with @query-performance')), QUERY_2);
    editor.selection = new vscode.Selection(inQ2, inQ2);
    await vscode.commands.executeCommand('databaseEngineer.explainQuery', { params: { 1: ALICE, kind: 'view' } });
    assert.equal(api.explainCommands.last!.query, `${QUERY_2};`, api.explainCommands.last!.error);
  });

  it('Explain Query with no selection explains the statement under the cursor', async () => {
    const editor = await openQueries();
    const range = rangeOf(editor.document, QUERY_1);
    const inside = range.start.translate(0, 10);
    editor.selection = new vscode.Selection(inside, inside);
    await vscode.commands.executeCommand('databaseEngineer.explainQuery');
    assert.equal(api.explainCommands.last!.error, undefined, api.explainCommands.last!.error);
    const plan = shownPlan();
    assert.equal(plan.analyzed, false);
    assert.equal(plan.query, `${QUERY_1};`, 'the whole statement, found by the analyzer\'s statement ranges');
    // The cursor just after the `;` still means that statement.
    const after = range.end.translate(0, 1);
    editor.selection = new vscode.Selection(after, after);
    await vscode.commands.executeCommand('databaseEngineer.explainQuery');
    assert.equal(shownPlan().query, `${QUERY_1};`);
  });

  it('in a one-statement file, Explain works from anywhere: the comment above it, the empty last line', async () => {
    const file = vscode.Uri.joinPath(root(), 'zz_one_statement.sql');
    await vscode.workspace.fs.writeFile(file, Buffer.from('-- recent public documents\nselect id from public.documents where is_public;\n\n'));
    try {
      const editor = await vscode.window.showTextDocument(file);
      for (const pos of [new vscode.Position(3, 0), new vscode.Position(0, 5)]) {
        editor.selection = new vscode.Selection(pos, pos);
        await vscode.commands.executeCommand('databaseEngineer.explainQuery');
        assert.equal(api.explainCommands.last!.error, undefined, `at ${pos.line}:${pos.character}: ${api.explainCommands.last!.error}`);
        assert.equal(shownPlan().query, 'select id from public.documents where is_public;');
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file);
    }
  });

  it('placeholders and run-as: values bound, row counts filtered by RLS', async () => {
    const editor = await openQueries();
    const range = rangeOf(editor.document, QUERY_2);
    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQuery', editor.document.uri, range, { params: { 1: ALICE, kind: 'none' } });
    assert.equal(api.explainCommands.last!.error, undefined, api.explainCommands.last!.error);
    const scan = () => shownPlan().nodes.find((n) => /Scan/.test(n.nodeType))!;
    assert.equal(scan().rows.actual, 5000);

    const all = rangeOf(editor.document, 'select * from public.explain_events');
    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQueryAs', editor.document.uri, all, { params: {}, runAs: { role: 'authenticated', claims: { sub: BOB } } });
    assert.equal(api.explainCommands.last!.error, undefined, api.explainCommands.last!.error);
    assert.equal(scan().rows.actual, 15000, 'Bob sees his 15,000 rows');
    assert.ok(api.explainCommands.last!.notes!.some((n) => /Ran as role authenticated/.test(n)));

    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQueryAs', editor.document.uri, all, { params: {}, runAs: { role: 'no_such_role', claims: {} } });
    assert.equal(api.explainCommands.last!.errorKind, 'unknown-role');
    assert.match(api.explainCommands.last!.error!, /The role "no_such_role" does not exist/);
  });

  it('Explain Analyze Query as…: the role picked and the claims offered (a fresh sub) apply', async () => {
    const editor = await openQueries();
    const all = rangeOf(editor.document, 'select * from public.explain_events');
    editor.selection = new vscode.Selection(all.start, all.end);
    let settled = false;
    const done = Promise.resolve(vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQueryAs')).finally(() => { settled = true; });
    // Accept the first role (authenticated), then the claims box as offered, as a user pressing Enter twice would.
    for (let i = 0; i < 80 && !settled; i++) {
      await sleep(250);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    await done;
    const last = api.explainCommands.last!;
    assert.equal(last.error, undefined, last.error);
    assert.equal(last.mode, 'analyzeAs');
    assert.ok(last.notes!.some((n) => /Ran as role authenticated with the given JWT claims/.test(n)), last.notes!.join('; '));
    assert.equal(shownPlan().nodes.find((n) => /Scan/.test(n.nodeType))!.rows.actual, 0, 'a new user (random sub) sees no rows');
  });

  it('code actions "Explain query" and "Explain analyze query" on a statement (not on DDL)', async () => {
    const editor = await openQueries();
    const range = rangeOf(editor.document, QUERY_1);
    const cursor = new vscode.Range(range.start.translate(0, 3), range.start.translate(0, 3));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, cursor);
    const ours = actions.filter((a) => a.kind?.value === 'databaseEngineer.explain');
    assert.deepEqual(ours.map((a) => a.title), ['Explain query', 'Explain analyze query']);
    assert.ok(!ours.some((a) => a.kind?.contains(vscode.CodeActionKind.QuickFix)), 'not quick fixes');
    // Running the action's command explains that statement.
    api.explainPanel.panel?.dispose();
    const cmd = ours[0]!.command!;
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    assert.equal(api.explainCommands.last!.error, undefined);
    assert.equal(shownPlan().query, `${QUERY_1};`);
    assert.ok(api.explainPanel.panel, 'the panel is open again');

    const migration = await vscode.workspace.openTextDocument(migrationUri);
    const onDdl = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', migration.uri, new vscode.Range(0, 3, 0, 3));
    assert.equal(onDdl.filter((a) => a.kind?.value === 'databaseEngineer.explain').length, 0);
  });

  it('a syntax error: a message with the position, the cursor moved there, no panel', async () => {
    api.explainPanel.panel?.dispose();
    const editor = await openQueries();
    const range = rangeOf(editor.document, BROKEN);
    const inside = range.start.translate(0, 2);
    editor.selection = new vscode.Selection(inside, inside);
    await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQuery');
    const last = api.explainCommands.last!;
    assert.equal(last.errorKind, 'syntax');
    const col = BROKEN.indexOf('= =') + 2;
    const line = range.start.line;
    assert.match(last.error!, new RegExp(`^Syntax error in zz_explain/queries\\.sql at line ${line + 1}, column ${col + 1}: syntax error at or near "="$`));
    assert.ok(last.errorPosition!.isEqual(new vscode.Position(line, col)));
    assert.ok(editor.selection.active.isEqual(new vscode.Position(line, col)), 'the cursor is at the error');
    // The panel shows the parser's message instead of the previous plan; the editor marks the position.
    const shown = api.explainPanel.current;
    assert.ok(shown?.type === 'error', `the panel shows the error (current: ${shown?.type})`);
    assert.match(shown.message, /syntax error at or near "="/);
    const marks = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'EXPLAIN');
    assert.equal(marks.length, 1);
    assert.ok(marks[0]!.range.start.isEqual(new vscode.Position(line, col)));
  });

  it('migration statements the embedded database refused: listed with file:line, and named when a query needs them', async () => {
    const name = migrationUri.path.includes('/supabase/') ? '99990102000000_explain_broken.sql' : '9999_zz_explain_broken.sql';
    const broken = vscode.Uri.joinPath(migrationUri, '..', name);
    await vscode.workspace.fs.writeFile(broken, new TextEncoder().encode('-- refers to a table that does not exist\ncreate table public.explain_broken (id int references public.no_such_table (id));\n'));
    try {
      const editor = await openQueries();
      const all = rangeOf(editor.document, 'select * from public.explain_events');
      await vscode.commands.executeCommand('databaseEngineer.explainQuery', editor.document.uri, all, { params: {} });
      assert.equal(api.explainCommands.last!.error, undefined, api.explainCommands.last!.error);
      assert.equal(api.explainCommands.last!.built, true, 'a changed migration rebuilds the embedded database');
      const rel = vscode.workspace.asRelativePath(broken);
      assert.ok(api.explainCommands.shownIssues.some((l) => l.startsWith(`${rel}:2: relation "public.no_such_table" does not exist`)), api.explainCommands.shownIssues.join('; '));

      await vscode.commands.executeCommand('databaseEngineer.explainQuery', editor.document.uri, all, { params: {} });
      await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), 'select * from public.explain_broken;\n'));
      const needs = rangeOf(editor.document, 'select * from public.explain_broken');
      await vscode.commands.executeCommand('databaseEngineer.explainQuery', editor.document.uri, needs, { params: {} });
      const last = api.explainCommands.last!;
      assert.equal(last.errorKind, 'server');
      assert.match(last.error!, /relation "public\.explain_broken" does not exist — the embedded database could not apply 1 migration statement \(first: .*explain_broken\.sql:2\)/);
    } finally {
      await vscode.workspace.fs.delete(broken);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  describe('on a live PostgreSQL 15', () => {
    let pg: TestPostgres | undefined;
    before(async () => {
      pg = await startPostgres();
      const admin = await pg.superuser(pg.database);
      try {
        await admin.query(SUPABASE_BOOTSTRAP_SQL);
        await admin.query(`grant anon, authenticated, service_role to ${pg.user}`);
      } finally {
        await admin.end();
      }
      const c = new Client({ connectionString: pg.url });
      await c.connect();
      try {
        await c.query(MIGRATION);
        await c.query('analyze public.explain_events');
      } finally {
        await c.end();
      }
      await api.connections.activate({ id: 'explain-test', name: 'explain test', host: pg.host, port: pg.port, database: pg.database, user: pg.user }, pg.password);
    });
    after(async () => {
      await api.connections.disconnect();
      pg?.stop();
    });

    it('Explain Analyze Query runs on the server, with the same insight', async () => {
      assert.equal(api.connections.target().database, 'live');
      const editor = await openQueries();
      const range = rangeOf(editor.document, QUERY_1);
      editor.selection = new vscode.Selection(range.start, range.end);
      const started = Date.now();
      await vscode.commands.executeCommand('databaseEngineer.explainAnalyzeQuery');
      console.log(`[figures] Explain Analyze (live PostgreSQL 15, first on the connection): ${Date.now() - started} ms`);
      const last = api.explainCommands.last!;
      assert.equal(last.error, undefined, last.error);
      assert.equal(last.database, 'live');
      const plan = shownPlan();
      assert.equal(plan.query, QUERY_1);
      assert.equal(plan.analyzed, true);
      assert.equal(plan.nodes[0]!.rows.actual, 200);
      assert.equal(plan.insights[0]?.kind, 'seq-scan-filter');
    });

    it('an unreachable server gives the connection error', async () => {
      await api.connections.activate({ id: 'explain-dead', name: 'dead', host: '127.0.0.1', port: 1, database: 'x', user: 'x' }, 'x');
      const editor = await openQueries();
      const range = rangeOf(editor.document, QUERY_1);
      editor.selection = new vscode.Selection(range.start, range.end);
      await vscode.commands.executeCommand('databaseEngineer.explainQuery');
      const last = api.explainCommands.last!;
      assert.match(last.errorKind ?? '', /^connect:/);
      assert.match(last.error!, /Nothing is listening at 127\.0\.0\.1:1/);
    });
  });
});
