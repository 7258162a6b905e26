// `dbe explain` as a user runs it: real processes on the bundled dist/cli.js, a Supabase-style project on disk
// (embedded database built from its migrations) and a real PostgreSQL 15 for --db.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { applySql } from '../../../src/core/db/embedded';
import { SUPABASE_BOOTSTRAP_SQL } from '../../../src/core/db/supabaseBootstrap';
import { main } from '../../../src/cli/main';
import { unpackMessage } from '../../../src/core/plan/wire';
import { ensureBuilt } from '../support/build';

const repo = join(__dirname, '../../..');
const cli = join(repo, 'dist/cli.js');
const ALICE = '00000000-0000-0000-0000-000000000001';
const BOB = '00000000-0000-0000-0000-000000000002';

/** 20,000 events, the first 5,000 Alice's, 1% purchases; owner-only RLS. What a small Supabase app's migrations hold. */
const MIGRATION = `create table public.events (
  id bigint generated always as identity primary key,
  user_id uuid not null,
  kind text not null,
  created_at timestamptz not null default now()
);
alter table public.events enable row level security;
create policy "own events" on public.events for select to authenticated using ((select auth.uid()) = user_id);
create policy "delete own events" on public.events for delete to authenticated using ((select auth.uid()) = user_id);
grant select, delete on public.events to authenticated;
insert into public.events (user_id, kind)
select case when g <= 5000 then '${ALICE}'::uuid else '${BOB}'::uuid end,
       case when g % 100 = 0 then 'purchase' else 'view' end
from generate_series(1, 20000) g;
create table public.plans (id int primary key, name text not null);
`;

let ws: string;
let cache: string;

function dbe(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: ws, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', ...env }, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const embedded = (...args: string[]) => dbe(['explain', '--cache-dir', cache, ...args]);

before(() => {
  ensureBuilt();
  ws = mkdtempSync(join(tmpdir(), 'dbe-explain-cli-'));
  cache = join(ws, '.cache');
  mkdirSync(join(ws, 'supabase/migrations'), { recursive: true });
  writeFileSync(join(ws, 'supabase/migrations/20240101000000_events.sql'), MIGRATION);
  // Applied after the migrations, as \`supabase db reset\` does.
  writeFileSync(join(ws, 'supabase/seed.sql'), "insert into public.plans values (1, 'Free'), (2, 'Team'), (3, 'Enterprise');\n");
  mkdirSync(join(ws, 'queries'));
  writeFileSync(join(ws, 'queries/purchases.sql'), `-- recent purchases\nselect id, user_id from public.events\nwhere kind = 'purchase';\n\nselect count(*)\n  from public.events\n where kind = = 'x';\n`);
});
after(() => rmSync(ws, { recursive: true, force: true }));

describe('dbe explain on the embedded database', () => {
  test('text: the plan tree and an insight, from the migrations (built on first use)', () => {
    const r = embedded('--analyze', "select * from public.events where kind = 'purchase'");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /EXPLAIN ANALYZE/);
    assert.match(r.stdout, /Seq Scan on public\.events .*rows [\d,]+ → 200/);
    assert.match(r.stdout, /removed 19,800/);
    assert.match(r.stdout, /Insights \(1\)[\s\S]*Sequential scan on public\.events discards 99%/);
    assert.match(r.stdout, /CREATE INDEX CONCURRENTLY events_kind_idx ON public\.events \(kind\);/);
    assert.match(r.stdout, /ran on the embedded database with ANALYZE/);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colours when stdout is not a terminal');
  });

  test('json: the documented dbe-plan document', () => {
    const r = embedded('--analyze', '--format', 'json', "select * from public.events where kind = 'purchase'");
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(doc), ['format', 'version', 'source', 'query', 'analyzed', 'timed', 'planningTime', 'executionTime', 'totalTime', 'totalCost', 'summary', 'settings', 'triggers', 'jit', 'nodes', 'insights', 'plan']);
    assert.equal(doc.format, 'dbe-plan');
    assert.equal(doc.version, 1);
    assert.equal(doc.source, 'embedded');
    assert.equal(doc.analyzed, true);
    assert.equal(doc.timed, true);
    assert.equal(doc.query, "select * from public.events where kind = 'purchase'");
    for (const k of ['planningTime', 'executionTime', 'totalTime', 'totalCost']) assert.equal(typeof doc[k], 'number', k);
    assert.deepEqual(Object.keys(doc.summary), ['nodes', 'critical', 'warnings', 'info', 'hottestNodeId']);
    const scan = doc.nodes[0];
    assert.equal(scan.nodeType, 'Seq Scan');
    assert.equal(scan.relation, 'events');
    assert.equal(scan.rows.actual, 200);
    assert.equal(scan.removed.filter, 19800);
    assert.equal(typeof scan.time.exclusiveMs, 'number');
    assert.ok(Array.isArray(doc.plan) && doc.plan[0].Plan['Node Type'] === 'Seq Scan');
    assert.equal(doc.insights[0].kind, 'seq-scan-filter');
    assert.equal(doc.insights[0].nodeId, 0);
    assert.match(doc.insights[0].sql, /CREATE INDEX CONCURRENTLY/);
    assert.equal(r.stderr, '', 'nothing but the document when not on a terminal');
  });

  test('-f FILE is --file; --format json says where it ran', () => {
    writeFileSync(join(ws, 'queries/one.sql'), "select id from public.events where kind = 'purchase';\n");
    const r = embedded('-f', 'queries/one.sql', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.source, 'embedded');
    assert.equal(doc.query, "select id from public.events where kind = 'purchase'");
  });

  test('--plan reads a saved plan, JSON or the text psql prints, without a database', () => {
    const json = embedded('--analyze', '--format', 'json', "select * from public.events where kind = 'purchase'");
    writeFileSync(join(ws, 'saved.json'), JSON.stringify(JSON.parse(json.stdout).plan));
    writeFileSync(join(ws, 'saved.txt'), ` QUERY PLAN\n-----------\n Seq Scan on public.events  (cost=0.00..389.00 rows=200 width=37) (actual time=0.020..3.100 rows=200 loops=1)\n   Filter: (kind = 'purchase'::text)\n   Rows Removed by Filter: 19800\n Planning Time: 0.100 ms\n Execution Time: 3.300 ms\n(5 rows)\n`);
    for (const file of ['saved.json', 'saved.txt']) {
      const r = dbe(['explain', '--plan', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Sequential scan on public\.events discards 99%/, file);
      assert.match(r.stdout, new RegExp(`read from ${file}`));
      const doc = JSON.parse(dbe(['explain', '--plan', file, '--format', 'json']).stdout);
      assert.equal(doc.source, 'file');
    }
    const bad = dbe(['explain', '--plan', 'queries/one.sql']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /queries\/one\.sql is not an EXPLAIN plan/);
  });

  test('--compare: an unchanged query is "no measurable change"; a new index is named before the numbers', () => {
    writeFileSync(join(ws, 'queries/a.sql'), "select id from public.events where kind = 'purchase';\n");
    writeFileSync(join(ws, 'queries/b.sql'), "select id from public.events where kind = 'purchase';\n");
    const same = embedded('--compare', 'queries/a.sql', 'queries/b.sql');
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /^Compare queries\/a\.sql → queries\/b\.sql\nSame plan shape; no measurable change in time\./);
    assert.match(same.stdout, /median of 3 runs/);
    assert.match(same.stdout, /1 warm-up run and 3 measured runs per query, interleaved/);
    // Two saved plans: the shape change comes first.
    const seq = embedded('--analyze', '--format', 'json', "select * from public.events where kind = 'purchase'");
    writeFileSync(join(ws, 'before.json'), JSON.stringify(JSON.parse(seq.stdout).plan));
    writeFileSync(join(ws, 'after.json'), JSON.stringify([{ Plan: { 'Node Type': 'Index Scan', 'Index Name': 'events_kind_idx', 'Relation Name': 'events', Schema: 'public', Alias: 'events',
      'Total Cost': 12, 'Plan Rows': 200, 'Actual Total Time': 0.3, 'Actual Rows': 200, 'Actual Loops': 1 }, 'Execution Time': 0.4 }]));
    const files = dbe(['explain', '--compare', 'before.json', 'after.json', '--format', 'json']);
    assert.equal(files.code, 0, files.stderr);
    const doc = JSON.parse(files.stdout);
    assert.equal(doc.format, 'dbe-plan-compare');
    assert.deepEqual(doc.comparison.scans, ['public.events: Seq Scan → Index Scan using events_kind_idx']);
    assert.match(doc.comparison.headline, /^The plan changed: public\.events: Seq Scan → Index Scan using events_kind_idx; .*faster/);
  });

  test('html: a complete self-contained report with a CSP and the plan data', () => {
    const r = embedded('--analyze', '--format', 'html', '--out', 'report.html', "select * from public.events where kind = 'purchase'");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const html = readFileSync(join(ws, 'report.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<\/html>\s*$/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-[0-9a-f]+'/);
    const data = /<script type="application\/json" id="dbe-plan-data">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(data, 'the plan data element');
    // Packed as the panel receives it (core/plan/wire.ts).
    const message = unpackMessage(JSON.parse(data![1]!));
    assert.ok(!(message instanceof Error) && message.type === 'show', String(message));
    assert.equal(message.plan.nodes[0]!.nodeType, 'Seq Scan');
    assert.equal(message.plan.insights[0]!.kind, 'seq-scan-filter');
    assert.doesNotMatch(html, /<script src=|<link /, 'nothing loaded from outside');
  });

  test('run as authenticated with JWT claims: row counts are what RLS lets that user see', () => {
    const all = JSON.parse(embedded('--analyze', '--format', 'json', 'select * from public.events').stdout);
    assert.equal(all.nodes.find((n: { nodeType: string }) => n.nodeType === 'Seq Scan').rows.actual, 20000);
    const r = embedded('--analyze', '--format', 'json', '--role', 'authenticated', '--claims', JSON.stringify({ sub: ALICE }), 'select * from public.events');
    assert.equal(r.code, 0, r.stderr);
    const scan = JSON.parse(r.stdout).nodes.find((n: { nodeType: string }) => n.nodeType === 'Seq Scan');
    assert.equal(scan.rows.actual, 5000);
    assert.match(scan.conditions.filter, /InitPlan 1/, 'the policy shows as the filter');
    const text = embedded('--analyze', '--role', 'authenticated', '--claims', JSON.stringify({ sub: BOB }), 'select * from public.events');
    assert.match(text.stdout, /→ 15,000/);
    assert.match(text.stdout, /Ran as role authenticated with the given JWT claims/);
  });

  test('parameters: positional and named values are bound; a missing one is a clear error', () => {
    const q = 'select * from public.events where user_id = $1 and kind = :kind';
    const ok = embedded('--analyze', '--format', 'json', '--param', ALICE, '--param', 'kind=purchase', q);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).nodes[0].rows.actual, 50);
    const missing = embedded('--analyze', '--param', ALICE, q);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /^dbe explain: Missing value for :kind\. Give them with --param VALUE/);
  });

  test('malformed SQL: exit 1 with the position; from a file, file:line:column', () => {
    const r = embedded('select * fro public.events');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /syntax error at or near "fro" \(line 1, column 10\)/i);
    const f = embedded('--file', 'queries/purchases.sql', '--statement', '2');
    assert.equal(f.code, 1);
    assert.match(f.stderr, /^dbe explain: queries\/purchases\.sql:7:15: syntax error: syntax error at or near "="/);
  });

  test('--file picks one statement; a file with several needs --statement', () => {
    const many = embedded('--file', 'queries/purchases.sql');
    assert.equal(many.code, 2);
    assert.match(many.stderr, /holds 2 statements; pick one with --statement N \(1…2\)/);
    const one = embedded('--file', 'queries/purchases.sql', '--statement', '1', '--format', 'json');
    assert.equal(one.code, 0, one.stderr);
    assert.match(JSON.parse(one.stdout).query, /^select id, user_id from public\.events\nwhere kind = 'purchase'$/);
  });

  test('SQL starting with a comment is a statement, not an option', () => {
    const r = embedded('--format', 'json', "-- my query\nselect 1");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).nodes[0].nodeType, 'Result');
  });

  test('supabase/seed.sql is applied after the migrations', () => {
    const r = embedded('--analyze', '--format', 'json', 'select * from public.plans');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).nodes[0].rows.actual, 3);
  });

  test('on a terminal: a progress line on stderr while the embedded database builds, colours in the text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbe-explain-tty-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(join(dir, 'migrations/001.sql'), 'create table t (id int primary key, v text);\n');
      const out: string[] = [];
      const err: string[] = [];
      const io = { cwd: dir, env: {}, stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: true, stdoutIsTTY: true };
      assert.equal(await main(['explain', '--cache-dir', join(dir, 'cache'), 'select * from t where id = 1'], io), 0, err.join(''));
      assert.match(err.join(''), /Building the embedded database from 1 migration file… 1\/1 migrations\/001\.sql/);
      assert.match(out.join(''), /\x1b\[1mSeq Scan on public\.t\x1b\[0m/);
      out.length = 0;
      assert.equal(await main(['explain', '--no-color', '--cache-dir', join(dir, 'cache'), 'select * from t'], io), 0);
      assert.doesNotMatch(out.join(''), /\x1b\[/);
      assert.match(out.join(''), /Seq Scan on public\.t/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('usage errors exit 2', () => {
    assert.equal(embedded('--format', 'xml', 'select 1').code, 2);
    assert.equal(embedded().code, 2);
    assert.equal(embedded('--rows', 'many', 'select 1').code, 2);
    const r = dbe(['explain', '--db', 'mysql://x', 'select 1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--db: mysql:\/\/ is not a PostgreSQL URL; it should start with postgres:\/\//);
  });

  test('migration statements the embedded database refused are listed', () => {
    const other = mkdtempSync(join(tmpdir(), 'dbe-explain-broken-'));
    try {
      mkdirSync(join(other, 'migrations'));
      writeFileSync(join(other, 'migrations/001.sql'), 'create table a (id int);\n\nalter table nope add column x int;\n');
      const r = dbe(['explain', '--cache-dir', cache, '--migrations', other, 'select * from a']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /could not apply 1 migration statement[\s\S]*001\.sql:3: relation "nope" does not exist/);
      const missing = dbe(['explain', '--cache-dir', cache, '--migrations', other, 'select * from b']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /relation "b" does not exist[\s\S]*could not apply 1 migration statement/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('dbe db explain is an alias of dbe explain --format json', () => {
    const r = dbe(['db', 'explain', '--cache-dir', cache, '--analyze', '--as', 'authenticated', '--claims', JSON.stringify({ sub: ALICE }), 'select * from public.events']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.format, 'dbe-plan');
    assert.equal(doc.nodes.find((n: { nodeType: string }) => n.nodeType === 'Seq Scan').rows.actual, 5000);
  });
});

describe('dbe explain --db on PostgreSQL 15', () => {
  let pg: TestPostgres;
  let client: Client;
  before(async () => {
    pg = await startPostgres();
    const admin = await pg.superuser(pg.database);
    try {
      const issues: { file: string; line: number; message: string }[] = [];
      await applySql((sql) => admin.query(sql), '<bootstrap>', SUPABASE_BOOTSTRAP_SQL, issues);
      assert.deepEqual(issues, []);
      await admin.query(`grant anon, authenticated, service_role to ${pg.user}`);
    } finally {
      await admin.end();
    }
    client = new Client({ connectionString: pg.url });
    await client.connect();
    await client.query(MIGRATION);
    await client.query('analyze public.events');
  });
  after(async () => {
    await client?.end();
    pg?.stop();
  });

  const count = async () => Number((await client.query('select count(*)::int as n from public.events')).rows[0].n);

  test('the same plan and insight on the real server', () => {
    const r = dbe(['explain', '--db', pg.url, '--analyze', "select * from public.events where kind = 'purchase'"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Seq Scan on public\.events .*→ 200/);
    assert.match(r.stdout, /Sequential scan on public\.events discards 99%/);
    assert.match(r.stdout, /ran on the live database with ANALYZE/);
    const doc = JSON.parse(dbe(['explain', '--db', pg.url, '--analyze', '--format', 'json', "select * from public.events where kind = 'purchase'"]).stdout);
    assert.equal(doc.analyzed, true);
    assert.equal(doc.insights[0].kind, 'seq-scan-filter');
    assert.match(JSON.stringify(doc.settings ?? {}), /^\{/);
  });

  test('EXPLAIN ANALYZE of a DELETE leaves the rows', async () => {
    assert.equal(await count(), 20000);
    const r = dbe(['explain', '--db', pg.url, '--analyze', '--format', 'json', "delete from public.events where kind = 'view'"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.nodes[0].nodeType, 'ModifyTable');
    assert.equal(doc.nodes[1].rows.actual, 19800, 'the delete really ran');
    assert.equal(await count(), 20000, 'and was rolled back');
  });

  test('the password can come from PGPASSWORD', () => {
    const url = pg.url.replace(`:${pg.password}@`, '@');
    const r = dbe(['explain', '--db', url, '--format', 'json', 'select 1'], { PGPASSWORD: pg.password });
    assert.equal(r.code, 0, r.stderr);
  });

  test('run as authenticated: RLS-filtered row counts', () => {
    const r = dbe(['explain', '--db', pg.url, '--analyze', '--format', 'json', '--role', 'authenticated', '--claims', JSON.stringify({ sub: ALICE }), 'select * from public.events']);
    assert.equal(r.code, 0, r.stderr);
    const scan = JSON.parse(r.stdout).nodes.find((n: { nodeType: string }) => n.nodeType === 'Seq Scan');
    assert.equal(scan.rows.actual, 5000);
  });

  test('a server-side error and an unreachable server are exit 1 with the reason', () => {
    const r = dbe(['explain', '--db', pg.url, 'select * from public.nothing_here']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /relation "public\.nothing_here" does not exist/);
    const bad = dbe(['explain', '--db', pg.url.replace(/:(\d+)\//, ':1/'), 'select 1']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^dbe explain: Nothing is listening at 127\.0\.0\.1:1/);
    const role = dbe(['explain', '--db', pg.url, '--role', 'nobody', 'select 1']);
    assert.equal(role.code, 1);
    assert.match(role.stderr, /The role "nobody" does not exist/);
  });
});
