// Hand-checked plans (test/fixtures/plans): the loop, worker and InitPlan arithmetic with numbers
// worked out on paper, plus malformed input and a 50,000-node plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePlan, tryAnalyzePlan, PlanInputError } from '../../../src/core/plan/analyze';
import { planToExplainJson } from '../../../src/core/plan/serialize';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/plans', `${name}.json`), 'utf8');

test('parallel workers: a Parallel Seq Scan with 3 loops over 2 workers + leader', () => {
  const a = analyzePlan(fixture('parallel-gather'));
  const [gather, scan] = a.nodes;
  assert.equal(scan!.label, 'Parallel Seq Scan on public.events e');
  assert.equal(scan!.parallelProcesses, 3);
  // 90 ms per loop × 3 loops, run side by side by 3 processes: 90 ms of wall time, not 270.
  assert.equal(scan!.inclusiveTime, 90);
  assert.equal(gather!.inclusiveTime, 100);
  assert.equal(gather!.exclusiveTime, 10);
  assert.equal(gather!.timeShare, 0.1);
  assert.equal(scan!.timeShare, 0.9);
  assert.equal(scan!.rows.actualTotal, 3000);
  assert.equal(scan!.removed.filter, 60000);
  assert.deepEqual(gather!.exclusiveBuffers, { sharedHit: 0, sharedRead: 0, sharedDirtied: 0, sharedWritten: 0, localHit: 0, localRead: 0, localDirtied: 0, localWritten: 0, tempRead: 0, tempWritten: 0 });
  const insight = a.insights.find((i) => i.kind === 'seq-scan-filter')!;
  assert.equal(insight.nodeId, 1);
  assert.equal(insight.severity, 'critical');
  assert.match(insight.detail, /21,000 rows per loop \(3 loops\)/);
  assert.equal(insight.sql, 'CREATE INDEX CONCURRENTLY events_kind_idx ON public.events (kind);');
});

test('loops: an inner index scan run 200 times at 0.2 ms is 40 ms', () => {
  const a = analyzePlan(fixture('nested-loop-loops'));
  const [loop, outer, inner] = a.nodes;
  assert.equal(inner!.inclusiveTime, 40);
  assert.equal(outer!.inclusiveTime, 5);
  assert.equal(loop!.exclusiveTime, 5);
  assert.equal(inner!.timeShare, 0.8);
  assert.equal(inner!.rows.estimatedTotal, 600);
  assert.equal(inner!.rows.actualTotal, 600);
  assert.equal(inner!.rows.factor, 1);
  assert.equal(inner!.rows.direction, 'exact');
  assert.equal(inner!.label, 'Index Scan using books_author_id_idx on books b');
  assert.deepEqual(a.insights, []);
});

test('PostgreSQL ≤ 17 InitPlan "(returns $0)" is charged to the node whose filter reads $0', () => {
  const a = analyzePlan(fixture('initplan-pg16'));
  const [scan, agg, inner] = a.nodes;
  assert.equal(agg!.subplanName, 'InitPlan 1 (returns $0)');
  assert.equal(scan!.exclusiveTime, 10); // 30 − 20 (the InitPlan ran inside the scan's filter)
  assert.equal(agg!.exclusiveTime, 5);
  assert.equal(inner!.exclusiveTime, 15);
  assert.equal(a.nodes.reduce((s, n) => s + n.exclusiveTime!, 0), 30);
  // Costs: the InitPlan's cost is part of its owner's.
  assert.equal(scan!.exclusiveCost, 340 - 170.01);
});

test('JIT and a foreign-key trigger taking a large share of the execution time', () => {
  const a = analyzePlan(fixture('jit-trigger'));
  assert.equal(a.nodes[0]!.label, 'Delete on users');
  assert.equal(a.nodes[0]!.rows.factor, null); // no RETURNING: 0 rows is not a misestimate
  assert.deepEqual(a.jit, { functions: 6, generationMs: 1, inliningMs: 0, optimizationMs: 20, emissionMs: 39, totalMs: 60 });
  const jit = a.insights.find((i) => i.kind === 'jit-overhead')!;
  assert.equal(jit.nodeId, null);
  assert.match(jit.title, /30% of the execution time/);
  assert.equal(jit.sql, 'SET jit = off;');
  const trig = a.insights.find((i) => i.kind === 'slow-trigger')!;
  assert.match(trig.title, /RI_ConstraintTrigger_a_16450 on users took 40%/);
  assert.match(trig.fix, /foreign-key check \(orders_user_id_fkey\)/);
  assert.ok(!a.insights.some((i) => i.kind === 'misestimate'));
});

test('PostgreSQL 17 JIT timing objects and split I/O timings are read', () => {
  const a = analyzePlan({
    Plan: { 'Node Type': 'Result', 'Total Cost': 1, 'Plan Rows': 1, 'Shared I/O Read Time': 2.5, 'Temp I/O Write Time': 1 },
    JIT: { Functions: 2, Timing: { Generation: { Deform: 0.1, Total: 0.4 }, Inlining: 0, Optimization: 1, Emission: 2, Total: 3.4 } },
  });
  assert.equal(a.jit!.generationMs, 0.4);
  assert.equal(a.jit!.totalMs, 3.4);
  assert.equal(a.nodes[0]!.io!.sharedRead, 2.5);
  assert.equal(a.nodes[0]!.io!.tempWrite, 1);
  assert.equal(a.analyzed, false);
});

test('accepts the array, the object, the bare node, a JSON string, and a pg result row', () => {
  const raw = JSON.parse(fixture('nested-loop-loops'));
  for (const input of [raw, raw[0], raw[0].Plan, JSON.stringify(raw), JSON.stringify(JSON.stringify(raw)), { 'QUERY PLAN': raw }, [{ 'QUERY PLAN': JSON.stringify(raw) }]]) {
    const a = analyzePlan(input);
    assert.equal(a.nodes.length, 3);
    assert.equal(a.nodes[2]!.inclusiveTime, 40);
  }
});

test('malformed input fails with a message naming the problem', () => {
  const cases: [unknown, RegExp][] = [
    ['', /^not EXPLAIN JSON: the input is empty/],
    ['{"Plan": ', /^not EXPLAIN JSON: invalid JSON/],
    ['hello there', /expected JSON starting with/],
    ['Seq Scan on t  (cost=0.00..35.50 rows=2550 width=4)\nSeq Scan on u  (cost=0.00..1.00 rows=1 width=4)', /starts a second plan/],
    [[], /the array is empty/],
    [42, /expected a Plan object, got a number/],
    [null, /expected a Plan object, got null/],
    [{ rows: [] }, /expected a Plan object \(with "Plan" or "Node Type"\), got an object with keys "rows"/],
    [{ Plan: [] }, /"Plan" must be an object, got an array of 0/],
    [{ Plan: { 'Node Type': 'Hash Join', Plans: [{ 'Node Type': 'Seq Scan' }, { Filter: 'x' }] } }, /Plan\.Plans\[1\] has no "Node Type"/],
    [{ Plan: { 'Node Type': 'Limit', Plans: [{ 'Node Type': 'Sort', Plans: {} }] } }, /Plan\.Plans\[0\]\.Plans must be an array/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => analyzePlan(input), (err: unknown) => err instanceof PlanInputError && message.test((err as Error).message), String(message));
    const r = tryAnalyzePlan(input);
    assert.equal(r.ok, false);
  }
});

/** A plan as deep as it is large: a chain of 50,000 nodes. Recursion anywhere would overflow. */
function chainPlanText(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n - 1; i++) {
    parts.push(`{"Node Type":"Nested Loop","Join Type":"Inner","Startup Cost":0,"Total Cost":${n - i},"Plan Rows":10,"Plan Width":8,"Actual Startup Time":0,"Actual Total Time":${(n - i) / 100},"Actual Rows":10,"Actual Loops":1,"Plans":[`);
  }
  parts.push('{"Node Type":"Seq Scan","Relation Name":"t","Total Cost":1,"Plan Rows":10,"Actual Total Time":0.01,"Actual Rows":10,"Actual Loops":1}');
  for (let i = 0; i < n - 1; i++) parts.push(']}');
  return `[{"Plan":${parts.join('')},"Execution Time":${n / 100}}]`;
}

test('a 50,000-node plan, 50,000 levels deep, parses and serialises without recursion', () => {
  const n = 50_000;
  const a = analyzePlan(chainPlanText(n));
  assert.equal(a.nodes.length, n);
  assert.equal(a.nodes[n - 1]!.depth, n - 1);
  assert.equal(a.totalTime, n / 100);
  for (const node of [a.nodes[0]!, a.nodes[n / 2]!]) assert.ok(Math.abs(node.exclusiveTime! - 0.01) < 1e-6);
  const text = planToExplainJson(a);
  assert.equal(text, planToExplainJson(analyzePlan(text)));
});

test('a 50,000-node wide plan (an Append of 49,999 scans)', () => {
  const scans = Array.from({ length: 49_999 }, (_, i) => ({
    'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', 'Relation Name': `part_${i}`, 'Total Cost': 1, 'Plan Rows': 1,
    'Actual Total Time': 0.002, 'Actual Rows': 1, 'Actual Loops': 1,
  }));
  const a = analyzePlan({ Plan: { 'Node Type': 'Append', 'Total Cost': 49_999, 'Plan Rows': 49_999, 'Actual Total Time': 150, 'Actual Rows': 49_999, 'Actual Loops': 1, Plans: scans } });
  assert.equal(a.nodes.length, 50_000);
  assert.equal(a.nodes[0]!.childIds.length, 49_999);
  assert.ok(Math.abs(a.nodes[0]!.exclusiveTime! - (150 - 49_999 * 0.002)) < 1e-6);
  assert.equal(a.nodes[49_999]!.relation, 'part_49998');
});

test('EXPLAIN (ANALYZE, TIMING OFF): rows and loops kept, shares fall back to cost', () => {
  const raw = JSON.parse(fixture('nested-loop-loops'));
  const strip = (n: Record<string, unknown>) => {
    delete n['Actual Startup Time'];
    delete n['Actual Total Time'];
    for (const c of (n['Plans'] as Record<string, unknown>[] | undefined) ?? []) strip(c);
  };
  strip(raw[0].Plan);
  const a = analyzePlan(raw);
  assert.equal(a.analyzed, true);
  assert.equal(a.timed, false);
  assert.equal(a.totalTime, null);
  assert.equal(a.nodes[2]!.rows.actualTotal, 600);
  assert.equal(a.nodes[2]!.inclusiveTime, null);
  assert.equal(a.nodes[2]!.timeShare, null);
  assert.ok(a.nodes[0]!.costShare > 0);
});
