import type { PlanAnalysis } from '../core/plan/types';
import { h } from './dom';
import { fmtMs, fmtPct } from '../core/plan/format';

const LEVEL_HEIGHT = 22;
/** Every node gets at least this many pixels, so none disappears; the chart grows wider (and scrolls) instead. */
const MIN_WIDTH_PX = 4;
/** Room for a label inside a block. */
const LABEL_MIN_PX = 48;

/**
 * An icicle chart: the root spans the width, children below it in proportion to their inclusive time (or
 * total cost without ANALYZE). Each node is at least MIN_WIDTH_PX wide: a node's minimum is the larger of that
 * and its children's minimums, and what is left over is shared out by value. Times on hover, and on the
 * block when it has room.
 */
export function renderFlame(a: PlanAnalysis, width: number, selected: number, onSelect: (id: number) => void): HTMLElement {
  const n = a.nodes.length;
  const value = (id: number) => Math.max(0, a.timed ? a.nodes[id]!.inclusiveTime ?? 0 : a.nodes[id]!.totalCost);
  // Minimum widths, bottom-up (children have larger ids than their parent).
  const min = new Float64Array(n);
  for (let id = n - 1; id >= 0; id--) {
    let kids = 0;
    for (const c of a.nodes[id]!.childIds) kids += min[c]!;
    min[id] = Math.max(MIN_WIDTH_PX, kids);
  }
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  w[0] = Math.max(width, min[0] ?? 0);
  let maxDepth = 0;
  for (const node of a.nodes) {
    maxDepth = Math.max(maxDepth, node.depth);
    const kids = node.childIds;
    if (!kids.length) continue;
    let sumMin = 0;
    let sumValue = 0;
    for (const c of kids) {
      sumMin += min[c]!;
      sumValue += value(c);
    }
    // Children cover the share of the parent their values say (at most all of it), never less than their minimum.
    const f = value(node.id) > 0 ? Math.min(1, sumValue / value(node.id)) : 1;
    const covered = Math.max(sumMin, w[node.id]! * f);
    const extra = covered - sumMin;
    let cursor = x[node.id]!;
    for (const c of kids) {
      const cw = min[c]! + (sumValue ? (extra * value(c)) / sumValue : extra / kids.length);
      x[c] = cursor;
      w[c] = cw;
      cursor += cw;
    }
  }
  const box = h('div', { class: 'flame', role: 'group', 'aria-label': 'Icicle chart of the plan' });
  box.style.height = `${(maxDepth + 1) * LEVEL_HEIGHT}px`;
  box.style.width = `${w[0]}px`;
  const frag = document.createDocumentFragment();
  for (const node of a.nodes) {
    const px = w[node.id]!;
    const share = a.timed ? node.timeShare ?? 0 : node.costShare;
    const time = a.timed ? `${fmtMs(node.inclusiveTime)} total, ${fmtMs(node.exclusiveTime)} self` : `cost ${node.totalCost.toFixed(1)}`;
    const block = h('div', {
      class: `flame-block${node.id === selected ? ' selected' : ''}${share >= 0.3 ? ' hot' : share >= 0.1 ? ' warm' : ''}`,
      'data-id': node.id,
      title: `${node.label} — ${time} (${fmtPct(a.timed ? node.inclusiveShare : node.totalCost / (a.totalCost || 1))})`,
    });
    if (px >= LABEL_MIN_PX) {
      block.append(h('span', { class: 'flame-label' }, node.label));
      block.append(h('span', { class: 'flame-time' }, a.timed ? fmtMs(node.inclusiveTime) : node.totalCost.toFixed(0)));
    }
    block.style.left = `${x[node.id]!}px`;
    block.style.width = `${Math.max(1, px - 1)}px`;
    block.style.top = `${node.depth * LEVEL_HEIGHT}px`;
    frag.append(block);
  }
  box.append(frag);
  box.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLElement>('[data-id]');
    if (b) onSelect(Number(b.dataset['id']));
  });
  return box;
}
