// The conversation loop with tools: the real SDK against the fake Messages API, tools running for real on
// PostgreSQL 15 and the embedded database; assertions on what the model was sent back.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAnthropic, reply, type FakeAnthropic, type RecordedRequest } from '../../support/fake-anthropic';
import { makeAgent } from '../../support/hand-made-agents';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { createChatClient } from '../../../src/core/chat/client';
import { buildProjectContext, detectStack } from '../../../src/core/chat/projectContext';
import { connect, type LiveConnection } from '../../../src/core/db/connect';
import { EmbeddedService } from '../../../src/core/db/embeddedService';
import type { ToolCallEvent } from '../../../src/core/tools';
import { projectContextFor, runAgentTurn } from '../../../src/core/chat/agentTurn';
import { embeddedDatabase, liveDatabase, type Database } from '../../../src/core/db/database';
import { makeWorkspace, toolContext, MIGRATION, SLOW_QUERY } from '../tools/workspace';

const KEY = 'sk-ant-test-agent-turn-KEY-0123456789';
const PROMPT = 'You are the query performance specialist. Measure before you recommend.';
const agent = makeAgent({ id: 'query-performance', prompt: PROMPT, modelId: 'claude-sonnet-4-6' });

let fake: FakeAnthropic;
let pg: TestPostgres;
let conn: LiveConnection;
let live: Database;
let service: EmbeddedService;
let root: string;
const client = () => createChatClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });

before(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  root = makeWorkspace();
  pg = await startPostgres();
  conn = await connect({ id: 't', name: 'shop-prod', url: pg.url }, { readOnlyPolicy: 'never' });
  await conn.client.query(MIGRATION);
  live = liveDatabase(conn, 'shop-prod');
  service = new EmbeddedService({ root, cacheDir: join(root, '.cache'), idleMs: 60_000 });
});
after(async () => {
  await fake?.close();
  await conn?.close();
  await service?.dispose();
  pg?.stop();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => fake.reset());
afterEach(() => assert.equal(fake.pending(), 0, 'the test left scripted turns unused'));

/** The tool_result blocks of a request's last user message, by tool_use id. */
function toolResults(req: RecordedRequest): Map<string, { content: string; is_error?: boolean }> {
  const last = req.body.messages[req.body.messages.length - 1];
  const out = new Map<string, { content: string; is_error?: boolean }>();
  for (const block of last.content) if (block.type === 'tool_result') out.set(block.tool_use_id, block);
  return out;
}

const selection = { kind: 'selection' as const, path: 'queries/by_customer.sql', startLine: 1, endLine: 1, text: SLOW_QUERY, language: 'sql' };

test('"why is this query slow?" on a live database: explain_query and get_schema run, their results reach the model, the answer streams', async () => {
  fake.enqueue(
    reply.toolUse([
      { id: 'tu_explain', name: 'explain_query', input: { query: SLOW_QUERY } },
      { id: 'tu_schema', name: 'get_schema', input: { tables: ['orders'] } },
    ], { text: 'Let me look at the plan and the table.' }),
    reply.text('The Seq Scan on orders reads 20000 rows to return 200: add an index on orders (customer_id).'),
  );
  const events: ToolCallEvent[] = [];
  let streamed = '';
  const result = await runAgentTurn({
    client: client(), agent, prompt: 'why is this query slow?', context: [selection],
    tools: toolContext(root, { database: live }), onText: (d) => (streamed += d), onToolCall: (e) => events.push(e),
  });
  assert.equal(result.stopReason, 'end_turn', result.error?.message);
  assert.equal(result.rounds, 2);
  assert.match(streamed, /Let me look[\s\S]*add an index on orders \(customer_id\)/);
  assert.equal(result.text, streamed);

  // What the model was given: the agent's prompt plus the project context, and the tools.
  const first = fake.requests[0]!.body;
  assert.ok(first.system.startsWith(PROMPT));
  assert.match(first.system, /# Project context/);
  assert.match(first.system, /Stack: Supabase/);
  assert.match(first.system, /Database: connected to "shop-prod" \(Local\)/);
  assert.match(first.system, /public\.orders\(id bigint PK, customer_id bigint, total numeric, created_at timestamp with time zone\) RLS OFF/);
  assert.match(first.messages[0].content, /<selection path="queries\/by_customer\.sql" lines="1"[\s\S]*why is this query slow\?/);
  assert.deepEqual(first.tools.map((t: { name: string }) => t.name), ['get_schema', 'lint_sql', 'explain_query', 'run_query', 'find_slow_queries', 'read_file', 'list_migrations', 'propose_migration']);

  // The tools really ran: their results, in the next request.
  const results = toolResults(fake.requests[1]!);
  const plan = results.get('tu_explain')!;
  assert.equal(plan.is_error, undefined, plan.content);
  assert.match(plan.content, /Seq Scan on (public\.)?orders/);
  assert.match(plan.content, /Sequential scan on (public\.)?orders discards/);
  const schema = results.get('tu_schema')!;
  assert.match(schema.content, /public\.orders[\s\S]*FOREIGN KEY \(customer_id\) REFERENCES customers\(id\)/);

  assert.deepEqual(events.map((e) => `${e.name}:${e.status}`), ['explain_query:start', 'explain_query:end', 'get_schema:start', 'get_schema:end']);
  assert.equal(events[0]!.summary, 'Explaining the query on the shop-prod (Local)…');
  assert.match(events[1]!.summary, /Seq Scan/);
  // The plan JSON rides on the end event for the editor's "Open in EXPLAIN panel", and never reaches the model.
  const carried = events[1]!.plan as Array<{ Plan: { 'Node Type': string } }>;
  assert.equal(carried[0]!.Plan['Node Type'], 'Seq Scan');
  assert.ok(!JSON.stringify(fake.requests[1]!.body).includes('"Node Type"'), 'the raw plan is not sent to the model');

  // No credential of the database (nor the key) in anything sent to the model.
  assert.deepEqual(fake.leaksOf(pg.password), []);
  assert.deepEqual(fake.leaksOf(KEY), []);
  assert.doesNotMatch(JSON.stringify(fake.requests.map((r) => r.body)), new RegExp(`${pg.port}|${pg.user}:`));
});

test('the same question answered from the embedded database', async () => {
  fake.enqueue(
    reply.toolUse([{ id: 'tu_e', name: 'explain_query', input: { query: SLOW_QUERY } }]),
    reply.text('On the embedded database too, a Seq Scan.'),
  );
  const events: ToolCallEvent[] = [];
  const result = await runAgentTurn({
    client: client(), agent, prompt: 'why is this query slow?', context: [selection],
    tools: toolContext(root, { database: embeddedDatabase(service) }), onToolCall: (e) => events.push(e),
  });
  assert.equal(result.stopReason, 'end_turn', result.error?.message);
  assert.match(fake.requests[0]!.body.system, /Database: none connected; tools use an embedded database/);
  assert.match(fake.requests[0]!.body.system, /## Schema \(from the migrations, 2 tables\)/);
  const plan = toolResults(fake.requests[1]!).get('tu_e')!;
  assert.match(plan.content, /Plan from the embedded database[\s\S]*Seq Scan on (public\.)?orders[\s\S]*Sequential scan on (public\.)?orders discards/);
  assert.equal(events[0]!.summary, 'Explaining the query on the embedded database (built from the migrations)…');
});

test('/rls review: lint findings come back, then a proposed migration (linted, never written) is returned to the caller', async () => {
  const fix = 'alter table public.orders enable row level security;\ncreate policy orders_read on public.orders for select to authenticated using (true);';
  fake.enqueue(
    reply.toolUse([{ id: 'tu_lint', name: 'lint_sql', input: { files: ['supabase/migrations/20240101000000_init.sql'] } }]),
    reply.toolUse([{ id: 'tu_prop', name: 'propose_migration', input: { name: 'enable_rls_on_orders', sql: fix, description: 'Turn RLS on for orders.' } }]),
    reply.text('RLS is off on orders; the migration above enables it.'),
  );
  const rls = makeAgent({ id: 'rls-security', prompt: 'You audit RLS.', tools: ['Read', 'Grep', 'Glob', 'Bash(psql:*)', 'Bash(supabase:*)'] });
  const result = await runAgentTurn({ client: client(), agent: rls, prompt: '/rls', tools: toolContext(root) });
  assert.equal(result.stopReason, 'end_turn', result.error?.message);
  const lint = toolResults(fake.requests[1]!).get('tu_lint')!;
  assert.match(lint.content, /20240101000000_init\.sql:5:\d+ error \[rls-disabled\]/);
  const prop = toolResults(fake.requests[2]!).get('tu_prop')!;
  assert.match(prop.content, /Proposed migration supabase\/migrations\/\d{14}_enable_rls_on_orders\.sql/);
  assert.equal(result.proposals.length, 1);
  assert.equal(result.proposals[0]!.sql, fix + '\n');
  assert.equal(result.proposals[0]!.description, 'Turn RLS on for orders.');
  assert.match(fake.requests[0]!.body.system, /Database: none connected/);
});

test('a write through run_query is refused as a tool error the model reads, and nothing changes', async () => {
  const before = (await conn.client.query('select count(*)::int as n from orders')).rows[0].n;
  fake.enqueue(
    reply.toolUse([{ id: 'tu_w', name: 'run_query', input: { sql: 'delete from orders where id < 100' } }]),
    reply.text('I cannot delete rows; here is a migration instead.'),
  );
  const events: ToolCallEvent[] = [];
  const result = await runAgentTurn({ client: client(), agent, prompt: 'delete the old orders', tools: toolContext(root, { database: live }), onToolCall: (e) => events.push(e) });
  assert.equal(result.stopReason, 'end_turn');
  const r = toolResults(fake.requests[1]!).get('tu_w')!;
  assert.equal(r.is_error, true);
  assert.match(r.content, /run_query only reads: this is a DELETE statement/);
  assert.equal(events[1]!.isError, true);
  assert.equal((await conn.client.query('select count(*)::int as n from orders')).rows[0].n, before);
});

test('cancelling while pg_sleep(30) runs: the loop returns promptly as cancelled and the backend query is gone', async () => {
  fake.enqueue(reply.toolUse([{ id: 'tu_sleep', name: 'run_query', input: { sql: 'select pg_sleep(30)' } }]));
  const ac = new AbortController();
  const admin = await pg.superuser();
  try {
    const events: ToolCallEvent[] = [];
    const turn = runAgentTurn({
      client: client(), agent, prompt: 'sleep', tools: toolContext(root, { database: live }), signal: ac.signal,
      onToolCall: (e) => {
        events.push(e);
        if (e.status !== 'start') return;
        // Abort once the statement is really running on the server.
        void (async () => {
          for (let i = 0; i < 100; i++) {
            if ((await admin.query(`select 1 from pg_stat_activity where query = 'select pg_sleep(30)' and state = 'active'`)).rowCount) break;
            await new Promise((r) => setTimeout(r, 50));
          }
          ac.abort();
        })();
      },
    });
    const result = await turn;
    assert.equal(result.stopReason, 'cancelled');
    // The statement was stopped, not waited out: the tool ended with the cancellation, not with a row.
    assert.equal(events[1]?.status, 'end');
    assert.equal(events[1]?.isError, true);
    assert.match(events[1]!.summary, /cancelled/);
    assert.equal(fake.requests.length, 1, 'no further model call after cancelling');
    const still = await admin.query(`select 1 from pg_stat_activity where query = 'select pg_sleep(30)' and state = 'active'`);
    assert.equal(still.rowCount, 0);
  } finally {
    await admin.end();
  }
});

test('frontmatter tools narrow what the model is offered; an unknown tool call comes back as an error result', async () => {
  fake.enqueue(
    reply.toolUse([{ id: 'tu_x', name: 'run_query', input: { sql: 'select 1' } }]),
    reply.text('ok'),
  );
  const reader = makeAgent({ id: 'reader', prompt: 'Read only.', tools: ['Read'] });
  const result = await runAgentTurn({ client: client(), agent: reader, prompt: 'hi', tools: toolContext(root, { database: live }) });
  assert.equal(result.stopReason, 'end_turn');
  assert.deepEqual(fake.requests[0]!.body.tools.map((t: { name: string }) => t.name), ['get_schema', 'lint_sql', 'read_file', 'list_migrations']);
  assert.match(fake.requests[0]!.body.system, /Tools you can call: get_schema, lint_sql, read_file, list_migrations/);
  const r = toolResults(fake.requests[1]!).get('tu_x')!;
  assert.equal(r.is_error, true);
  assert.match(r.content, /no tool named run_query for this agent/);
});

test('rounds are bounded: a model that keeps calling tools stops at maxRounds', async () => {
  fake.enqueue(
    reply.toolUse([{ name: 'list_migrations', input: {} }]),
    reply.toolUse([{ name: 'list_migrations', input: {} }]),
  );
  const result = await runAgentTurn({ client: client(), agent, prompt: 'loop', tools: toolContext(root), maxRounds: 2 });
  assert.equal(result.stopReason, 'max_rounds');
  assert.equal(fake.requests.length, 2);
});

test('the schema summary is trimmed to its budget with a marker', async () => {
  fake.enqueue(reply.text('fine'));
  const result = await runAgentTurn({ client: client(), agent, prompt: 'hi', tools: toolContext(root, { database: live }), projectContext: undefined, connectionName: 'Shop (production)' });
  assert.match(result.system, /connected to "Shop \(production\)"/);
  const small = await projectContextFor(toolContext(root, { database: live }), { schemaTokens: 30 });
  assert.match(small, /\[… 1 more table not listed \(schema summary budget\); call get_schema for them\]/);
});

test('a 529 between tool rounds is retried with backoff and the turn completes; a network failure is a clear error', async () => {
  fake.enqueue(
    reply.toolUse([{ id: 'tu_l', name: 'list_migrations', input: {} }]),
    reply.httpError(529),
    reply.text('One migration.'),
  );
  const result = await runAgentTurn({ client: createChatClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 2 }), agent, prompt: 'list', tools: toolContext(root) });
  assert.equal(result.stopReason, 'end_turn', result.error?.message);
  assert.equal(result.text, 'One migration.');
  assert.equal(fake.requests.length, 3);
  assert.match(JSON.stringify(fake.requests[2]!.body.messages.at(-1)), /20240101000000_init\.sql/);

  const gone = createChatClient({ apiKey: KEY, baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
  const failed = await runAgentTurn({ client: gone, agent, prompt: 'hi', tools: toolContext(root) });
  assert.equal(failed.stopReason, 'error');
  assert.match(failed.error!.message, /127\.0\.0\.1:9/);
});

test('project context: Prisma and plain-migration workspaces are named; nothing detected says so', async () => {
  const prisma = mkdtempSync(join(tmpdir(), 'dbe-prisma-'));
  mkdirSync(join(prisma, 'prisma', 'migrations', '20240101000000_init'), { recursive: true });
  writeFileSync(join(prisma, 'prisma', 'schema.prisma'), 'datasource db { provider = "postgresql" }\n');
  writeFileSync(join(prisma, 'prisma', 'migrations', '20240101000000_init', 'migration.sql'), 'create table a (id int primary key);\n');
  const plain = mkdtempSync(join(tmpdir(), 'dbe-plain-'));
  mkdirSync(join(plain, 'migrations'));
  writeFileSync(join(plain, 'migrations', '001.sql'), 'create table b (id int primary key);\n');
  const empty = mkdtempSync(join(tmpdir(), 'dbe-empty-'));
  try {
    assert.match(buildProjectContext({ stack: detectStack(prisma) }), /Stack: Prisma\n- Migrations: 1 file in prisma\/migrations\n- Prisma schema: prisma\/schema\.prisma/);
    assert.match(buildProjectContext({ stack: detectStack(plain) }), /Stack: plain SQL migrations\n- Migrations: 1 file in migrations/);
    assert.match(buildProjectContext({ stack: detectStack(empty) }), /Stack: no database project files detected\n- Database: none connected/);
  } finally {
    for (const d of [prisma, plain, empty]) rmSync(d, { recursive: true, force: true });
  }
});
