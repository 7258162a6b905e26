/** The statistics view: per table and per index, time, rows, loops and buffers (core/plan/stats.ts). */
import type { PlanAnalysis } from '../core/plan/types';
import { planStats, type ObjectStats } from '../core/plan/stats';
import { h } from './dom';
import { fmtBlocks, fmtCount, fmtMs, fmtPct } from '../core/plan/format';

function table(caption: string, rows: ObjectStats[], a: PlanAnalysis, onSelect: (id: number) => void): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted' }, `No ${caption.toLowerCase()} in this plan.`);
  const head = ['Name', a.timed ? 'Own time' : 'Own cost share', 'Rows', 'Loops', ...(a.hasBuffers ? ['Buffers (hit + read)', 'Read'] : []), 'Nodes'];
  const body = h('tbody', {});
  for (const s of rows) {
    const nodes = h('td', {});
    for (const id of s.nodes.slice(0, 8)) {
      const b = h('button', { type: 'button', class: 'link' }, `#${id}`);
      b.addEventListener('click', () => onSelect(id));
      nodes.append(b, ' ');
    }
    if (s.nodes.length > 8) nodes.append(`+${s.nodes.length - 8}`);
    body.append(h('tr', {},
      h('th', { scope: 'row', title: s.name }, s.name),
      h('td', { class: 'num' }, a.timed ? `${fmtMs(s.timeMs)} · ${fmtPct(s.share)}` : fmtPct(s.share)),
      h('td', { class: 'num' }, fmtCount(s.rows)),
      h('td', { class: 'num' }, fmtCount(s.loops)),
      ...(a.hasBuffers ? [h('td', { class: 'num' }, fmtBlocks(s.sharedBlocks ?? 0)), h('td', { class: 'num' }, fmtBlocks(s.sharedRead ?? 0))] : []),
      nodes));
  }
  return h('table', { class: 'grid stats', 'aria-label': caption },
    h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { scope: 'col', class: i > 0 && i < head.length - 1 ? 'num' : '' }, c)))), body);
}

export function renderStats(a: PlanAnalysis, onSelect: (id: number) => void): HTMLElement {
  const s = planStats(a);
  return h('div', { class: 'stats-wrap' },
    h('h2', { class: 'section' }, 'Tables'), table('Tables', s.tables, a, onSelect),
    h('h2', { class: 'section' }, 'Indexes'), table('Indexes', s.indexes, a, onSelect));
}
