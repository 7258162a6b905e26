// Issue 5's editor cases: the agents act inside the editor. A chat turn runs real tools on the embedded database
// (built from the workspace migrations) and the results go back to the model; proposals save as migrations;
// Optimize Query opens its rewrite as a diff; /rls lists the analyzer's findings; the tools serve other
// participants as languageModelTools.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import { startFakeAnthropic, reply, type FakeAnthropic } from '../../support/fake-anthropic';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { getApi, sendChat, waitFor } from './util';
import type { TestServices } from '../../../src/vscode/testApi';
import { recordingStream, spyOnParticipant, emptyChatContext, token, chatRequest } from './chat';

const KEY = 'sk-ant-editor-suite-agent-tools';
const GENERAL = 'database-engineer.database-engineer';
const QUERY = 'select id, title from public.documents where is_public = false order by created_at desc';


const toolResults = (body: any): Array<{ tool_use_id: string; content: string; is_error?: boolean }> =>
  body.messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content.filter((b: any) => b.type === 'tool_result') : []));

/** The actions after an answer: command links `[title](command:id?args)` in the streamed markdown. */
const actions = (stream: ReturnType<typeof recordingStream>): vscode.Command[] =>
  [...stream.text().matchAll(/\[([^\]]+)\]\(command:([\w.]+)\?([^)\s]+)\)/g)]
    .map((m) => ({ title: m[1]!, command: m[2]!, arguments: JSON.parse(decodeURIComponent(m[3]!)) as unknown[] }));

describe('agents act in the editor', function () {
  this.timeout(120_000);
  let api: TestServices;
  let fake: FakeAnthropic;
  const ws = () => vscode.workspace.workspaceFolders![0]!.uri;
  const migration = (name: string) => vscode.Uri.joinPath(ws(), 'supabase', 'migrations', name);

  before(async () => {
    api = await getApi();
    fake = await startFakeAnthropic({ apiKey: KEY });
    process.env['ANTHROPIC_BASE_URL'] = fake.url;
    await vscode.commands.executeCommand('databaseEngineer.setApiKey', KEY);
    await vscode.commands.executeCommand('databaseEngineer.useAgent', 'database-engineer');
  });

  after(async () => {
    delete process.env['ANTHROPIC_BASE_URL'];
    await vscode.commands.executeCommand('databaseEngineer.clearApiKey');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fake.close();
  });

  it('a chat turn runs get_schema and explain_query on the embedded database and sends the results back', async () => {
    fake.enqueue(
      reply.toolUse([
        { name: 'get_schema', input: { tables: ['documents'] }, id: 'toolu_schema' },
        { name: 'explain_query', input: { query: QUERY }, id: 'toolu_explain' },
      ], { text: 'Let me look at the table and the plan.' }),
      reply.text('The query scans `documents`; an index on (is_public, created_at) helps:\n\n```sql\ncreate index documents_private_idx on public.documents (created_at desc) where not is_public;\n```\n'),
    );
    const before = fake.requests.length;
    const stream = recordingStream();
    const result = await api.participants[GENERAL]!(await chatRequest('why is my private documents query slow?'), emptyChatContext, stream, token());
    assert.equal((result as vscode.ChatResult)?.errorDetails, undefined, JSON.stringify(result));

    const progress = stream.parts.filter((p) => p.kind === 'progress').map((p) => p.value as string);
    assert.ok(progress.some((p) => /Explaining the query on the embedded database/.test(p)), `progress: ${progress.join(' | ')}`);
    assert.ok(progress.some((p) => /schema/i.test(p)), `no get_schema progress: ${progress.join(' | ')}`);
    assert.match(stream.text(), /Let me look at the table and the plan\./);
    assert.match(stream.text(), /an index on \(is_public, created_at\) helps/);

    assert.equal(fake.requests.length - before, 2, 'one tool round, then the answer');
    const second = fake.requests.at(-1)!.body;
    const results = toolResults(second);
    const schema = results.find((r) => r.tool_use_id === 'toolu_schema');
    const plan = results.find((r) => r.tool_use_id === 'toolu_explain');
    assert.ok(schema && !schema.is_error, `get_schema result: ${JSON.stringify(schema)}`);
    assert.match(String(schema.content), /documents/);
    assert.match(String(schema.content), /is_public/);
    assert.ok(plan && !plan.is_error, `explain_query result: ${JSON.stringify(plan)}`);
    assert.match(String(plan.content), /Scan|Sort/, 'the plan names real plan nodes');
    assert.ok(second.tools.some((t: any) => t.name === 'explain_query'), 'the model was offered the tools');

    // A lasting record of the tools, then only the actions VS Code's code blocks do not already offer.
    assert.match(stream.text(), /\*Used: get_schema, explain_query\*/);
    assert.deepEqual(stream.parts.filter((p) => p.kind === 'button'), [], 'no stacked primary buttons');
    const commands = actions(stream).map((b) => b.title);
    assert.deepEqual(commands, ['Open in EXPLAIN panel'], `actions: ${commands.join(', ')}`);
    assert.match(stream.text(), /Open in EXPLAIN panel\]\([^)]*\): the plan of `select/, 'the action says which query it opens');

    // "Open in EXPLAIN panel" shows the very plan the agent's tool got, not the plan of a second EXPLAIN.
    const open = actions(stream).find((b) => b.title === 'Open in EXPLAIN panel')!;
    const [carried] = open.arguments as [{ query: string; plan: Array<{ 'Execution Time'?: number }> }];
    assert.equal(carried.query, QUERY);
    assert.ok(Array.isArray(carried.plan) && typeof carried.plan[0]?.['Execution Time'] === 'number', `the button carries the tool's EXPLAIN ANALYZE JSON: ${JSON.stringify(carried.plan)?.slice(0, 200)}`);
    const shown = await vscode.commands.executeCommand<{ ok: boolean }>(open.command, ...(open.arguments ?? []));
    assert.equal(shown?.ok, true, JSON.stringify(shown));
    const current = api.explainPanel.current;
    assert.ok(current?.type === 'show', `the panel shows a plan (${current?.type})`);
    assert.equal(current.plan.query, QUERY);
    assert.equal(current.plan.executionTime, carried.plan[0]!['Execution Time'], 'the same run: a new EXPLAIN ANALYZE would time differently');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Save as migration" writes the proposed SQL as a timestamped file in supabase/migrations', async () => {
    const sql = 'create index documents_owner_id_idx on public.documents (owner_id);';
    fake.enqueue(
      reply.toolUse([
        { name: 'read_file', input: { path: 'supabase/migrations/20240104000000_documents.sql', startLine: 1, endLine: 10 } },
        { name: 'propose_migration', input: { name: 'index_documents_owner_id', sql, description: 'Index the policy column.' } },
      ]),
      reply.text('I proposed a migration that indexes `documents.owner_id`.'),
    );
    const stream = recordingStream();
    await api.participants[GENERAL]!(await chatRequest('index what the documents policy filters on'), emptyChatContext, stream, token());
    // The file and lines the agent read are shown as a reference.
    const refs = stream.parts.filter((p) => p.kind === 'reference').map((p) => p.value);
    const read = refs.find((r): r is vscode.Location => r instanceof vscode.Location && r.uri.path.endsWith('20240104000000_documents.sql'));
    assert.ok(read, `references: ${JSON.stringify(refs)}`);
    assert.deepEqual([read.range.start.line, read.range.end.line], [0, 9]);
    const result = fake.requests.at(-1)!.body.messages.at(-1).content;
    assert.match(JSON.stringify(result), /Proposed migration supabase\/migrations\/\d{14}_index_documents_owner_id\.sql/);
    // It was run on a throwaway copy of the embedded database (the workspace's default) before being offered.
    assert.match(JSON.stringify(result), /Run on a throwaway copy of the embedded database \(built from the migrations\): every statement ran/);
    const save = actions(stream).find((b) => b.command === 'databaseEngineer.saveMigration');
    assert.ok(save, `no Save as migration action: ${stream.text()}`);
    assert.match(stream.text(), /Save as migration\]\([^)]*\): `supabase\/migrations\/\d{14}_index_documents_owner_id\.sql` \(ran on a copy of the embedded database\)/, 'it names the file it saves, and that it ran');
    const uri = await vscode.commands.executeCommand<vscode.Uri>(save.command, ...(save.arguments ?? []));
    try {
      assert.ok(uri, 'the command returns the file it wrote');
      assert.match(uri.fsPath, /supabase[\\/]migrations[\\/]\d{14}_index_documents_owner_id\.sql$/);
      const text = readFileSync(uri.fsPath, 'utf8');
      assert.ok(text.includes(sql), text);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath, 'the saved migration is opened');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      if (uri) rmSync(uri.fsPath, { force: true });
    }
  });

  it('a proposed migration the embedded database refuses says so beside Save as migration, its message kept as code', async () => {
    // A column that does not exist, named like a markdown link to one of the answer's enabled commands.
    const sql = 'create index documents_odd_idx on public.documents ("[x](command:databaseEngineer.saveMigration)");';
    fake.enqueue(
      reply.toolUse([{ name: 'propose_migration', input: { name: 'odd_index', sql } }]),
      reply.text('Proposed.'),
    );
    const stream = recordingStream();
    await api.participants[GENERAL]!(await chatRequest('index the odd column'), emptyChatContext, stream, token());
    const result = JSON.stringify(fake.requests.at(-1)!.body.messages.at(-1).content);
    assert.match(result, /1 statement was refused:\\nline 1: column \\"\[x\]\(command:databaseEngineer\.saveMigration\)\\" does not exist/);
    const text = stream.text();
    assert.match(text, /_odd_index\.sql` — the embedded database refused a statement: `line 1: column "\[x\]\(command:databaseEngineer\.saveMigration\)" does not exist`/);
    // Outside code spans the only command link is the real Save as migration (with its arguments): the name in the
    // message did not become a link of its own.
    assert.doesNotMatch(text.replace(/`[^`]*`/g, ''), /\(command:databaseEngineer\.saveMigration\)/, 'the message adds no link of its own');
    assert.equal(actions(stream).filter((b) => b.command === 'databaseEngineer.saveMigration').length, 1);
  });

  it('/rls on a migration lists the analyzer\'s rule ids, then asks the rls agent for a fix', async () => {
    const doc = await vscode.workspace.openTextDocument(migration('20240106000000_comments.sql'));
    await vscode.window.showTextDocument(doc);
    fake.enqueue(reply.text('Enable row level security on document_comments and add policies.'));
    const stream = recordingStream();
    await api.participants[GENERAL]!(await chatRequest('', { command: 'rls' }), emptyChatContext, stream, token());
    assert.match(stream.text(), /`rls-disabled`/);
    assert.match(stream.text(), /Enable row level security on document_comments/);
    const sent = fake.requests.at(-1)!.body;
    const user = JSON.stringify(sent.messages.at(-1));
    assert.match(user, /rls-disabled/, 'the findings reach the agent');
    assert.match(user, /create table/i, 'the open migration is attached');
    assert.match(JSON.stringify(sent.system), /row level security/i);
    assert.ok(sent.tools.some((t: any) => t.name === 'propose_migration'), 'the agent may propose the fix');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('/review honours a rule switched off in the editor settings', async () => {
    const lint = vscode.workspace.getConfiguration('databaseEngineer.lint');
    const doc = await vscode.workspace.openTextDocument(migration('20240106000000_comments.sql'));
    await vscode.window.showTextDocument(doc);
    const ruleShown = async () => { await api.diagnostics.whenIdle(); return vscode.languages.getDiagnostics(doc.uri).some((d) => typeof d.code === 'object' && d.code.value === 'rls-disabled'); };
    await waitFor('rls-disabled on the comments migration', ruleShown);
    await lint.update('rules', { 'rls-disabled': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('rls-disabled switched off in the editor', async () => !(await ruleShown()));
      fake.enqueue(reply.text('The migration looks fine otherwise.'));
      const stream = recordingStream();
      await api.participants[GENERAL]!(await chatRequest('', { command: 'review' }), emptyChatContext, stream, token());
      assert.match(stream.text(), /The migration looks fine otherwise\./);
      assert.doesNotMatch(stream.text(), /rls-disabled/, 'the listed findings are the editor\'s, settings included');
      assert.doesNotMatch(JSON.stringify(fake.requests.at(-1)!.body.messages.at(-1)), /rls-disabled/, 'nor do they reach the agent');
    } finally {
      await lint.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('/optimize in chat takes the statement at the cursor to the query-performance agent, and offers follow-ups', async () => {
    const file = vscode.Uri.joinPath(ws(), 'zz_agent_queries', 'cursor.sql');
    await vscode.workspace.fs.writeFile(file, Buffer.from(`-- a\n${QUERY};\n\nselect 1;\n`));
    try {
      const editor = await vscode.window.showTextDocument(file);
      editor.selection = new vscode.Selection(1, 10, 1, 10);
      fake.enqueue(reply.text('```sql\n-- rewritten\nselect 1\n```'));
      const stream = recordingStream();
      const result = await api.participants[GENERAL]!(await chatRequest('', { command: 'optimize' }), emptyChatContext, stream, token());
      const sent = fake.requests.at(-1)!.body;
      const user = JSON.stringify(sent.messages.at(-1));
      assert.ok(user.includes(QUERY), user);
      assert.ok(!user.includes('select 1;'), 'only the statement at the cursor is attached');
      assert.match(user, /-- rewritten/);
      assert.match(stream.text(), /Answered by \*\*Query Performance\*\*|query-performance/);
      const followups = await api.chatParticipants[GENERAL]!.followupProvider!.provideFollowups(result as vscode.ChatResult, emptyChatContext, token());
      assert.ok(followups?.some((f) => f.command === 'explain' || f.command === 'migration'), JSON.stringify(followups));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(ws(), 'zz_agent_queries'), { recursive: true });
    }
  });

  it('through the Chat view: @database-engineer /rls reaches the handler as the rls command', async () => {
    await vscode.window.showTextDocument(migration('20240107000000_billing.sql'));
    fake.enqueue(reply.text('Add a policy to billing_customers.'));
    const spy = spyOnParticipant(api.chatParticipants[GENERAL]!);
    try {
      const call = await sendChat('@database-engineer /rls check billing', () => spy.waitForCall((r) => r.prompt.includes('check billing')));
      assert.equal(call.error, undefined, String(call.error));
      assert.equal(call.request.command, 'rls');
      assert.match(call.stream.text(), /`rls-without-policy`/);
      assert.match(call.stream.text(), /Add a policy to billing_customers\./);
    } finally {
      spy.restore();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('Optimize Query opens the rewrite as a diff, and Accept applies it', async () => {
    const file = vscode.Uri.joinPath(ws(), 'zz_agent_queries', 'private_documents.sql');
    await vscode.workspace.fs.writeFile(file, Buffer.from(`-- private documents\n${QUERY};\n`));
    const rewritten = 'select id, title from public.documents where not is_public order by created_at desc limit 50';
    // The model ends its rewrite with a semicolon, as models do: the file must not end up with `;;`.
    fake.enqueue(reply.text(`Rewritten:\n\n\`\`\`sql\n-- rewritten\n${rewritten};\n\`\`\`\n\n\`\`\`sql\n-- indexes\ncreate index documents_private_idx on public.documents (created_at desc) where not is_public;\n\`\`\`\n`));
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, new vscode.Range(1, 3, 1, 3), vscode.CodeActionKind.RefactorRewrite.value);
      const action = actions.find((a) => a.title === 'Optimize query with @query-performance');
      assert.ok(action?.command, `code actions: ${actions.map((a) => a.title).join(', ')}`);
      const outcome = await vscode.commands.executeCommand<any>(action.command.command, ...(action.command.arguments ?? []));
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      assert.equal(outcome.rewritten.replace(/;$/, ''), rewritten, 'the rewrite takes the original statement\'s ending');
      assert.match(outcome.indexes, /create index documents_private_idx/);
      assert.equal(outcome.proposals.length, 1, 'the indexes are offered as a migration');
      assert.match(outcome.proposals[0].path, /supabase\/migrations\/\d{14}_index_documents_created_at\.sql/, 'named like a person would');
      const diffs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === outcome.proposed.toString());
      assert.equal(diffs.length, 1, 'one diff editor shows the rewrite');
      const proposed = await vscode.workspace.openTextDocument(outcome.proposed);
      assert.ok(proposed.getText().includes(rewritten), proposed.getText());
      assert.ok(proposed.getText().startsWith('-- private documents\n'), 'the rest of the file is unchanged');
      assert.equal(outcome.compared, true, 'before/after plans from the embedded database are compared');
      const shown = api.explainPanel.current;
      assert.equal(shown?.type, 'compare');
      // The EXPLAIN comparison's measurements: a warm-up dropped, then three runs of each, compared by medians.
      assert.deepEqual(shown.type === 'compare' && [shown.comparison.time.before.length, shown.comparison.time.after.length], [3, 3]);
      // The seed has thousands of private documents: the LIMIT makes this a different query, whatever its speed.
      assert.match(outcome.resultsDiffer ?? '', /^[\d,]+ rows → 50 rows$/, JSON.stringify(outcome));
      assert.match(shown.type === 'compare' ? shown.comparison.headline : '', /^Different results \([\d,]+ rows → 50 rows\): not the same query/);
      const sent = JSON.stringify(fake.requests.at(-1)!.body);
      assert.match(sent, /-- rewritten/, 'the fixed answer format is asked for');
      assert.match(sent, /query-performance|performance/i);

      assert.equal(await api.answerActions.accept(outcome.proposed), true);
      assert.equal(doc.getText(), `-- private documents\n${rewritten};\n`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(ws(), 'zz_agent_queries'), { recursive: true });
    }
  });

  it('Optimize Query with indexes only: before and after measured, after on a copy of the embedded database that has them', async () => {
    // One document of the seed's 20,000, found by a column nothing indexes yet.
    const query = "select id, updated_at from public.documents where title = 'Document 1234'";
    const file = vscode.Uri.joinPath(ws(), 'zz_agent_queries', 'by_title.sql');
    await vscode.workspace.fs.writeFile(file, Buffer.from(`${query};\n`));
    fake.enqueue(reply.text('No rewrite needed; index the filter column.\n\n```sql\n-- indexes\ncreate index documents_title_idx on public.documents (title);\n```\n'));
    try {
      await vscode.window.showTextDocument(file);
      const outcome = await vscode.commands.executeCommand<any>('databaseEngineer.optimizeQuery', file, new vscode.Range(0, 0, 0, query.length));
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      assert.equal(outcome.rewritten, undefined);
      assert.equal(outcome.proposals.length, 1, 'the index is offered as a migration');
      assert.equal(outcome.compared, true, 'the indexes were measured');
      const shown = api.explainPanel.current;
      assert.ok(shown?.type === 'compare', shown?.type);
      assert.equal(shown.afterLabel, 'With the proposed indexes');
      assert.match(shown.comparison.scans[0] ?? '', /^public\.documents: Seq Scan → (Bitmap Heap Scan|Index Scan using documents_title_idx)$/, JSON.stringify(shown.comparison));
      assert.equal(shown.comparison.resultsDiffer, null, 'an index returns the same rows');
      assert.equal(shown.comparison.time.verdict, 'faster', shown.comparison.time.text);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(ws(), 'zz_agent_queries'), { recursive: true });
    }
  });

  it('Optimize Query: a rewrite that keeps the plan is "no measurable change" in the EXPLAIN comparison', async () => {
    const file = vscode.Uri.joinPath(ws(), 'zz_agent_queries', 'same_plan.sql');
    await vscode.workspace.fs.writeFile(file, Buffer.from(`${QUERY};\n`));
    // The same query in other words: the plan cannot change, so neither may the verdict.
    const same = 'SELECT id, title FROM public.documents WHERE NOT is_public ORDER BY created_at DESC';
    fake.enqueue(reply.text(`\`\`\`sql\n-- rewritten\n${same};\n\`\`\`\n`));
    let outcome: any;
    try {
      await vscode.window.showTextDocument(file);
      outcome = await vscode.commands.executeCommand<any>('databaseEngineer.optimizeQuery', file, new vscode.Range(0, 0, 0, QUERY.length));
      assert.equal(outcome.compared, true, JSON.stringify(outcome));
      const shown = api.explainPanel.current;
      assert.ok(shown?.type === 'compare', shown?.type);
      assert.equal(shown.comparison.shapeChanged, false, JSON.stringify(shown.comparison));
      assert.equal(shown.comparison.time.verdict, 'no-change', shown.comparison.time.text);
      assert.equal(shown.comparison.headline, 'Same plan shape; no measurable change in time.');
    } finally {
      // Settle the proposed rewrite so no pending edit outlives the test.
      if (outcome?.proposed) await api.answerActions.accept(outcome.proposed);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(ws(), 'zz_agent_queries'), { recursive: true });
    }
  });

  it('Optimize Query is not offered on CREATE POLICY or CREATE TABLE', async () => {
    const file = vscode.Uri.joinPath(ws(), 'zz_agent_queries', 'ddl.sql');
    await vscode.workspace.fs.writeFile(file, Buffer.from('create table public.t (id bigint primary key);\ncreate policy p on public.t for select using (true);\nselect id from public.t;\n'));
    try {
      await vscode.window.showTextDocument(file);
      const titles = async (line: number) => ((await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, new vscode.Range(line, 3, line, 3), vscode.CodeActionKind.RefactorRewrite.value)) ?? []).map((a) => a.title);
      await waitFor('the Optimize Query action on the SELECT', async () => (await titles(2)).includes('Optimize query with @query-performance'));
      assert.ok(!(await titles(0)).includes('Optimize query with @query-performance'), 'not on CREATE TABLE');
      assert.ok(!(await titles(1)).includes('Optimize query with @query-performance'), 'not on CREATE POLICY');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(ws(), 'zz_agent_queries'), { recursive: true });
    }
  });

  it('Optimize Query is offered on a selected query in TypeScript, not without a selection', async () => {
    const file = vscode.Uri.joinPath(ws(), 'zz_agent_queries', 'docs.ts');
    await vscode.workspace.fs.writeFile(file, Buffer.from('export const docs = (db: any) => db.document.findMany({ where: { isPublic: false } });\n'));
    try {
      await vscode.window.showTextDocument(file);
      const titles = async (range: vscode.Range) => ((await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, range, vscode.CodeActionKind.RefactorRewrite.value)) ?? []).map((a) => a.title);
      // The TypeScript server may cancel the first requests while it loads the project: retry until one answers.
      await waitFor('the Optimize Query action on the selection', async () => (await titles(new vscode.Range(0, 33, 0, 85))).includes('Optimize query with @query-performance'));
      const empty = await waitFor('code actions at a cursor', () => titles(new vscode.Range(0, 40, 0, 40)));
      assert.ok(!empty.includes('Optimize query with @query-performance'), empty.join(', '));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(ws(), 'zz_agent_queries'), { recursive: true });
    }
  });

  it('the tools serve every participant: vscode.lm.invokeTool(dbe_get_schema) returns the schema', async () => {
    assert.ok(api.languageModelTools.includes('dbe_get_schema'), `registered: ${api.languageModelTools.join(', ')}`);
    const listed = vscode.lm.tools.map((t) => t.name);
    assert.ok(listed.includes('dbe_explain_query'), `vscode.lm.tools: ${listed.join(', ')}`);
    const result = await vscode.lm.invokeTool('dbe_get_schema', { input: { tables: ['documents'] }, toolInvocationToken: undefined }, token());
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(text, /documents/);
    assert.match(text, /owner_id/);
  });

  it('with provider "vscode", the chat\'s model drives the same tools (tool call → real result → answer)', async () => {
    const config = vscode.workspace.getConfiguration('databaseEngineer');
    await config.update('chat.provider', 'vscode', vscode.ConfigurationTarget.Workspace);
    try {
      const before = fake.requests.length;
      const stream = recordingStream();
      await api.participants[GENERAL]!(await chatRequest('CALL_TOOL get_schema {"tables":["documents"]}'), emptyChatContext, stream, token());
      const progress = stream.parts.filter((p) => p.kind === 'progress').map((p) => p.value as string);
      assert.ok(progress.some((p) => /Reading the schema of documents/.test(p)), `progress: ${progress.join(' | ')}`);
      assert.match(stream.text(), /dbe-test model got call_get_schema: .*documents/s);
      assert.match(stream.text(), /owner_id/, 'the real schema went back to the model');
      assert.equal(fake.requests.length, before, 'Anthropic is not called when the provider is vscode');
    } finally {
      await config.update('chat.provider', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('"Apply to file" opens a diff of the file with the SQL in place; Accept applies it', async () => {
    const file = vscode.Uri.joinPath(ws(), 'scratch.sql');
    await vscode.workspace.fs.writeFile(file, Buffer.from('-- first\nselect 1;\n-- last\n'));
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      const target = { uri: file.toString(), range: [1, 0, 1, 9] };
      const proposed = await vscode.commands.executeCommand<vscode.Uri>('databaseEngineer.applySql', 'select 2;', target);
      assert.equal(doc.getText(), '-- first\nselect 1;\n-- last\n', 'nothing changes before Accept');
      const diff = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === proposed.toString());
      assert.ok(diff, 'a diff editor opened');
      assert.equal((await vscode.workspace.openTextDocument(proposed)).getText(), '-- first\nselect 2;\n-- last\n');
      assert.equal(await vscode.commands.executeCommand('databaseEngineer.acceptProposedEdit', proposed), true);
      assert.equal(doc.getText(), '-- first\nselect 2;\n-- last\n');
      assert.equal(api.answerActions.pending.size, 0);

      // Insert at cursor puts the SQL where the cursor is.
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(2, 0, 2, 0);
      assert.equal(await vscode.commands.executeCommand('databaseEngineer.insertSql', 'select 3;\n'), true);
      assert.equal(doc.getText(), '-- first\nselect 2;\nselect 3;\n-- last\n');
      await doc.save();
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file);
    }
  });

  it('without a key, the chat\'s own language model answers through the same loop', async () => {
    await vscode.commands.executeCommand('databaseEngineer.clearApiKey');
    const saved = process.env['ANTHROPIC_API_KEY'];
    delete process.env['ANTHROPIC_API_KEY'];
    try {
      const before = fake.requests.length;
      const stream = recordingStream();
      await api.participants[GENERAL]!(await chatRequest('hello model'), emptyChatContext, stream, token());
      assert.match(stream.text(), /dbe-test model heard: .*hello model/s);
      assert.match(stream.text(), /Answered through/);
      assert.equal(fake.requests.length, before, 'Anthropic is not called without a key');
    } finally {
      if (saved !== undefined) process.env['ANTHROPIC_API_KEY'] = saved;
      await vscode.commands.executeCommand('databaseEngineer.setApiKey', KEY);
    }
  });
});

describe('agents act on a live connection', function () {
  this.timeout(120_000);
  let api: TestServices;
  let fake: FakeAnthropic;
  let pg: TestPostgres;

  before(async () => {
    api = await getApi();
    pg = await startPostgres();
    const su = await pg.superuser(pg.database);
    try {
      await su.query(`create table public.live_orders (id bigint primary key, total numeric not null); insert into live_orders select g, g * 1.5 from generate_series(1, 42) g; alter table live_orders owner to ${pg.user}`);
    } finally {
      await su.end();
    }
    fake = await startFakeAnthropic({ apiKey: KEY });
    process.env['ANTHROPIC_BASE_URL'] = fake.url;
    await vscode.commands.executeCommand('databaseEngineer.setApiKey', KEY);
    await vscode.commands.executeCommand('databaseEngineer.useAgent', 'database-engineer');
    const url = new URL(pg.url);
    url.password = '';
    await api.connections.activate({ id: 'test:live-agents', name: 'live-test', url: url.toString() }, pg.password);
  });

  after(async () => {
    await api.connections?.disconnect();
    delete process.env['ANTHROPIC_BASE_URL'];
    await vscode.commands.executeCommand('databaseEngineer.clearApiKey');
    await fake?.close();
    pg?.stop();
  });

  it('tools read the live catalog and rows; a write through run_query is refused', async () => {
    fake.enqueue(
      reply.toolUse([
        { name: 'get_schema', input: { tables: ['live_orders'] }, id: 'toolu_live_schema' },
        { name: 'run_query', input: { sql: 'select count(*) as n from live_orders' }, id: 'toolu_live_count' },
        { name: 'run_query', input: { sql: 'delete from live_orders' }, id: 'toolu_live_delete' },
      ]),
      reply.text('There are 42 orders.'),
    );
    const stream = recordingStream();
    await api.participants[GENERAL]!(await chatRequest('how many orders are there?'), emptyChatContext, stream, token());
    assert.match(stream.text(), /There are 42 orders\./);
    const progress = stream.parts.filter((p) => p.kind === 'progress').map((p) => p.value as string);
    assert.ok(progress.some((p) => /live-test/.test(p)), `progress names the connection: ${progress.join(' | ')}`);
    const results = toolResults(fake.requests.at(-1)!.body);
    const schema = results.find((r) => r.tool_use_id === 'toolu_live_schema')!;
    assert.match(String(schema.content), /live_orders/);
    assert.match(String(schema.content), /total/);
    const count = results.find((r) => r.tool_use_id === 'toolu_live_count')!;
    assert.ok(!count.is_error, String(count.content));
    assert.match(String(count.content), /42/);
    const del = results.find((r) => r.tool_use_id === 'toolu_live_delete')!;
    assert.equal(del.is_error, true, `a delete must not run: ${del.content}`);
    const su = await pg.superuser(pg.database);
    try {
      assert.equal((await su.query('select count(*)::int as n from live_orders')).rows[0].n, 42, 'no row was deleted');
    } finally {
      await su.end();
    }
    assert.ok(!JSON.stringify(fake.requests.map((r) => r.body)).includes(pg.password), 'the password never reaches the model');
  });
});
