// Each tool run for real: PostgreSQL 15 from the fixture, the embedded PGlite worker, real files in a temp workspace.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { connect, type LiveConnection } from '../../../src/core/db/connect';
import { EmbeddedService } from '../../../src/core/db/embeddedService';
import { explain } from '../../../src/core/db/explain';
import { liveTarget } from '../../../src/core/db/explainTarget';
import { embeddedDatabase, liveDatabase, type Database } from '../../../src/core/db/database';
import {
  allTools, mapAgentTools, runTool, toolsForAgent, classifyQuery,
  type ToolContext, type MigrationProposal,
} from '../../../src/core/tools';
import { makeWorkspace, toolContext, MIGRATION, SLOW_QUERY } from './workspace';
import { analyzePlan } from '../../../src/core/plan/analyze';

let pg: TestPostgres;
let conn: LiveConnection;
let live: Database;
let service: EmbeddedService;
let embedded: Database;
let root: string;

const tool = (name: string) => allTools.find((t) => t.name === name)!;
const run = (name: string, input: unknown, over: Partial<Omit<ToolContext, 'project'>> & { database?: Database } = {}, signal?: AbortSignal) =>
  runTool(tool(name), input, toolContext(root, over), signal);

before(async () => {
  root = makeWorkspace();
  pg = await startPostgres();
  conn = await connect({ id: 't', name: 'shop', url: pg.url }, { readOnlyPolicy: 'never' });
  await conn.client.query(MIGRATION);
  await conn.client.query(`create table audit (note text);
    create function touch(x int) returns int language plpgsql as $$ begin insert into audit values ('seen ' || x); return x; end $$;`);
  live = liveDatabase(conn, 'shop');
  service = new EmbeddedService({ root, cacheDir: join(root, '.cache'), idleMs: 60_000 });
  embedded = embeddedDatabase(service);
});

after(async () => {
  await conn?.close();
  await service?.dispose();
  pg?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('get_schema reads the live catalog: columns, FK, indexes, RLS and policies; named tables only when asked', async () => {
  const r = await run('get_schema', { tables: ['orders'] }, { database: live });
  assert.equal(r.isError, undefined, r.content);
  assert.match(r.content, /public\.orders/);
  assert.match(r.content, /customer_id bigint \(not null\)/);
  assert.match(r.content, /FOREIGN KEY \(customer_id\) REFERENCES customers\(id\)/);
  assert.match(r.content, /row level security: DISABLED/);
  assert.doesNotMatch(r.content, /public\.customers ~/, 'only the table asked for');
  const all = await run('get_schema', {}, { database: live });
  assert.match(all.content, /public\.customers[\s\S]*row level security: enabled[\s\S]*policy "customers_read" SELECT to public using \(true\)/);
  const missing = await run('get_schema', { tables: ['nope'] }, { database: live });
  assert.equal(missing.isError, true);
  assert.match(missing.content, /No table named nope[\s\S]*public\.orders/);
});

test('get_schema without a database answers from the workspace migrations', async () => {
  const r = await run('get_schema', { tables: ['public.customers'] });
  assert.equal(r.isError, undefined, r.content);
  assert.match(r.content, /workspace migrations/);
  assert.match(r.content, /\*\*customers\*\*/);
  assert.match(r.content, /policy "customers_read"/);
});

test('get_schema and run_query on the embedded database (catalog read through the worker)', async () => {
  const r = await run('get_schema', { tables: ['orders'] }, { database: embedded });
  assert.equal(r.isError, undefined, r.content);
  assert.match(r.content, /embedded database[\s\S]*public\.orders[\s\S]*customer_id bigint/);
  const q = await run('run_query', { sql: 'select count(*) as n from orders' }, { database: embedded });
  assert.match(q.content, /^1 row[\s\S]*\nn\n20000$/);
  const w = await run('run_query', { sql: 'select touch(1)' }, { database: embedded });
  assert.equal(w.isError, true, 'no touch() there: an error either way, never a crash');
});

test('lint_sql reports findings with rule ids and file:line, on files and on SQL text over the workspace schema', async () => {
  const r = await run('lint_sql', {});
  assert.match(r.content, /supabase\/migrations\/20240101000000_init\.sql:5:\d+ \w+ \[rls-disabled\]/);
  assert.match(r.content, /\[unindexed-foreign-key\]/);
  const text = await run('lint_sql', { sql: 'alter table public.orders add column note varchar(20);' });
  assert.match(text.content, /<sql>:1:\d+ \w+ \[prefer-text\]/);
  assert.doesNotMatch(text.content, /rls-disabled/, 'only the snippet is reported');
  const escape = await run('lint_sql', { files: ['../../etc/passwd'] });
  assert.equal(escape.isError, true);
});

test('explain_query on PostgreSQL 15: ANALYZE rolled back, the plan node type and an insight', async () => {
  const r = await run('explain_query', { query: SLOW_QUERY }, { database: live });
  assert.equal(r.isError, undefined, r.content);
  assert.match(r.content, /EXPLAIN ANALYZE plan/);
  assert.match(r.content, /Seq Scan on (public\.)?orders/);
  assert.match(r.content, /Insights:[\s\S]*Sequential scan on (public\.)?orders discards/);
  assert.match(r.summary!, /Seq Scan/);
});

test('explain_query on the embedded database gives the same diagnosis', async () => {
  const r = await run('explain_query', { query: SLOW_QUERY }, { database: embedded });
  assert.equal(r.isError, undefined, r.content);
  assert.match(r.content, /embedded database/);
  assert.match(r.content, /Seq Scan on (public\.)?orders/);
  assert.match(r.content, /Sequential scan on (public\.)?orders discards/);
});

test('explain_query: ANALYZE of a write on a live database asks first; refused without consent, rolled back with it', async () => {
  const update = 'update public.orders set total = 0 where id = 1';
  const refused = await run('explain_query', { query: update }, { database: live });
  assert.equal(refused.isError, true);
  assert.match(refused.content, /did not allow[\s\S]*"analyze": false/);
  const asked: string[] = [];
  const ok = await run('explain_query', { query: update }, { database: live, confirm: async (a) => (asked.push(a.title), true) });
  assert.equal(ok.isError, undefined, ok.content);
  assert.match(asked[0]!, /EXPLAIN ANALYZE of an UPDATE on shop/);
  assert.equal((await conn.client.query('select total::int as t from orders where id = 1')).rows[0].t, 1, 'rolled back');
});

test('run_query: rows as a table, the row limit, writes refused by the parser and by the READ ONLY transaction', async () => {
  const r = await run('run_query', { sql: 'select id, name from customers order by id' }, { database: live, rowLimit: 3 });
  assert.match(r.content, /^3\+ rows from the shop \(Local\) \(first 3 shown; row limit 3, the rest were not read\)\.\nid \| name\n1 \| customer 1\n2 \| customer 2\n3 \| customer 3$/);
  const before = (await conn.client.query('select count(*)::int as n from orders')).rows[0].n;
  for (const sql of ['delete from orders', 'drop table orders', 'with d as (delete from orders returning 1) select count(*) from d', 'select * from orders for update', 'select 1; delete from orders']) {
    const w = await run('run_query', { sql }, { database: live });
    assert.equal(w.isError, true, sql);
    assert.match(w.content, /only reads|one statement/, sql);
  }
  // The parser cannot see inside a function: the transaction can.
  const fn = await run('run_query', { sql: 'select touch(1)' }, { database: live });
  assert.equal(fn.isError, true);
  assert.match(fn.content, /read-only transaction/);
  assert.equal((await conn.client.query('select count(*)::int as n from audit')).rows[0].n, 0);
  assert.equal((await conn.client.query('select count(*)::int as n from orders')).rows[0].n, before);
  assert.deepEqual(await classifyQuery('show work_mem'), { ok: true, kind: 'VariableShowStmt' });
});

test('run_query: an abort cancels the running statement on the server', async () => {
  const ac = new AbortController();
  const pending = run('run_query', { sql: 'select pg_sleep(30)' }, { database: live }, ac.signal);
  const admin = await pg.superuser();
  try {
    for (let i = 0; i < 100; i++) {
      if ((await admin.query(`select 1 from pg_stat_activity where query = 'select pg_sleep(30)' and state = 'active'`)).rowCount) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    ac.abort();
    const r = await pending;
    assert.equal(r.isError, true);
    assert.match(r.content, /cancelled/);
    const still = await admin.query(`select 1 from pg_stat_activity where query = 'select pg_sleep(30)' and state = 'active'`);
    assert.equal(still.rowCount, 0);
  } finally {
    await admin.end();
  }
});

test('find_slow_queries: clear messages without a live database and without pg_stat_statements', async () => {
  const none = await run('find_slow_queries', {});
  assert.equal(none.isError, true);
  assert.match(none.content, /needs a live database/);
  const emb = await run('find_slow_queries', {}, { database: embedded });
  assert.match(emb.content, /needs a live database/);
  const noExt = await run('find_slow_queries', {}, { database: live });
  assert.equal(noExt.isError, true);
  assert.match(noExt.content, /pg_stat_statements is not installed on shop/);
});

test('read_file: numbered lines, confined to the workspace and the allowed directories (symlinks resolved)', async () => {
  const ok = await run('read_file', { path: 'queries/by_customer.sql' });
  assert.match(ok.content, /^queries\/by_customer\.sql \(lines 1-2 of 2\):\n1  select \* from public\.orders/);
  const outside = mkdtempSync(join(tmpdir(), 'dbe-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'top secret');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'queries', 'link.txt'));
  try {
    for (const path of ['../secret.txt', join(outside, 'secret.txt'), 'queries/../../x', 'queries/link.txt']) {
      const r = await run('read_file', { path });
      assert.equal(r.isError, true, path);
      assert.match(r.content, /outside the workspace/, path);
      assert.doesNotMatch(r.content, /top secret/);
    }
    const confined = await run('read_file', { path: 'queries/by_customer.sql' }, { allowedDirectories: ['supabase'] });
    assert.equal(confined.isError, true);
    assert.match(confined.content, /outside this agent's allowed directories \(supabase\)/);
    const allowed = await run('read_file', { path: 'supabase/migrations/20240101000000_init.sql' }, { allowedDirectories: ['supabase'] });
    assert.equal(allowed.isError, undefined);
    const listed = await run('list_migrations', {}, { allowedDirectories: ['queries'] });
    assert.match(listed.content, /no migration files/);
  } finally {
    rmSync(outside, { recursive: true, force: true });
    rmSync(join(root, 'queries', 'link.txt'));
  }
});

test('results over the budget are cut with a marker saying what was cut', async () => {
  mkdirSync(join(root, 'big'), { recursive: true });
  writeFileSync(join(root, 'big', 'huge.sql'), Array.from({ length: 3000 }, (_, i) => `select ${i} as line_number_${i};`).join('\n'));
  const r = await run('read_file', { path: 'big/huge.sql' }, { maxResultTokens: 500 });
  assert.ok(r.content.length < 500 * 4 + 400, `${r.content.length} characters`);
  assert.match(r.content, /\[… truncated: \d+ more characters \(\d+ lines\) not shown, over the 500-token result budget; read a line range with startLine\/endLine\]$/);
  assert.match(r.summary!, /truncated/);
  const rows = await run('run_query', { sql: 'select id, repeat(\'x\', 100) as pad from orders' }, { database: live, rowLimit: 5000, maxResultTokens: 300 });
  assert.match(rows.content, /^5000\+ rows[\s\S]*\[… truncated: /);
});

test('list_migrations and propose_migration: named like the siblings, linted, never written', async () => {
  const list = await run('list_migrations', {});
  assert.match(list.content, /1 migration file in supabase\/migrations[\s\S]*20240101000000_init\.sql  \(\d+ statements/);
  const proposals: MigrationProposal[] = [];
  const r = await run('propose_migration', {
    name: 'Enable RLS on orders',
    sql: 'alter table public.orders enable row level security;\ncreate index orders_customer_id_idx on public.orders (customer_id);',
  }, { onProposal: (p) => proposals.push(p) });
  assert.equal(r.isError, undefined, r.content);
  assert.equal(proposals.length, 1);
  const p = proposals[0]!;
  assert.match(p.path, /^supabase\/migrations\/\d{14}_enable_rls_on_orders\.sql$/);
  assert.match(r.content, /not applied to the user's database or saved/);
  assert.ok(p.findings.some((f) => f.includes('[rls-without-policy]') || f.includes('[require-concurrent-index]')), p.findings.join('\n'));
  assert.equal(existsSync(p.absPath), false, 'nothing written');
  const bad = await run('propose_migration', { name: 'x', sql: 'alter tabel x' });
  assert.equal(bad.isError, true);
  assert.match(bad.content, /does not parse/);
});

test('propose_migration runs the proposal on a throwaway copy of the embedded database, never on a live one', async () => {
  const proposals: MigrationProposal[] = [];
  // The second statement names a column the migrations never created: only PostgreSQL can say so.
  const sql = 'create index orders_customer_id_idx on public.orders (customer_id);\nalter table public.orders add constraint orders_total_positive check (totl > 0);';
  const r = await run('propose_migration', { name: 'order checks', sql }, { database: embedded, onProposal: (p) => proposals.push(p) });
  assert.equal(r.isError, undefined, r.content);
  assert.match(r.content, /Run on a throwaway copy of the embedded database \(built from the migrations\), 1 statement was refused:\nline 2: column "totl" does not exist\nFix it and propose again\./);
  assert.deepEqual(proposals[0]!.refused, ['line 2: column "totl" does not exist']);
  assert.match(r.summary!, /1 statement refused by the embedded database/);
  // The copy was thrown away: the embedded database itself has neither the index nor anything else from the trial.
  const left = await embedded.query(`select count(*)::int as n from pg_indexes where indexname = 'orders_customer_id_idx'`, { maxRows: 1, timeoutMs: 5000 });
  assert.equal(left.rows[0]!['n'], 0);

  const good = await run('propose_migration', { name: 'order checks', sql: sql.replace('totl', 'total') }, { database: embedded, onProposal: (p) => proposals.push(p) });
  assert.match(good.content, /Run on a throwaway copy of the embedded database \(built from the migrations\): every statement ran\./);
  assert.deepEqual(proposals[1]!.refused, []);

  const onLive = await run('propose_migration', { name: 'order checks', sql }, { database: live, onProposal: (p) => proposals.push(p) });
  assert.match(onLive.content, /It was not run: the database in use is shop, a live connection/);
  assert.equal(proposals[2]!.refused, undefined);
  const liveIndexes = await conn.client.query(`select 1 from pg_indexes where indexname = 'orders_customer_id_idx'`);
  assert.equal(liveIndexes.rowCount, 0, 'nothing ran on the live database');
});

test('a migration copy of the embedded database: EXPLAIN there uses the proposed index, the database itself never has it', async () => {
  const query = 'select id from public.orders where customer_id = 5';
  const nodes = (r: { plan: unknown }) => analyzePlan(r.plan).nodes.map((n) => `${n.nodeType}${n.indexName ? ` using ${n.indexName}` : ''}`);
  assert.ok(nodes(await embedded.explain({ query, analyze: true })).includes('Seq Scan'));
  const onCopy = await embedded.withMigration!('supabase/migrations/20990101000000_orders_customer.sql', 'create index orders_customer_idx on public.orders (customer_id);', async (copy) => {
    assert.deepEqual(copy.refused, []);
    return nodes(await copy.explain({ query, analyze: true }));
  });
  assert.ok(onCopy.some((n) => n.endsWith('using orders_customer_idx')), onCopy.join(', '));
  assert.ok(nodes(await embedded.explain({ query, analyze: true })).includes('Seq Scan'), 'the copy was thrown away');
});

test('frontmatter tools narrow the set (mapping documented in tools/index.ts)', () => {
  const names = (tools?: string[]) => toolsForAgent({ tools }).map((t) => t.name);
  assert.deepEqual(names(undefined), allTools.map((t) => t.name));
  assert.deepEqual(names([]), ['get_schema', 'lint_sql']);
  assert.deepEqual(names(['Read', 'Grep']), ['get_schema', 'lint_sql', 'read_file', 'list_migrations']);
  assert.deepEqual(names(['Bash(psql:*)']), ['get_schema', 'lint_sql', 'explain_query', 'run_query', 'find_slow_queries', 'check_rls']);
  assert.deepEqual(names(['Write']), ['get_schema', 'lint_sql', 'list_migrations', 'propose_migration']);
  assert.deepEqual(names(['Bash(npm:*)', 'WebFetch']), ['get_schema', 'lint_sql']);
  assert.deepEqual(names(['explain_query']), ['get_schema', 'lint_sql', 'explain_query']);
  // The bundled agents' line: database tools, file reading, and migration proposals (through the supabase CLI).
  assert.deepEqual([...mapAgentTools(['Read', 'Grep', 'Glob', 'Bash(psql:*)', 'Bash(supabase:*)', 'Bash(npx prisma:*)'])].sort(),
    allTools.map((t) => t.name).sort());
});

test('read_file never reads credential files and masks credentials inside ordinary ones', async () => {
  writeFileSync(join(root, '.env'), `DATABASE_URL=${pg.url}\n`);
  writeFileSync(join(root, '.env.example'), 'DATABASE_URL=postgres://user:password@localhost/db\n');
  writeFileSync(join(root, 'queries', 'notes.sql'), `-- connect with ${pg.url}\n-- ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijkl\nselect 1;\n`);
  try {
    const env = await run('read_file', { path: '.env' });
    assert.equal(env.isError, true);
    assert.match(env.content, /holds credentials/);
    assert.doesNotMatch(env.content, new RegExp(pg.password));
    const example = await run('read_file', { path: '.env.example' });
    assert.equal(example.isError, undefined);
    assert.match(example.content, /postgres:\/\/user:\*\*\*@localhost\/db/);
    const notes = await run('read_file', { path: 'queries/notes.sql' });
    assert.doesNotMatch(notes.content, new RegExp(`${pg.password}|abcdefghijkl`));
    assert.match(notes.content, /dbe_test:\*\*\*@127\.0\.0\.1/);
    assert.match(notes.content, /ANTHROPIC_API_KEY=\*\*\*/);
  } finally {
    for (const f of ['.env', '.env.example', 'queries/notes.sql']) rmSync(join(root, f));
  }
});

test('get_schema leaves platform schemas (auth, storage …) out of "all tables" but gives them by name', async () => {
  const admin = await pg.superuser(pg.database);
  try {
    await admin.query('create schema if not exists auth; create table if not exists auth.users (id uuid primary key, email text)');
  } finally {
    await admin.end();
  }
  const all = await run('get_schema', {}, { database: live });
  assert.doesNotMatch(all.content, /auth\.users/);
  assert.match(all.content, /1 relation in platform schemas \(auth, storage …\) not listed/);
  const named = await run('get_schema', { tables: ['auth.users'] }, { database: live });
  assert.match(named.content, /auth\.users[\s\S]*email text/);
});

test('run_query on the embedded database: an abort terminates the worker and the next query reopens it', async () => {
  const ac = new AbortController();
  const pending = run('run_query', { sql: 'select count(*) from generate_series(1, 2000000000)' }, { database: embedded }, ac.signal);
  await service.open();
  setTimeout(() => ac.abort(), 200);
  const r = await pending;
  assert.equal(r.isError, true);
  assert.match(r.content, /cancelled/);
  assert.equal(service.isOpen, false);
  const again = await run('run_query', { sql: 'select count(*) as n from customers' }, { database: embedded });
  assert.match(again.content, /\nn\n100$/);
});

test('propose_migration in a Supabase project without migrations yet; get_schema takes a bare string of names', async () => {
  const fresh = mkdtempSync(join(tmpdir(), 'dbe-fresh-'));
  mkdirSync(join(fresh, 'supabase'));
  writeFileSync(join(fresh, 'supabase', 'config.toml'), '');
  try {
    const r = await runTool(tool('propose_migration'), { name: 'init', sql: 'create table public.notes (id bigint generated always as identity primary key, body text);' }, toolContext(fresh));
    assert.match(r.content, /Proposed migration supabase\/migrations\/\d{14}_init\.sql/);
    assert.match(r.content, /\[rls-disabled\]/);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
  const s = await run('get_schema', { tables: 'orders, customers' }, { database: live });
  assert.match(s.content, /2 relations/);
});

test('tools and another explain target on the same connection never interleave their transactions', async () => {
  const panel = liveTarget(conn);
  const results = await Promise.all([
    run('run_query', { sql: 'select count(*) as n from customers' }, { database: live }),
    explain(panel, { query: SLOW_QUERY, analyze: true }),
    run('explain_query', { query: SLOW_QUERY }, { database: live }),
    run('run_query', { sql: 'select current_setting(\'transaction_read_only\') as ro' }, { database: live }),
  ]);
  assert.match((results[0] as { content: string }).content, /\nn\n100$/);
  assert.equal((results[1] as { analyzed: boolean }).analyzed, true);
  assert.match((results[2] as { content: string }).content, /Seq Scan/);
  assert.match((results[3] as { content: string }).content, /\nro\non$/);
  assert.equal((await conn.client.query(`select current_setting('transaction_read_only') as ro`)).rows[0].ro, 'off', 'nothing left open');
  // A rolled-back write beside read-only tool queries: it must neither be made read-only nor be committed.
  const [written] = await Promise.all([
    explain(panel, { query: 'update public.orders set total = -1 where id <= 10', analyze: true }),
    run('run_query', { sql: 'select 1 as one' }, { database: live }),
    run('run_query', { sql: 'select 2 as two' }, { database: live }),
  ]);
  assert.equal(written.analyzed, true);
  assert.equal((await conn.client.query('select count(*)::int as n from orders where total = -1')).rows[0].n, 0, 'rolled back');
});

test('a query aborted while queued behind another never starts', async () => {
  const ac = new AbortController();
  const first = run('run_query', { sql: 'select pg_sleep(0.3) as slept' }, { database: live });
  const queued = run('run_query', { sql: 'select pg_sleep(30)' }, { database: live }, ac.signal);
  ac.abort();
  const [a, b] = await Promise.all([first, queued]);
  assert.match(a.content, /^1 row/);
  assert.equal(b.isError, true);
  assert.match(b.content, /cancelled/);
});
