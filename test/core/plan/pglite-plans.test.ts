// Real plans from PostgreSQL (PGlite, PG 18 in WASM): one database per file, shared by every test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { analyzePlan } from '../../../src/core/plan/analyze';
import type { PlanAnalysis, PlanNode } from '../../../src/core/plan/types';

let db: PGlite;

before(async () => {
  db = await PGlite.create();
  await db.exec(`
    create table users(id int primary key, name text, org int);
    insert into users select g, 'u' || g, g % 100 from generate_series(1, 20000) g;
    create table orders(id int primary key, user_id int, total numeric, status text);
    insert into orders select g, g % 20000 + 1, g % 1000, case when g % 50 = 0 then 'open' else 'closed' end
      from generate_series(1, 100000) g;
    create index orders_user_id_idx on orders(user_id);
    create table lines(order_id int, n int);
    insert into lines select g % 3000, g from generate_series(1, 5000) g;
    create table corr(a int, b int);
    insert into corr select g % 100, g % 100 from generate_series(1, 10000) g;
    create table wide(id int, pad text);
    insert into wide select (g * 7919) % 60000, repeat('x', 300) from generate_series(1, 60000) g;
    create index wide_id_idx on wide(id);
    create table hf(id int primary key, v int);
    insert into hf select g, g from generate_series(1, 20000) g;
    create table docs(id int primary key, owner text, org int, body text);
    insert into docs select g, 'user' || (g % 500), g % 50, 'x' from generate_series(1, 20000) g;
    create table members(org int, uid text);
    insert into members select g % 50, 'user' || g from generate_series(1, 500) g;
    alter table docs enable row level security;
    create policy by_owner on docs using (owner = current_setting('request.jwt.claims', true)::json ->> 'sub');
    create policy by_org on docs using (org in (select org from members
      where uid = current_setting('request.jwt.claims', true)::json ->> 'sub'));
    create table docs2(id int primary key, owner text, body text);
    insert into docs2 select g, 'user' || (g % 500), 'x' from generate_series(1, 20000) g;
    alter table docs2 enable row level security;
    create policy by_owner_once on docs2 using (owner = (select current_setting('request.jwt.claims', true)::json ->> 'sub'));
    create role authenticated;
    grant select on docs, docs2, members to authenticated;
    analyze;
  `);
});

after(async () => {
  await db?.close();
});

/** Runs EXPLAIN with every option under the given settings, restoring them afterwards. */
async function explain(sql: string, settings: string[] = [], analyze = true): Promise<PlanAnalysis> {
  await db.exec('begin');
  try {
    for (const s of settings) await db.exec(s);
    const opts = analyze ? 'analyze, buffers, verbose, settings, format json' : 'verbose, settings, format json';
    const r = await db.query<{ 'QUERY PLAN': unknown }>(`explain (${opts}) ${sql}`);
    return analyzePlan(r.rows[0]!['QUERY PLAN'], { query: sql });
  } finally {
    await db.exec('rollback');
  }
}

const byType = (a: PlanAnalysis, type: string, relation?: string): PlanNode => {
  const n = a.nodes.find((x) => x.nodeType === type && (relation === undefined || x.relation === relation));
  assert.ok(n, `no ${type}${relation ? ` on ${relation}` : ''} in ${a.nodes.map((x) => x.label).join(' / ')}`);
  return n;
};
const kinds = (a: PlanAnalysis) => a.insights.map((i) => i.kind);
const sumExclusive = (a: PlanAnalysis) => a.nodes.reduce((s, n) => s + (n.exclusiveTime ?? 0), 0);

/** Exclusive times partition the root's time: nothing counted twice, nothing lost. */
function assertTimesAddUp(a: PlanAnalysis): void {
  assert.ok(a.totalTime! > 0);
  assert.ok(Math.abs(sumExclusive(a) - a.totalTime!) <= a.totalTime! * 0.02 + 0.01,
    `exclusive times sum to ${sumExclusive(a)}, root is ${a.totalTime}`);
  for (const n of a.nodes) assert.ok(n.exclusiveTime! >= 0 && n.exclusiveTime! <= n.inclusiveTime! + 1e-9, n.label);
}

test('seq scan that filters out most rows: rows, removed rows, buffers and an index fix', async () => {
  const a = await explain(`select * from orders where status = 'open'`);
  assert.equal(a.analyzed, true);
  assert.equal(a.hasBuffers, true);
  assert.equal(a.settings['max_parallel_workers_per_gather'], '0');
  const scan = byType(a, 'Seq Scan', 'orders');
  assert.equal(scan.label, 'Seq Scan on public.orders');
  assert.equal(scan.rows.actual, 2000);
  assert.equal(scan.removed.filter, 98000);
  assert.ok(scan.buffers!.sharedHit + scan.buffers!.sharedRead > 0);
  assert.deepEqual(scan.exclusiveBuffers, scan.buffers);
  assert.equal(scan.timeShare, 1);
  const insight = a.insights.find((i) => i.kind === 'seq-scan-filter');
  assert.ok(insight, kinds(a).join());
  assert.equal(insight.nodeId, scan.id);
  assert.equal(insight.sql, 'CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders (status);');
  assert.match(insight.detail, /read 100,000 rows/);
  assert.match(insight.detail, /kept 2,000/);
});

test('CTE and InitPlan time is charged to the node that evaluates them, not double-counted', async () => {
  const a = await explain(`with big as materialized (select * from orders where total > 900)
    select u.name, (select max(total) from orders) m from users u join big on big.user_id = u.id
    order by u.name, big.total limit 10`);
  assertTimesAddUp(a);
  const limit = a.nodes[0]!;
  assert.equal(limit.nodeType, 'Limit');
  const cte = a.nodes.find((n) => n.subplanName === 'CTE big')!;
  const init = a.nodes.find((n) => n.subplanName?.startsWith('InitPlan'))!;
  assert.equal(cte.relationship, 'InitPlan');
  assert.equal(cte.parentId, limit.id);
  // Both hang under the Limit, but neither ran there: the Limit only passes 10 rows on.
  assert.ok(limit.exclusiveTime! < limit.inclusiveTime! * 0.1, `limit exclusive ${limit.exclusiveTime} of ${limit.inclusiveTime}`);
  const scan = byType(a, 'CTE Scan');
  assert.ok(Math.abs(scan.exclusiveTime! - Math.max(0, scan.inclusiveTime! - cte.inclusiveTime!)) < 1e-9);
  // The InitPlan's result is first computed in the Hash Join's output: its time is inside the join's.
  const join = byType(a, 'Hash Join');
  const childTime = join.childIds.reduce((s, c) => s + a.nodes[c]!.inclusiveTime!, 0);
  assert.ok(Math.abs(join.exclusiveTime! - Math.max(0, join.inclusiveTime! - childTime - init.inclusiveTime!)) < 1e-9);
  // The top-N sort below a Limit emits fewer rows than estimated by design: not a misestimate.
  assert.ok(!a.insights.some((i) => i.kind === 'misestimate' && i.nodeId === byType(a, 'Sort').id));
});

test('an index scan whose filter discards most fetched rows suggests a multicolumn index', async () => {
  const a = await explain(`select * from orders where user_id < 5000 and status = 'open'`, ['set local enable_seqscan = off']);
  const scan = a.nodes.find((n) => n.filter && /Index Scan|Bitmap Heap Scan/.test(n.nodeType))!;
  assert.ok(scan, a.nodes.map((n) => n.label).join(' / '));
  assert.ok(scan.removed.filter > 20000);
  const insight = a.insights.find((i) => i.kind === 'index-scan-filter')!;
  assert.ok(insight, kinds(a).join());
  assert.equal(insight.nodeId, scan.id);
  assert.equal(insight.sql, 'CREATE INDEX CONCURRENTLY orders_status_user_id_idx ON public.orders (status, user_id);');
});

test('sort spilling to disk under a small work_mem', async () => {
  const a = await explain(`select * from orders order by status, total`, [`set local work_mem = '64kB'`]);
  const sort = byType(a, 'Sort');
  assert.equal(sort.sort!.spaceType, 'Disk');
  assert.match(sort.sort!.method!, /external/);
  assert.ok(sort.exclusiveBuffers!.tempWritten > 0);
  const insight = a.insights.find((i) => i.kind === 'sort-spill')!;
  assert.ok(insight, kinds(a).join());
  assert.equal(insight.nodeId, sort.id);
  assert.match(insight.sql!, /^SET work_mem = '\d+MB';$/);
  assert.match(insight.detail, /64kB/);
  assertTimesAddUp(a);
});

test('hash join batches spilling to disk', async () => {
  const a = await explain(`select * from orders o join users u on u.id = o.user_id`, [`set local work_mem = '64kB'`]);
  const hash = byType(a, 'Hash');
  assert.ok(hash.hash!.batches! > 1);
  const insight = a.insights.find((i) => i.kind === 'hash-spill')!;
  assert.ok(insight, kinds(a).join());
  assert.equal(insight.nodeId, hash.id);
});

test('nested loop re-scanning a table: loops multiply rows and time', async () => {
  const a = await explain(`select * from orders o join lines l on l.order_id = o.id where o.id <= 120`, [
    'set local enable_hashjoin = off', 'set local enable_mergejoin = off', 'set local enable_material = off',
    'set local enable_memoize = off', 'set local enable_indexscan = off', 'set local enable_bitmapscan = off',
  ]);
  const loop = byType(a, 'Nested Loop');
  const inner = a.nodes[loop.childIds.find((c) => a.nodes[c]!.relationship === 'Inner')!]!;
  assert.equal(inner.relation, 'lines');
  assert.equal(inner.loops, 120);
  assert.ok(Math.abs(inner.inclusiveTime! - inner.actualTotalTime! * 120) < 1e-9);
  assert.equal(inner.rows.actualTotal, 120 * inner.rows.actual!);
  assertTimesAddUp(a);
  const insight = a.insights.find((i) => i.kind === 'nested-loop-seq-scan')!;
  assert.ok(insight, kinds(a).join());
  assert.equal(insight.nodeId, loop.id);
  assert.match(insight.title, /120 times/);
  assert.equal(insight.sql, 'CREATE INDEX CONCURRENTLY lines_order_id_idx ON public.lines (order_id);');
});

test('misestimate on correlated columns suggests extended statistics', async () => {
  const a = await explain(`select * from corr where a = 1 and b = 1`);
  const scan = byType(a, 'Seq Scan', 'corr');
  assert.equal(scan.rows.actual, 100);
  assert.equal(scan.rows.direction, 'under');
  assert.ok(scan.rows.factor! >= 10);
  const insight = a.insights.find((i) => i.kind === 'misestimate')!;
  assert.ok(insight, kinds(a).join());
  assert.equal(insight.nodeId, scan.id);
  assert.match(insight.sql!, /^CREATE STATISTICS corr_a_b_stats \(dependencies, ndistinct, mcv\) ON a, b FROM public\.corr;/);
});

test('index-only scan with heap fetches on a never-vacuumed table suggests VACUUM', async () => {
  const a = await explain(`select id from hf where id < 15000`, ['set local enable_seqscan = off', 'set local enable_bitmapscan = off']);
  const scan = byType(a, 'Index Only Scan');
  assert.ok(scan.heapFetches! > 1000);
  const insight = a.insights.find((i) => i.kind === 'heap-fetches')!;
  assert.ok(insight, kinds(a).join());
  assert.equal(insight.sql, 'VACUUM (ANALYZE) public.hf;');
});

test('lossy bitmap heap scan under a small work_mem', async () => {
  const a = await explain(`select * from wide where id < 30000`, [
    `set local work_mem = '64kB'`, 'set local enable_seqscan = off', 'set local enable_indexscan = off',
  ]);
  const scan = byType(a, 'Bitmap Heap Scan');
  assert.ok(scan.lossyHeapBlocks! > 0, JSON.stringify(scan.fields));
  assert.ok(scan.removed.indexRecheck > 0);
  assert.ok(a.insights.some((i) => i.kind === 'lossy-bitmap' && i.nodeId === scan.id), kinds(a).join());
});

test('row-level security: per-row current_setting() and a hashed SubPlan policy', async () => {
  const a = await explain(`select * from docs`, [
    'set local role authenticated', `select set_config('request.jwt.claims', '{"sub":"user7"}', true)`,
  ]);
  const scan = byType(a, 'Seq Scan', 'docs');
  assert.match(scan.filter!, /hashed SubPlan 1/);
  const perRow = a.insights.find((i) => i.kind === 'rls-per-row-function')!;
  assert.ok(perRow, kinds(a).join());
  assert.equal(perRow.nodeId, scan.id);
  assert.match(perRow.fix, /\(select current_setting\(…\)\)/);
  assert.ok(a.insights.some((i) => i.kind === 'rls-subplan-filter' && /hashed subquery/.test(i.title)), kinds(a).join());
  // An OR of policies needs one index per branch, not a two-column index.
  const seq = a.insights.find((i) => i.kind === 'seq-scan-filter')!;
  assert.deepEqual(seq.sql!.split('\n'), [
    'CREATE INDEX CONCURRENTLY docs_owner_idx ON public.docs (owner);',
    'CREATE INDEX CONCURRENTLY docs_org_idx ON public.docs (org);',
  ]);
});

test('a policy wrapped in (select …) runs once as an InitPlan and is not flagged per row', async () => {
  const a = await explain(`select * from docs2`, [
    'set local role authenticated', `select set_config('request.jwt.claims', '{"sub":"user7"}', true)`,
  ]);
  const scan = byType(a, 'Seq Scan', 'docs2');
  assert.match(scan.filter!, /InitPlan 1/);
  assert.ok(!a.insights.some((i) => i.kind === 'rls-per-row-function'), kinds(a).join());
  assertTimesAddUp(a);
});

test('plain EXPLAIN without ANALYZE: cost shares, no times', async () => {
  const a = await explain(`select * from orders o join users u on u.id = o.user_id where o.status = 'open'`, [], false);
  assert.equal(a.analyzed, false);
  assert.equal(a.totalTime, null);
  assert.ok(a.totalCost > 0);
  for (const n of a.nodes) {
    assert.equal(n.exclusiveTime, null);
    assert.equal(n.timeShare, null);
    assert.ok(n.costShare >= 0 && n.costShare <= 1);
  }
  const shares = a.nodes.reduce((s, n) => s + n.costShare, 0);
  assert.ok(shares > 0.5 && shares <= 1.0001, String(shares));
});
