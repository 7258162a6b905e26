// Before/after comparison: shape first, medians, and noise reported as "no measurable change".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { PGlite } from '@electric-sql/pglite';
import { COMPARE_RUNS, comparePlans, compareTimes, measureRuns, medianRun, renderComparisonText } from '../../../src/core/plan/compare';

type Raw = Record<string, unknown>;
const seq = (ms: number): Raw => ({ 'Node Type': 'Sort', 'Total Cost': 1500, 'Plan Rows': 10, 'Actual Total Time': ms, 'Actual Rows': 10, 'Actual Loops': 1,
  Plans: [{ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'documents', Schema: 'public', Alias: 'd', 'Total Cost': 1400, 'Plan Rows': 10,
    'Actual Total Time': ms * 0.9, 'Actual Rows': 10, 'Actual Loops': 1, Filter: '(owner_id = 1)', 'Rows Removed by Filter': 19990 }] });
const idx = (ms: number): Raw => ({ 'Node Type': 'Index Scan', 'Index Name': 'documents_owner_id_idx', 'Relation Name': 'documents', Schema: 'public', Alias: 'd',
  'Total Cost': 12, 'Plan Rows': 10, 'Actual Total Time': ms, 'Actual Rows': 10, 'Actual Loops': 1, 'Index Cond': '(owner_id = 1)' });
const run = (root: Raw, ms: number) => analyzePlan([{ Plan: root, 'Execution Time': ms }]);

test('an unchanged plan measured several times is "no measurable change", however the medians differ', () => {
  const before = [10.9, 4.2, 3.8].map((ms) => run(seq(ms), ms));
  const after = [3.9, 4.4, 3.7].map((ms) => run(seq(ms), ms));
  const c = comparePlans(before, after);
  assert.equal(c.shapeChanged, false);
  assert.equal(c.time.verdict, 'no-change');
  assert.equal(c.time.medianBefore, 4.2);
  assert.match(c.headline, /^Same plan shape; no measurable change in time\.$/);
  assert.match(c.cost, /unchanged/);
});

test('one cold run each of the same plan does not headline a gain', () => {
  const c = comparePlans([run(seq(10.9), 10.9)], [run(seq(3.9), 3.9)]);
  assert.equal(c.time.verdict, 'unknown');
  assert.doesNotMatch(c.headline, /faster|−64%/);
  assert.match(c.time.text, /one run each cannot tell a change from noise/);
});

test('a new index: the scan change comes first, then a time outside the spread', () => {
  const before = [40, 42, 41].map((ms) => run(seq(ms), ms));
  const after = [0.5, 0.6, 0.4].map((ms) => run(idx(ms), ms));
  const c = comparePlans(before, after);
  assert.equal(c.shapeChanged, true);
  assert.deepEqual(c.scans, ['public.documents: Seq Scan → Index Scan using documents_owner_id_idx']);
  assert.deepEqual(c.nodes, ['− Sort']);
  assert.equal(c.time.verdict, 'faster');
  assert.match(c.headline, /^The plan changed: public\.documents: Seq Scan → Index Scan using documents_owner_id_idx \(and 1 more\); 41\.0 ms → 0\.500 ms \(median of 3 runs\): 82\.0× faster\.$/);
  const text = renderComparisonText(c);
  assert.ok(text.indexOf('Plan shape:') < text.indexOf('time:'));
  assert.match(text, /cost 1500\.00 → 12\.00 \(125\.0× lower\)/);
});

test('join method changes are paired', () => {
  const join = (type: string): Raw => ({ 'Node Type': type, 'Join Type': 'Inner', 'Total Cost': 10, 'Plan Rows': 1, Plans: [
    { 'Node Type': 'Seq Scan', 'Relation Name': 'a', 'Total Cost': 1, 'Plan Rows': 1 }, { 'Node Type': 'Seq Scan', 'Relation Name': 'b', 'Total Cost': 1, 'Plan Rows': 1 }] });
  const c = comparePlans([analyzePlan({ Plan: join('Nested Loop') })], [analyzePlan({ Plan: join('Hash Join') })]);
  assert.deepEqual(c.joins, ['Nested Loop → Hash Join']);
  assert.equal(c.time.verdict, 'unknown');
  assert.match(c.time.text, /not measured/);
});

test('compareTimes: spreads that do not overlap name the direction', () => {
  assert.equal(compareTimes([5, 6, 7], [8, 9, 10], false).verdict, 'slower');
  assert.equal(compareTimes([5, 6, 7], [6.5, 9, 10], false).verdict, 'no-change');
});

test('measureRuns: one warm-up run per side is dropped, then COMPARE_RUNS runs each, the sides interleaved', async () => {
  const calls: string[] = [];
  const [before, after] = await measureRuns(['a', 'b'], async (side) => {
    calls.push(side);
    const ms = calls.length <= 2 ? 500 : side === 'a' ? 4 : 1; // the warm-up runs are slow (cold caches)
    return run(side === 'a' ? seq(ms) : idx(ms), ms);
  });
  assert.equal(COMPARE_RUNS, 3);
  assert.deepEqual(calls, ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
  assert.deepEqual(before!.map((p) => p.executionTime), [4, 4, 4]);
  assert.deepEqual(after!.map((p) => p.executionTime), [1, 1, 1]);
  await assert.rejects(measureRuns(['x'], async () => { throw new Error('no plan'); }), /no plan/);
  // The run shown for a side is the median one, so the plan's own times agree with the comparison.
  assert.equal(medianRun([9, 2, 5].map((ms) => run(seq(ms), ms))).executionTime, 5);
  assert.equal(medianRun([9, 2, 5, 7].map((ms) => run(seq(ms), ms))).executionTime, 5);
});

test('an unchanged rewrite, measured on a real database, is "no measurable change"', async () => {
  const db = await PGlite.create();
  try {
    await db.exec(`create table documents(id int primary key, title text, is_public boolean, created_at timestamptz);
      insert into documents select g, 't' || g, g % 3 = 0, now() - g * interval '1 minute' from generate_series(1, 500) g;`);
    const original = 'select id, title from documents where is_public = false order by created_at desc';
    // What a model may hand back as an "optimization": the same query in other words, so the same plan.
    const rewrite = 'SELECT id, title FROM documents WHERE NOT is_public ORDER BY created_at DESC';
    const explain = async (q: string) => {
      const r = await db.query<{ 'QUERY PLAN': unknown }>(`explain (analyze, buffers, format json) ${q}`);
      return analyzePlan(r.rows[0]!['QUERY PLAN'], { query: q });
    };
    const [before, after] = await measureRuns([original, rewrite], explain);
    const c = comparePlans(before!, after!);
    assert.equal(c.time.before.length, 3);
    assert.equal(c.shapeChanged, false, renderComparisonText(c));
    assert.equal(c.time.verdict, 'no-change', renderComparisonText(c));
    assert.equal(c.headline, 'Same plan shape; no measurable change in time.');
  } finally {
    await db.close();
  }
});

test('a rewrite that returns other rows (an added LIMIT), measured on a real database, is called a different query', async () => {
  const db = await PGlite.create();
  try {
    await db.exec(`create table documents(id int primary key, owner_id int, updated_at timestamptz);
      insert into documents select g, g % 4, now() - g * interval '1 minute' from generate_series(1, 2000) g;`);
    const original = 'select id from documents where owner_id = 1 order by updated_at desc';
    const rewrite = `${original} limit 50`;
    const explain = async (q: string) => {
      const r = await db.query<{ 'QUERY PLAN': unknown }>(`explain (analyze, format json) ${q}`);
      return analyzePlan(r.rows[0]!['QUERY PLAN'], { query: q });
    };
    const [before, after] = await measureRuns([original, rewrite], explain);
    const c = comparePlans(before!, after!);
    assert.equal(c.resultsDiffer, '500 rows → 50 rows');
    // No winner named: the times of two different queries say nothing about each other.
    assert.match(c.headline, /^Different results \(500 rows → 50 rows\): not the same query, so the times do not compare\. The plan changed: \+ Limit( \(and \d+ more\))?\.$/);
    assert.match(renderComparisonText(c), /^Rows returned: 500 rows → 50 rows\.$/m);
    // The same rows in other words: nothing to warn about.
    const [again, same] = await measureRuns([original, original.toUpperCase().replace('DOCUMENTS', 'documents')], explain);
    assert.equal(comparePlans(again!, same!).resultsDiffer, null);
  } finally {
    await db.close();
  }
});

test('row counts are only compared when both sides ran: a plan without ANALYZE says nothing about results', () => {
  const plain = (rows: number) => analyzePlan({ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'documents', 'Total Cost': 10, 'Plan Rows': rows } });
  assert.equal(comparePlans([plain(10)], [plain(500)]).resultsDiffer, null);
  assert.equal(comparePlans([run(seq(4), 4)], [run(idx(1), 1)]).resultsDiffer, null); // 10 rows each
  const one = run({ ...idx(1), 'Actual Rows': 1 }, 1);
  assert.equal(comparePlans([run(seq(4), 4)], [one]).resultsDiffer, '10 rows → 1 row');
});
