// Misestimate flags that do not cry wolf: nodes that stop early by design, tiny differences, and words that match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { estimateWords } from '../../../src/core/plan/estimates';
import { renderPlanText } from '../../../src/core/plan/text';

type Raw = Record<string, unknown>;
const node = (type: string, planRows: number, actualRows: number, extra: Raw = {}, plans: Raw[] = []): Raw => ({
  'Node Type': type, 'Startup Cost': 0, 'Total Cost': 100, 'Plan Rows': planRows, 'Plan Width': 8,
  'Actual Startup Time': 0.1, 'Actual Total Time': 1, 'Actual Rows': actualRows, 'Actual Loops': 1, ...extra,
  ...(plans.length ? { Plans: plans } : {}),
});
const plan = (root: Raw) => analyzePlan([{ Plan: root, 'Execution Time': 2 }]);

test('a top-N Sort under a Limit is not a misestimate, but the scan below the Sort is judged on its own', () => {
  const a = plan(node('Limit', 20, 20, {}, [
    node('Sort', 20000, 20, { 'Parent Relationship': 'Outer', 'Sort Key': ['d.updated_at DESC'] }, [
      node('Seq Scan', 20000, 20000, { 'Parent Relationship': 'Outer', 'Relation Name': 'documents', Alias: 'd' }),
    ]),
  ]));
  const sort = a.nodes[1]!;
  assert.equal(sort.rows.factor, 1000);
  assert.equal(sort.rows.misestimated, false);
  assert.match(sort.rows.stopsEarly!, /Limit/);
  assert.match(estimateWords(sort.rows), /1,000× fewer rows than estimated, as expected: under a Limit/);
  assert.ok(!a.insights.some((i) => i.kind === 'misestimate'));
  assert.doesNotMatch(renderPlanText(a), /▼/);
});

test('below a Sort, a Limit does not excuse the scan: the Sort reads all of its input', () => {
  const a = plan(node('Limit', 20, 20, {}, [
    node('Sort', 20000, 20, { 'Parent Relationship': 'Outer' }, [
      node('Seq Scan', 20000, 50, { 'Parent Relationship': 'Outer', 'Relation Name': 'documents' }),
    ]),
  ]));
  const scan = a.nodes[2]!;
  assert.equal(scan.rows.stopsEarly, null);
  assert.equal(scan.rows.misestimated, true);
  assert.equal(a.insights.filter((i) => i.kind === 'misestimate').map((i) => i.nodeId).join(), '2');
});

test('inner sides of semi joins and Merge Joins and EXISTS subplans stop early', () => {
  const semi = plan(node('Nested Loop', 100, 100, { 'Join Type': 'Semi' }, [
    node('Seq Scan', 100, 100, { 'Parent Relationship': 'Outer', 'Relation Name': 'a' }),
    node('Index Scan', 5000, 1, { 'Parent Relationship': 'Inner', 'Relation Name': 'b', 'Actual Loops': 100 }),
  ]));
  assert.equal(semi.nodes[2]!.rows.misestimated, false);
  assert.match(semi.nodes[2]!.rows.stopsEarly!, /semi join/);

  const merge = plan(node('Merge Join', 100, 100, { 'Join Type': 'Inner' }, [
    node('Index Scan', 100, 100, { 'Parent Relationship': 'Outer', 'Relation Name': 'a' }),
    node('Index Scan', 50000, 120, { 'Parent Relationship': 'Inner', 'Relation Name': 'b' }),
  ]));
  assert.equal(merge.nodes[2]!.rows.misestimated, false);

  const exists = plan(node('Seq Scan', 1000, 1000, { 'Relation Name': 'a', Filter: '(EXISTS(SubPlan 1) OR (a.x = 1))' }, [
    node('Seq Scan', 8000, 1, { 'Parent Relationship': 'SubPlan', 'Subplan Name': 'SubPlan 1', 'Relation Name': 'b', 'Actual Loops': 1000 }),
  ]));
  assert.equal(exists.nodes[1]!.rows.misestimated, false);
  assert.match(exists.nodes[1]!.rows.stopsEarly!, /EXISTS/);

  // The same subplan as a scalar subquery is not excused.
  const scalar = plan(node('Seq Scan', 1000, 1000, { 'Relation Name': 'a', Filter: '(a.x = (SubPlan 1))' }, [
    node('Seq Scan', 8000, 1, { 'Parent Relationship': 'SubPlan', 'Subplan Name': 'SubPlan 1', 'Relation Name': 'b', 'Actual Loops': 1000 }),
  ]));
  assert.equal(scalar.nodes[1]!.rows.misestimated, true);
});

test('tiny absolute differences are not flagged, and words match the numbers', () => {
  const a = plan(node('Seq Scan', 1, 0, { 'Relation Name': 't' }));
  const r = a.nodes[0]!.rows;
  assert.equal(r.direction, 'over');
  assert.equal(r.misestimated, false);
  assert.notEqual(estimateWords(r), 'exact');
  assert.equal(estimateWords(r), 'close (1 estimated, 0 actual per loop)');

  const small = plan(node('Seq Scan', 2, 60, { 'Relation Name': 't' })).nodes[0]!.rows;
  assert.equal(small.factor, 30);
  assert.equal(small.misestimated, false);
  assert.match(estimateWords(small), /30\.0× more rows than estimated, a difference of 58 rows: too few to matter/);

  const same = plan(node('Seq Scan', 7, 7, { 'Relation Name': 't' })).nodes[0]!.rows;
  assert.equal(estimateWords(same), 'exact');

  const big = plan(node('Seq Scan', 10, 5000, { 'Relation Name': 't' })).nodes[0]!.rows;
  assert.equal(big.misestimated, true);
  assert.equal(estimateWords(big), '500× more rows than estimated');
});
