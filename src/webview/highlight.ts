/**
 * Highlight modes: what the bars in the tree measure. Each mode gives a node's own share and its share with
 * children (both 0…1), the text shown at the end of the row, and the legend that explains the bars.
 */
import type { PlanAnalysis, PlanNode } from '../core/plan/types';
import { h } from './dom';
import { fmtBlocks, fmtCount, fmtMs, fmtPct } from '../core/plan/format';

export type Mode = 'duration' | 'rows' | 'cost' | 'buffers';

export const MODES: { id: Mode; label: string }[] = [
  { id: 'duration', label: 'Duration' },
  { id: 'rows', label: 'Rows' },
  { id: 'cost', label: 'Cost' },
  { id: 'buffers', label: 'Buffers' },
];

export interface Measure {
  self: number;
  withChildren: number;
  text: string;
}

const blocks = (n: PlanNode, own: boolean) => {
  const b = own ? n.exclusiveBuffers : n.buffers;
  return b ? b.sharedHit + b.sharedRead + b.localHit + b.localRead + b.tempRead + b.tempWritten : 0;
};

/** A measure per node for `mode`; maxima are computed once per plan and mode. */
export function measurer(a: PlanAnalysis, mode: Mode): (n: PlanNode) => Measure {
  if (mode === 'duration' && a.timed) {
    return (n) => ({ self: n.timeShare ?? 0, withChildren: n.inclusiveShare ?? 0, text: `${fmtMs(n.exclusiveTime)} · ${fmtPct(n.timeShare)}` });
  }
  if (mode === 'rows') {
    let max = 0;
    const rowsOf = (n: PlanNode) => n.rows.actualTotal ?? n.rows.estimatedTotal;
    for (const n of a.nodes) max = Math.max(max, rowsOf(n));
    return (n) => ({ self: max ? rowsOf(n) / max : 0, withChildren: 0, text: `${fmtCount(rowsOf(n))} rows` });
  }
  if (mode === 'buffers') {
    const total = a.nodes[0] ? blocks(a.nodes[0], false) : 0;
    return (n) => ({ self: total ? blocks(n, true) / total : 0, withChildren: total ? blocks(n, false) / total : 0,
      text: n.exclusiveBuffers ? fmtBlocks(blocks(n, true)) : '–' });
  }
  // Cost, and duration when the plan has no timing.
  return (n) => ({ self: n.costShare, withChildren: a.totalCost ? n.totalCost / a.totalCost : 0, text: `${n.exclusiveCost.toFixed(1)} · ${fmtPct(n.costShare)}` });
}

/** Modes that mean something for this plan. */
export function availableModes(a: PlanAnalysis): Mode[] {
  return MODES.map((m) => m.id).filter((m) => (m === 'duration' ? a.timed : m === 'buffers' ? a.hasBuffers : true));
}

/** What the bars and marks mean, in the current mode. */
export function legend(a: PlanAnalysis, mode: Mode): HTMLElement {
  const what = mode === 'duration' && a.timed ? 'time' : mode === 'rows' ? 'rows' : mode === 'buffers' ? 'blocks (8 kB) read or hit' : 'estimated cost';
  const swatch = (cls: string) => h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' });
  const items = mode === 'rows'
    ? [h('span', {}, swatch('self'), `rows this node returned (all loops), relative to the largest`)]
    : [
      h('span', {}, swatch('self'), `this node's own ${what}`),
      h('span', {}, swatch('incl'), 'with its children'),
      h('span', {}, swatch('warm'), '≥ 10% of the plan'),
      h('span', {}, swatch('hot'), '≥ 30%'),
    ];
  items.push(h('span', {}, '▲ / ▼ more / fewer rows than estimated (flagged only when it matters)'));
  return h('div', { class: 'legend', role: 'note', 'aria-label': 'Legend' }, ...items);
}
