// Real parallel plans and PostgreSQL ≤ 17 InitPlan naming, from a PostgreSQL 15 server
// (PGlite is single-process and names InitPlans the PostgreSQL 18 way).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePlan } from '../../../src/core/plan/analyze';
import type { PlanAnalysis } from '../../../src/core/plan/types';
import { startPostgres, type TestPostgres } from './postgres';

let pg: TestPostgres;

before(async () => {
  pg = await startPostgres(['max_parallel_workers_per_gather=2', 'parallel_setup_cost=0', 'parallel_tuple_cost=0', 'min_parallel_table_scan_size=0']);
  await pg.client.query(`
    create table events(id int, kind text, payload text);
    insert into events select g, case when g % 20 = 0 then 'click' else 'view' end, repeat('x', 50) from generate_series(1, 300000) g;
    analyze events;
  `);
});
after(async () => {
  await pg?.stop();
});

async function explain(sql: string): Promise<PlanAnalysis> {
  const r = await pg.client.query(`explain (analyze, buffers, verbose, settings, format json) ${sql}`);
  return analyzePlan(r.rows[0]['QUERY PLAN'], { query: sql });
}

test('Gather over a Parallel Seq Scan: loops split across workers + leader', async () => {
  const a = await explain(`select count(*) from events where kind = 'click'`);
  const gather = a.nodes.find((n) => n.nodeType === 'Gather')!;
  assert.ok(gather, a.nodes.map((n) => n.label).join(' / '));
  const scan = a.nodes.find((n) => n.nodeType === 'Seq Scan')!;
  assert.equal(scan.label, 'Parallel Seq Scan on public.events');
  const processes = gather.workersLaunched! + 1;
  assert.equal(scan.parallelProcesses, processes);
  assert.equal(scan.loops, processes);
  assert.ok(Math.abs(scan.inclusiveTime! - scan.actualTotalTime!) < 1e-9, 'loops × per-loop time ÷ processes = per-loop time');
  assert.ok(scan.inclusiveTime! <= gather.inclusiveTime! * 1.05);
  assert.equal(scan.rows.actualTotal, 15000);
  assert.equal(scan.removed.filter, 285000);
  for (const n of a.nodes) assert.ok(n.exclusiveTime! >= 0 && n.exclusiveTime! <= n.inclusiveTime! + 1e-9, n.label);
  const shares = a.nodes.reduce((s, n) => s + n.timeShare!, 0);
  assert.ok(shares > 0.9 && shares < 1.1, String(shares));
  const insight = a.insights.find((i) => i.kind === 'seq-scan-filter')!;
  assert.ok(insight, a.insights.map((i) => i.kind).join());
  assert.equal(insight.sql, 'CREATE INDEX CONCURRENTLY events_kind_idx ON public.events (kind);');
});

test('PostgreSQL 15 "InitPlan 1 (returns $0)": charged to the node that reads $0', async () => {
  await pg.client.query('set max_parallel_workers_per_gather = 0');
  try {
    const a = await explain(`select * from events where id = (select max(id) from events)`);
    const init = a.nodes.find((n) => n.relationship === 'InitPlan')!;
    assert.match(init.subplanName!, /^InitPlan 1 \(returns \$0\)$/);
    const owner = a.nodes[init.parentId!]!;
    assert.match(owner.filter!, /\$0/);
    assert.ok(Math.abs(owner.exclusiveTime! - Math.max(0, owner.inclusiveTime! - init.inclusiveTime!)) < 1e-9);
    const sum = a.nodes.reduce((s, n) => s + n.exclusiveTime!, 0);
    assert.ok(Math.abs(sum - a.totalTime!) <= a.totalTime! * 0.02 + 0.01, `${sum} vs ${a.totalTime}`);
  } finally {
    await pg.client.query('reset max_parallel_workers_per_gather');
  }
});
