/**
 * Accepts what users paste or tools hand over — the array EXPLAIN (FORMAT JSON) returns, its single
 * element, a JSON string of either, a `pg` result row ({"QUERY PLAN": [...]}), a bare plan node, or the text
 * format psql prints (psql.ts) — and
 * returns the top-level object with a "Plan". Anything else is rejected with a message naming the problem.
 */
import { PlanInputError } from './errors';
import { looksLikeTextPlan, parseTextPlan } from './psql';

export { PlanInputError };

const fail = (message: string): never => {
  throw new PlanInputError(`not EXPLAIN JSON: ${message}`);
};

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isObject(v)) {
    const keys = Object.keys(v);
    return keys.length ? `an object with keys ${keys.slice(0, 6).map((k) => JSON.stringify(k)).join(', ')}${keys.length > 6 ? ', …' : ''}` : 'an empty object';
  }
  return `a ${typeof v}`;
}

function parseText(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) fail('the input is empty; paste the output of EXPLAIN (FORMAT JSON) …');
  if (!/^[[{"]/.test(trimmed)) {
    // What psql prints: EXPLAIN's text format.
    if (looksLikeTextPlan(trimmed)) return parseTextPlan(trimmed);
    fail(`expected JSON starting with "[" or "{", got ${JSON.stringify(trimmed.slice(0, 20))}`);
  }
  try {
    const value: unknown = JSON.parse(trimmed);
    // A JSON string holding JSON (double-encoded by some clients).
    return typeof value === 'string' ? parseText(value) : value;
  } catch (err) {
    if (err instanceof PlanInputError) throw err;
    return fail(`invalid JSON (${(err as Error).message})`);
  }
}

/** The top-level EXPLAIN object: {"Plan": {...}, "Planning Time": ..., ...}. */
export function normalizePlanInput(input: unknown): Record<string, unknown> {
  let value = typeof input === 'string' ? parseText(input) : input;
  for (let unwrap = 0; unwrap < 4; unwrap++) {
    if (Array.isArray(value)) {
      if (value.length === 0) fail('the array is empty; expected one element with a "Plan"');
      value = value[0];
      continue;
    }
    if (isObject(value) && 'QUERY PLAN' in value) {
      const inner = value['QUERY PLAN'];
      value = typeof inner === 'string' ? parseText(inner) : inner;
      continue;
    }
    if (typeof value === 'string') {
      value = parseText(value);
      continue;
    }
    break;
  }
  if (!isObject(value)) return fail(`expected a Plan object, got ${describe(value)}`);
  if ('Plan' in value) {
    if (!isObject(value['Plan'])) fail(`"Plan" must be an object, got ${describe(value['Plan'])}`);
    return value;
  }
  if (typeof value['Node Type'] === 'string') return { Plan: value };
  return fail(`expected a Plan object (with "Plan" or "Node Type"), got ${describe(value)}`);
}

/** Checks one node's shape; `path` names it in messages ("Plan.Plans[1]"). */
export function checkNode(node: unknown, path: string): asserts node is Record<string, unknown> {
  if (!isObject(node)) fail(`${path} must be a plan node object, got ${describe(node)}`);
  const n = node as Record<string, unknown>;
  if (typeof n['Node Type'] !== 'string') fail(`${path} has no "Node Type"`);
  if ('Plans' in n && !Array.isArray(n['Plans'])) fail(`${path}.Plans must be an array, got ${describe(n['Plans'])}`);
}
