/**
 * When a row-count difference is worth a flag. The factor alone cries wolf: a node under a Limit is planned for
 * all its rows but asked for a few, and 1 estimated vs 0 actual is a factor of 1 yet not "exact". The rules here
 * decide `rows.misestimated`, `rows.stopsEarly` and the words shown for the numbers (docs/plan-insights.md).
 */
import type { PlanAnalysis, PlanNode, RowMetrics } from './types';
import { fmtCount, fmtFactor } from './format';
import { MISESTIMATE_FACTOR, MISESTIMATE_MIN_ROWS } from './thresholds';

/** Nodes that read their whole input before returning a row: a consumer stopping early does not reach below them. */
function blocking(n: PlanNode): boolean {
  if (n.nodeType === 'Sort' || n.nodeType === 'Hash') return true;
  // Sorted (streaming) aggregates and set operations hand on groups as they go; hashed and plain ones read everything first.
  return (n.nodeType === 'Aggregate' || n.nodeType === 'SetOp') && n.strategy !== 'Sorted';
}

/** "EXISTS(SubPlan 2)" (PostgreSQL 18) or "(alternatives: SubPlan 1 or hashed SubPlan 2)": stops at the first row. */
function existsSubplan(a: PlanAnalysis, sub: PlanNode): boolean {
  const name = /^(SubPlan|InitPlan) \d+/.exec(sub.subplanName ?? '')?.[0];
  if (!name || sub.parentId === null) return false;
  const exists = new RegExp(`EXISTS\\s*\\(\\s*${name}\\b|alternatives: ${name}\\b`);
  // The reference sits in an expression of the owner or of a node below it.
  const stack = [sub.parentId];
  for (let seen = 0; stack.length && seen < 500; seen++) {
    const n = a.nodes[stack.pop()!]!;
    for (const v of Object.values(n.fields)) {
      const texts = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
      if (texts.some((t) => typeof t === 'string' && exists.test(t))) return true;
    }
    for (const c of n.childIds) if (c !== sub.id) stack.push(c);
  }
  return false;
}

/**
 * Why this node may return fewer rows than planned by design, or null: its consumer stops asking. Walks up
 * while nothing in between reads its input to the end (a Sort under a Limit still reads all of its input).
 */
export function stopsEarly(a: PlanAnalysis, n: PlanNode): string | null {
  let child = n;
  for (let p = n.parentId; p !== null; p = a.nodes[p]!.parentId) {
    const parent = a.nodes[p]!;
    if (child.relationship === 'SubPlan' || child.relationship === 'InitPlan') {
      return existsSubplan(a, child) ? 'an EXISTS subquery stops at its first row' : null;
    }
    if (parent.nodeType === 'Limit') return 'under a Limit, it is asked for only the rows the Limit keeps';
    if (child.relationship === 'Inner') {
      if (/Semi|Anti/.test(parent.joinType ?? '')) return `inner side of a ${parent.joinType!.toLowerCase()} join: the first match ends each probe`;
      if (parent.fields['Inner Unique'] === true) return 'inner side of a join on a unique key: the first match ends each probe';
    }
    if (parent.nodeType === 'Merge Join') return 'input of a Merge Join, which stops reading one side when the other ends';
    if (blocking(parent)) return null;
    child = parent;
  }
  return null;
}

/** Fills `misestimated` and `stopsEarly` on every node (after rows and the tree are known). */
export function markEstimates(a: PlanAnalysis): void {
  for (const n of a.nodes) {
    const r = n.rows;
    r.stopsEarly = r.actual !== null && r.actual < r.estimated ? stopsEarly(a, n) : null;
    r.misestimated = isMisestimate(r) && !(r.direction === 'over' && r.stopsEarly !== null);
  }
}

/** The factor crosses MISESTIMATE_FACTOR and the larger total reaches MISESTIMATE_MIN_ROWS (2 vs 60 rows steers nothing). */
function isMisestimate(r: RowMetrics): boolean {
  return r.factor !== null && r.factor >= MISESTIMATE_FACTOR && r.actualTotal !== null
    && Math.max(r.estimatedTotal, r.actualTotal) >= MISESTIMATE_MIN_ROWS;
}

/** How the estimate compares, in words that match the numbers ("exact" only when they are equal). */
export function estimateWords(r: RowMetrics): string {
  if (r.actual === null || r.factor === null) return '';
  if (r.direction === 'exact') return 'exact';
  const more = r.direction === 'under';
  const diff = `${fmtCount(r.estimated)} estimated, ${fmtCount(r.actual)} actual per loop`;
  if (r.factor < 2) return `close (${diff})`;
  const head = `${fmtFactor(r.factor)} ${more ? 'more' : 'fewer'} rows than estimated`;
  if (r.misestimated) return head;
  if (!more && r.stopsEarly) return `${head}, as expected: ${r.stopsEarly}`;
  if (r.factor >= MISESTIMATE_FACTOR) return `${head}, a difference of ${fmtCount(Math.abs(r.estimatedTotal - (r.actualTotal ?? 0)))} rows: too few to matter`;
  return head;
}
