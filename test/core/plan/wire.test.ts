// The packed form a plan takes to the webview: what comes out is what went in, and it is much smaller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { comparePlans } from '../../../src/core/plan/compare';
import { encodeMessage, packMessage, unpackMessage } from '../../../src/core/plan/wire';
import type { HostToWebview } from '../../../src/core/plan/protocol';
import type { PlanNode } from '../../../src/core/plan/types';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/plans', `${name}.json`), 'utf8');
const FIXTURES = ['initplan-pg16', 'jit-trigger', 'nested-loop-loops', 'parallel-gather'];

/** What a message looks like after any JSON trip (the webview's saved state is one): both sides must match exactly. */
const viaJson = (m: unknown) => JSON.parse(JSON.stringify(m)) as HostToWebview;

/** A balanced tree of `n` hash joins over filtered scans. */
function bigPlan(n: number): unknown {
  let next = 0;
  const make = (budget: number): Record<string, unknown> => {
    const id = next++;
    const base = { 'Total Cost': budget * 10, 'Plan Rows': budget, 'Actual Total Time': budget * 0.05, 'Actual Rows': budget * 3, 'Actual Loops': 1, 'Shared Hit Blocks': budget * 4 };
    if (budget <= 1) return { 'Node Type': 'Seq Scan', 'Relation Name': `t${id}`, Filter: '(status = 1)', 'Rows Removed by Filter': 20000, ...base };
    const left = Math.ceil((budget - 1) / 2);
    return { 'Node Type': 'Hash Join', 'Hash Cond': '(a.id = b.a_id)', ...base, Plans: budget - 1 - left > 0 ? [make(left), make(budget - 1 - left)] : [make(left)] };
  };
  return [{ Plan: make(n), 'Execution Time': n * 0.05 }];
}

test('every fixture plan comes back from the wire equal to what was sent, raw fields in their order', () => {
  for (const name of FIXTURES) {
    const plan = analyzePlan(fixture(name), { query: 'select 1' });
    const sent: HostToWebview = { type: 'show', title: name, plan, source: 'file:///q.sql',
      context: { source: 'embedded', where: 'here', analyzed: true, runAs: null, notes: [] } };
    const back = unpackMessage(JSON.parse(encodeMessage(sent)));
    assert.ok(!(back instanceof Error) && back.type === 'show');
    assert.deepEqual(viaJson(back), viaJson(sent), name);
    // Read field by field, as the webview does, not only through toJSON.
    for (const node of plan.nodes) {
      const got: PlanNode = back.plan.nodes[node.id]!;
      for (const key of Object.keys(node) as (keyof typeof node)[]) assert.deepEqual(got[key], node[key], `${name} node ${node.id} ${key}`);
      assert.deepEqual(Object.keys(got.fields), Object.keys(node.fields), name);
    }
  }
});

test('a compare message carries both plans; an error message passes through', () => {
  const before = analyzePlan(fixture('nested-loop-loops'));
  const after = analyzePlan(fixture('parallel-gather'));
  const compare: HostToWebview = { type: 'compare', title: 't', before, after, beforeLabel: 'B', afterLabel: 'A', comparison: comparePlans([before], [after]) };
  assert.deepEqual(viaJson(unpackMessage(JSON.parse(encodeMessage(compare)))), viaJson(compare));
  const error: HostToWebview = { type: 'error', message: 'column "titel" does not exist' };
  assert.deepEqual(unpackMessage(JSON.parse(encodeMessage(error))), error);
});

test('anything else is refused with a reason, not thrown', () => {
  assert.match(String(unpackMessage({ type: 'show' })), /not a packed plan message/);
  assert.match(String(unpackMessage(null)), /not a packed plan message/);
  assert.match(String(unpackMessage({ v: 99, message: {}, plans: {} })), /format 99 is not the one this panel reads/);
});

test('a 2,000-node plan packs to under half its plain JSON', () => {
  const plan = analyzePlan(bigPlan(2000));
  const plain = JSON.stringify({ type: 'show', title: 't', plan }).length;
  const packed = JSON.stringify(packMessage({ type: 'show', title: 't', plan })).length;
  assert.ok(packed < plain / 2, `packed ${packed} vs plain ${plain}`);
});
