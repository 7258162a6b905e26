// `dbe ask` and `dbe mcp` as real processes on the bundle (dist/cli.js): the fake Messages API for ask, the MCP
// SDK's own client over stdio for mcp.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startFakeAnthropic, reply, type FakeAnthropic } from '../../support/fake-anthropic';
import { startPostgres } from '../../support/postgres';
import { Client as PgClient } from 'pg';
import { makeWorkspace, MIGRATION, SLOW_QUERY } from './workspace';
import { ensureBuilt } from '../support/build';

const repo = join(__dirname, '../../..');
const cli = join(repo, 'dist/cli.js');
const KEY = 'sk-ant-cli-test-KEY-42';
let fake: FakeAnthropic;
let root: string;
let cache: string;

before(async () => {
  ensureBuilt();
  fake = await startFakeAnthropic({ apiKey: KEY });
  root = makeWorkspace();
  cache = mkdtempSync(join(tmpdir(), 'dbe-cli-cache-'));
});
after(async () => {
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

function dbe(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: opts.cwd ?? root,
      env: { PATH: process.env.PATH, HOME: root, XDG_CACHE_HOME: cache, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: KEY, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

test('dbe ask: the agent calls explain_query and get_schema on the example migrations; answer on stdout, tool lines on stderr', async () => {
  fake.reset();
  fake.enqueue(
    reply.toolUse([
      { id: 'tu_1', name: 'explain_query', input: { query: SLOW_QUERY } },
      { id: 'tu_2', name: 'get_schema', input: { tables: ['orders'] } },
    ]),
    reply.text('Add an index on orders (customer_id): the Seq Scan discards most rows.'),
  );
  const r = await dbe(['ask', '--agent', 'query-performance', '--migrations', 'supabase/migrations', '--file', 'queries/by_customer.sql', 'why is this slow?']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Add an index on orders (customer_id): the Seq Scan discards most rows.\n');
  assert.match(r.stderr, /^\[explain_query\] Explaining the query on the embedded database \(built from the migrations\)…\n\[explain_query\] Seq Scan on (public\.)?orders, [\d.]+ ms, \d+ insights?\n\[get_schema\] Reading the schema of orders from the embedded database[^\n]*\n\[get_schema\] 1 relation from the embedded catalog\n$/);
  const sent = fake.requests[1]!.body.messages.at(-1).content;
  assert.match(sent[0].content, /Seq Scan on (public\.)?orders/);
  assert.match(sent[1].content, /customer_id bigint/);
  assert.match(fake.requests[0]!.body.system, /query performance|EXPLAIN/i);
  assert.match(fake.requests[0]!.body.system, /Stack: Supabase/);
  assert.match(fake.requests[0]!.body.messages[0].content, /<file path="queries\/by_customer\.sql" language="sql">\nselect \* from public\.orders where customer_id = 7;[\s\S]*<request>\nwhy is this slow\?\n<\/request>/);
  assert.deepEqual(fake.leaksOf(KEY), []);
});

test('dbe ask reads the question from stdin with -, and fails clearly without a key', async () => {
  fake.reset();
  fake.enqueue(reply.text('Use timestamptz.'));
  const r = await dbe(['ask', '-'], { input: 'timestamp or timestamptz?\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Use timestamptz.\n');
  assert.match(fake.requests[0]!.body.messages[0].content, /^timestamp or timestamptz\?$/);
  const noKey = await dbe(['ask', 'hello'], { env: { ANTHROPIC_API_KEY: '' } });
  assert.equal(noKey.code, 1);
  assert.match(noKey.stderr, /ANTHROPIC_API_KEY is not set/);
  const usage = await dbe(['ask']);
  assert.equal(usage.code, 2);
  const badAgent = await dbe(['ask', '--agent', 'nobody', 'hi']);
  assert.equal(badAgent.code, 2);
  assert.match(badAgent.stderr, /no agent 'nobody'; agents: .*database-engineer/);
});

test('dbe ask: a 401 from the API is a clear exit-1 message', async () => {
  fake.reset();
  const r = await dbe(['ask', 'hi'], { env: { ANTHROPIC_API_KEY: 'sk-wrong' } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /dbe ask: .*(key|401|authentic)/i);
  assert.doesNotMatch(r.stderr, /sk-wrong/);
});

test('dbe mcp: an MCP client lists the tools and runs lint_sql and get_schema', async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'mcp', '--migrations', 'supabase/migrations'],
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: root, XDG_CACHE_HOME: cache },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'dbe-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['get_schema', 'lint_sql', 'explain_query', 'run_query', 'find_slow_queries', 'read_file', 'list_migrations', 'propose_migration', 'check_rls']);
    assert.equal(tools[0]!.annotations?.readOnlyHint, true);
    const lint = await client.callTool({ name: 'lint_sql', arguments: {} });
    const lintText = (lint.content as { type: string; text: string }[])[0]!.text;
    assert.match(lintText, /supabase\/migrations\/20240101000000_init\.sql:5:\d+ error \[rls-disabled\]/);
    const schema = await client.callTool({ name: 'get_schema', arguments: { tables: ['customers'] } });
    assert.match((schema.content as { text: string }[])[0]!.text, /public\.customers[\s\S]*policy "customers_read"/);
    const bad = await client.callTool({ name: 'read_file', arguments: { path: '../../etc/passwd' } });
    assert.equal(bad.isError, true);
    assert.match((bad.content as { text: string }[])[0]!.text, /outside the workspace/);
  } finally {
    await client.close();
  }
});

test('dbe ask --db URL: tools run on the live database; the password never reaches the model', async () => {
  const pg = await startPostgres();
  try {
    const c = new PgClient({ connectionString: pg.url });
    await c.connect();
    await c.query(MIGRATION);
    await c.end();
    fake.reset();
    fake.enqueue(
      reply.toolUse([{ id: 'q', name: 'run_query', input: { sql: 'select count(*) as n from orders' } }, { id: 'w', name: 'run_query', input: { sql: 'truncate orders' } }, { id: 'x', name: 'explain_query', input: { query: 'delete from orders' } }]),
      reply.text('20000 orders.'),
    );
    const r = await dbe(['ask', '--db', pg.url, 'how many orders?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '20000 orders.\n');
    assert.match(r.stderr, /\[run_query\] Running a read-only query on the dbe_test on 127\.0\.0\.1 \(Local\)…\n\[run_query\] 1 row\n/);
    assert.match(r.stderr, /\[run_query\] failed: refused: not read-only/);
    // No terminal to ask on: EXPLAIN ANALYZE of a DELETE on a live database is refused, not run.
    assert.match(r.stderr, /\[explain_query\] failed: ANALYZE of a DELETE not allowed/);
    assert.match(fake.requests[1]!.body.messages.at(-1).content[2].content, /did not allow it[\s\S]*"analyze": false/);
    const results = fake.requests[1]!.body.messages.at(-1).content;
    assert.match(results[0].content, /\nn\n20000$/);
    assert.match(fake.requests[0]!.body.system, /connected to "dbe_test on 127\.0\.0\.1" \(Local\)/);
    assert.deepEqual(fake.leaksOf(pg.password), []);
    assert.doesNotMatch(r.stderr + r.stdout, new RegExp(pg.password));
    const check = new PgClient({ connectionString: pg.url });
    await check.connect();
    assert.equal((await check.query('select count(*)::int as n from orders')).rows[0].n, 20000);
    await check.end();
  } finally {
    pg.stop();
  }
});

/** A project whose .dbe.json names a non-default migration folder, beside a decoy folder detection would pick. */
function decoyProject(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-ask-folders-'));
  writeFileSync(join(dir, '.dbe.json'), JSON.stringify(config));
  mkdirSync(join(dir, 'sql', 'schema'), { recursive: true });
  writeFileSync(join(dir, 'sql', 'schema', '0001_real.sql'), 'create table public.real_orders (id bigint primary key, note varchar(40));\n');
  mkdirSync(join(dir, 'migrations'));
  writeFileSync(join(dir, 'migrations', '0001_decoy.sql'), 'create table public.decoy_orders (id int);\n');
  return dir;
}

test('one dbe ask reads one folder set: lint_sql, list_migrations, get_schema and the embedded database all see .dbe.json\'s folder, not the decoy', async () => {
  const dir = decoyProject({ migrationFolders: ['sql/schema'] });
  try {
    fake.reset();
    fake.enqueue(
      reply.toolUse([
        { id: 'l', name: 'lint_sql', input: {} },
        { id: 'm', name: 'list_migrations', input: {} },
        { id: 's', name: 'get_schema', input: {} },
        { id: 'q', name: 'run_query', input: { sql: "select string_agg(table_name, ',' order by table_name) as tables from information_schema.tables where table_schema = 'public'" } },
      ]),
      reply.text('Seen.'),
    );
    const r = await dbe(['ask', 'what tables are there?'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const [lint, list, schema, query] = fake.requests[1]!.body.messages.at(-1).content.map((b: { content: string }) => b.content);
    assert.match(lint, /sql\/schema\/0001_real\.sql:1:\d+ \w+ \[/);
    assert.match(list, /^1 migration file in sql\/schema, in apply order:\nsql\/schema\/0001_real\.sql/);
    assert.match(schema, /real_orders/);
    assert.match(query, /\ntables\nreal_orders$/, 'the embedded database is built from the same folder');
    for (const text of [lint, list, schema, query]) assert.doesNotMatch(text, /decoy/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a configured migration folder outside the project is refused with the message, before anything runs', async () => {
  const dir = decoyProject({ migrationFolders: ['../../..'] });
  try {
    fake.reset();
    const r = await dbe(['ask', 'hi'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^dbe ask: migration folder "\.\.\/\.\.\/\.\." is outside the project folder .*; migrationFolders name folders inside it/);
    assert.equal(fake.requests.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
