import type { PlanAnalysis } from '../core/plan/types';
import { h, clear } from './dom';
import { fmtMs, fmtPct } from '../core/plan/format';

const LEVEL_HEIGHT = 22;
const MIN_WIDTH_PX = 3;
const MAX_LEVELS = 300;

/**
 * An icicle chart: the root spans the width, children below it in proportion to their inclusive time
 * (or total cost without ANALYZE). Blocks narrower than a few pixels are not drawn.
 */
export function renderFlame(a: PlanAnalysis, width: number, selected: number, onSelect: (id: number) => void): HTMLElement {
  const n = a.nodes.length;
  const value = (id: number) => Math.max(0, a.timed ? a.nodes[id]!.inclusiveTime ?? 0 : a.nodes[id]!.totalCost);
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  w[0] = 1;
  let maxDepth = 0;
  for (const node of a.nodes) {
    if (w[node.id]! * width < MIN_WIDTH_PX || node.depth >= MAX_LEVELS) continue;
    maxDepth = Math.max(maxDepth, node.depth);
    const kids = node.childIds;
    if (!kids.length) continue;
    let sum = 0;
    for (const c of kids) sum += value(c);
    const total = Math.max(value(node.id), sum) || 1;
    let cursor = x[node.id]!;
    for (const c of kids) {
      const cw = (w[node.id]! * value(c)) / total;
      x[c] = cursor;
      w[c] = cw;
      cursor += cw;
    }
  }
  const box = h('div', { class: 'flame', role: 'group', 'aria-label': 'Icicle chart of the plan' });
  box.style.height = `${(maxDepth + 1) * LEVEL_HEIGHT}px`;
  for (const node of a.nodes) {
    const px = w[node.id]! * width;
    if (px < MIN_WIDTH_PX || node.depth >= MAX_LEVELS) continue;
    const share = a.timed ? node.timeShare ?? 0 : node.costShare;
    const block = h('div', {
      class: `flame-block${node.id === selected ? ' selected' : ''}${share >= 0.3 ? ' hot' : share >= 0.1 ? ' warm' : ''}`,
      'data-id': node.id,
      title: `${node.label} — ${a.timed ? `${fmtMs(node.inclusiveTime)} total, ${fmtMs(node.exclusiveTime)} self` : `cost ${node.totalCost.toFixed(1)}`} (${fmtPct(a.timed ? node.inclusiveShare : node.totalCost / (a.totalCost || 1))})`,
    }, px > 40 ? node.label : '');
    block.style.left = `${x[node.id]! * width}px`;
    block.style.width = `${Math.max(1, px - 1)}px`;
    block.style.top = `${node.depth * LEVEL_HEIGHT}px`;
    box.append(block);
  }
  box.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLElement>('[data-id]');
    if (b) onSelect(Number(b.dataset['id']));
  });
  return box;
}

export { clear };
