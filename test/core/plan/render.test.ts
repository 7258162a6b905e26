// The CLI renderings: text tree, the `--format json` document, the chat summary, and the HTML shell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { renderPlanText } from '../../../src/core/plan/text';
import { planToJson, PLAN_JSON_VERSION } from '../../../src/core/plan/json';
import { planSummary } from '../../../src/core/plan/summary';
import { renderPlanHtml, embedJson } from '../../../src/core/plan/html';
import { unpackMessage } from '../../../src/core/plan/wire';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/plans', `${name}.json`), 'utf8');
const assets = { script: 'console.log("</script>")', style: 'body{} </style><x>' };

test('text: tree with shares, rows est → actual, loops, buffers and the insights with fixes', () => {
  const a = analyzePlan(fixture('parallel-gather'), { query: `select * from events where kind = 'click'` });
  const text = renderPlanText(a);
  const lines = text.split('\n');
  assert.match(lines[0]!, /^execution 101 ms · planning 0\.200 ms · cost 12000\.00 · 2 nodes · EXPLAIN ANALYZE$/);
  assert.ok(lines.includes(`  select * from events where kind = 'click'`));
  assert.ok(lines.some((l) => /^█·········  10%  Gather  10\.0 ms self, 100 ms total · rows 2,500 → 3,000$/.test(l)), text);
  assert.ok(lines.some((l) => /█████████·  90%    -> Parallel Seq Scan on public\.events e .*× 3 loops · removed 60,000 · buffers hit 900 read 300/.test(l)), text);
  assert.match(text, /Filter: \(e\.kind = 'click'::text\)/);
  assert.match(text, /Insights \(1\)\n\n1\. \[critical\] Sequential scan on public\.events discards 95% of the rows it reads \(node 1\)/);
  assert.match(text, /Fix: Index the filtered columns.*\n\s+CREATE INDEX CONCURRENTLY events_kind_idx ON public\.events \(kind\);/);
  assert.ok(!text.includes('\x1b['));
  assert.ok(renderPlanText(a, { color: true }).includes('\x1b[31m'));
});

test('text: misestimate marks and never-executed nodes', () => {
  const a = analyzePlan({ Plan: {
    'Node Type': 'Hash Join', 'Join Type': 'Left', 'Total Cost': 10, 'Plan Rows': 5, 'Actual Total Time': 3, 'Actual Rows': 5000, 'Actual Loops': 1,
    Plans: [
      { 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'a', 'Total Cost': 5, 'Plan Rows': 5, 'Actual Total Time': 1, 'Actual Rows': 5000, 'Actual Loops': 1 },
      { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', 'Total Cost': 5, 'Plan Rows': 100, 'Actual Total Time': 0, 'Actual Rows': 0, 'Actual Loops': 0,
        Plans: [{ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'b', 'Total Cost': 5, 'Plan Rows': 100, 'Actual Loops': 0 }] },
    ] } });
  const text = renderPlanText(a);
  assert.match(text, /Hash Left Join .*rows 5 → 5,000 ▲ 1,000×/);
  assert.match(text, /-> Hash  never executed · rows 100/);
  // The misestimate starts at the scan; the join above only inherits it.
  const mis = a.insights.filter((i) => i.kind === 'misestimate');
  assert.deepEqual(mis.map((i) => i.nodeId), [1]);
  assert.equal(mis[0]!.severity, 'critical');
});

test('text: a 50,000-deep plan stays linear in size (indentation is capped)', () => {
  let plan: Record<string, unknown> = { 'Node Type': 'Seq Scan', 'Relation Name': 't', 'Total Cost': 1, 'Plan Rows': 1 };
  for (let i = 0; i < 50_000; i++) plan = { 'Node Type': 'Limit', 'Total Cost': 1, 'Plan Rows': 1, Plans: [plan] };
  const text = renderPlanText(analyzePlan({ Plan: plan }), { maxIndentDepth: 30 });
  assert.ok(text.length < 50_001 * 200, String(text.length));
  assert.match(text, /…\[depth 50000\] -> Seq Scan on t/);
});

test('json: the stable document, with the raw plan intact', () => {
  const a = analyzePlan(fixture('nested-loop-loops'), { query: 'select 1' });
  const doc = JSON.parse(planToJson(a));
  assert.equal(doc.format, 'dbe-plan');
  assert.equal(doc.version, PLAN_JSON_VERSION);
  assert.equal(doc.query, 'select 1');
  assert.equal(doc.analyzed, true);
  assert.equal(doc.timed, true);
  assert.equal(doc.executionTime, 50.5);
  assert.deepEqual(doc.summary, { nodes: 3, critical: 0, warnings: 0, info: 0, hottestNodeId: 2 });
  assert.deepEqual(Object.keys(doc.nodes[2]), ['id', 'parentId', 'depth', 'childIds', 'nodeType', 'label', 'relationship', 'subplanName',
    'relation', 'schema', 'alias', 'indexName', 'cost', 'time', 'rows', 'removed', 'buffers', 'exclusiveBuffers', 'io', 'conditions']);
  assert.deepEqual(doc.nodes[2].time, { inclusiveMs: 40, exclusiveMs: 40, share: 0.8, inclusiveShare: 0.8, loops: 200, perLoopMs: 0.2 });
  assert.equal(doc.nodes[2].conditions.indexCond, '(b.author_id = a.id)');
  assert.deepEqual(doc.plan, JSON.parse(fixture('nested-loop-loops')));
  assert.equal(JSON.parse(planToJson(a, { includePlan: false, indent: 0 })).plan, undefined);
});

test('summary for chat: hottest nodes first and every insight with its fix', () => {
  const s = planSummary(analyzePlan(fixture('parallel-gather'), { query: 'select * from events' }));
  assert.match(s, /^EXPLAIN ANALYZE plan: 2 nodes, total cost 12000\.00, execution 101 ms/);
  assert.match(s, /Hottest nodes \(by own time\):\n- #1 Parallel Seq Scan on public\.events e · 90%/);
  assert.match(s, /- \[critical\] Sequential scan .*Fix: .*CREATE INDEX CONCURRENTLY events_kind_idx/s);
});

test('html: embedded data cannot close the script element; inline code is neutralised', () => {
  const raw = JSON.parse(fixture('nested-loop-loops'));
  raw[0].Plan.Plans[0]['Relation Name'] = '</script><script>alert(1)</script>\u2028<!--';
  const a = analyzePlan(raw, { query: 'select 1 -- </SCRIPT>' });
  const html = renderPlanHtml(a, { assets, title: '<b>t</b>', nonce: 'abc' });
  assert.equal(html.match(/<\/script>/gi)!.length, 2); // the data element's and the app's own
  assert.ok(!html.includes('\u2028'));
  assert.ok(!html.includes('<!--'));
  assert.match(html, /<title>&lt;b&gt;t&lt;\/b&gt;<\/title>/);
  assert.match(html, /content="default-src 'none'; script-src 'nonce-abc'; style-src 'nonce-abc'; img-src data:;/);
  assert.ok(html.includes('console.log("<\\/script>")'));
  assert.ok(html.includes('body{} <\\/style><x>'));
  const data = html.slice(html.indexOf('id="dbe-plan-data">') + 19, html.indexOf('</script>'));
  const message = unpackMessage(JSON.parse(data));
  assert.ok(!(message instanceof Error) && message.type === 'show', String(message));
  assert.equal(message.plan.nodes[1]!.relation, '</script><script>alert(1)</script>\u2028<!--');
  assert.equal(embedJson('\u2029&'), '"\\u2029\\u0026"');
});
