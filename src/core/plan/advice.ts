/**
 * Insights ranked by what fixing them could save, estimated from where the time goes: the node's own time
 * (its exclusive time) times the part of it the fix removes. Rough on purpose — it orders the advice, it does
 * not promise a number — and without ANALYZE the same is done with the node's own cost.
 */
import type { Insight, InsightKind, PlanAnalysis, PlanNode } from './types';

export interface RankedInsight {
  insight: Insight;
  /** Index in `analysis.insights` (what the panel's buttons refer to). */
  index: number;
  /** Estimated ms saved (or cost units without timing). */
  saving: number;
  /** saving / the plan's total time (or cost). */
  share: number;
  /** "ms" with ANALYZE timing, "cost" without. */
  unit: 'ms' | 'cost';
}

/** The part of the node's own time a fix of this kind typically removes. */
const RECOVERABLE: Record<InsightKind, number> = {
  'seq-scan-filter': 0.9,
  'index-scan-filter': 0.8,
  'nested-loop-seq-scan': 0.9,
  'rls-per-row-function': 0.8,
  'rls-subplan-filter': 0.8,
  'sort-spill': 0.5,
  'hash-spill': 0.5,
  'temp-spill': 0.4,
  'lossy-bitmap': 0.4,
  'heap-fetches': 0.5,
  // A wrong estimate costs through the plan chosen above it: part of the parent's time.
  misestimate: 0.25,
  'jit-overhead': 1,
  'slow-trigger': 0.8,
};

function ownTime(a: PlanAnalysis, n: PlanNode): number {
  return a.timed ? n.exclusiveTime ?? 0 : n.exclusiveCost;
}

function inclusive(a: PlanAnalysis, n: PlanNode): number {
  return a.timed ? n.inclusiveTime ?? 0 : n.totalCost;
}

function saving(a: PlanAnalysis, i: Insight): number {
  const f = RECOVERABLE[i.kind];
  if (i.kind === 'jit-overhead') return a.timed ? a.jit?.totalMs ?? 0 : 0;
  if (i.kind === 'slow-trigger') {
    const t = a.triggers.find((x) => i.title.includes(x.name));
    return a.timed ? (t?.timeMs ?? 0) * f : 0;
  }
  const n = i.nodeId !== null ? a.nodes[i.nodeId] : undefined;
  if (!n) return 0;
  if (i.kind === 'nested-loop-seq-scan' || i.kind === 'rls-subplan-filter') return inclusive(a, n) * f;
  if (i.kind === 'misestimate') {
    const parent = n.parentId !== null ? a.nodes[n.parentId]! : n;
    return inclusive(a, parent) * f;
  }
  if (i.kind === 'seq-scan-filter' || i.kind === 'index-scan-filter') {
    const kept = n.rows.actualTotal ?? 0;
    const removed = n.removed.filter;
    return ownTime(a, n) * Math.min(f, removed / Math.max(1, removed + kept));
  }
  return ownTime(a, n) * f;
}

/** Worst first by estimated saving; ties keep severity order (the insights' own order). */
export function rankInsights(a: PlanAnalysis): RankedInsight[] {
  const total = a.timed ? a.totalTime ?? 0 : a.totalCost;
  return a.insights
    .map((insight, index) => {
      const s = saving(a, insight);
      return { insight, index, saving: s, share: total > 0 ? Math.min(1, s / total) : 0, unit: a.timed ? 'ms' as const : 'cost' as const };
    })
    .sort((x, y) => y.saving - x.saving || x.index - y.index);
}

/** The node to talk about first: the top insight's node, else the node with the most own time. */
export function worstNode(a: PlanAnalysis): number | null {
  const top = rankInsights(a).find((r) => r.insight.nodeId !== null);
  if (top) return top.insight.nodeId;
  let best: PlanNode | null = null;
  for (const n of a.nodes) if (!best || ownTime(a, n) > ownTime(a, best)) best = n;
  return best?.id ?? null;
}
