/**
 * The grid view: one row per node, sortable by own time, rows, misestimate and buffers (PEV2's table view).
 * Rows are added a page at a time, so a 50,000-node plan sorts and shows at once.
 */
import type { PlanAnalysis, PlanNode } from '../core/plan/types';
import { h, clear } from './dom';
import { fmtBlocks, fmtCount, fmtFactor, fmtMs, fmtPct } from '../core/plan/format';
import { nodeLabel } from './tree';

const PAGE = 200;

interface Column {
  id: string;
  label: string;
  /** Sort key, larger first; undefined for columns that do not sort. */
  key?: (n: PlanNode) => number;
  cell: (n: PlanNode) => string | HTMLElement;
  numeric?: boolean;
}

const ownBlocks = (n: PlanNode) => (n.exclusiveBuffers ? n.exclusiveBuffers.sharedHit + n.exclusiveBuffers.sharedRead + n.exclusiveBuffers.tempRead + n.exclusiveBuffers.tempWritten : 0);

function columns(a: PlanAnalysis): Column[] {
  const cols: Column[] = [
    { id: 'id', label: '#', key: (n) => -n.id, cell: (n) => String(n.id), numeric: true },
    { id: 'node', label: 'Node', cell: (n) => nodeLabel(n) },
  ];
  if (a.timed) {
    cols.push({ id: 'time', label: 'Own time', key: (n) => n.exclusiveTime ?? 0, cell: (n) => (n.executed ? `${fmtMs(n.exclusiveTime)} · ${fmtPct(n.timeShare)}` : 'never executed'), numeric: true });
  }
  cols.push({ id: 'cost', label: 'Own cost', key: (n) => n.exclusiveCost, cell: (n) => `${n.exclusiveCost.toFixed(1)} · ${fmtPct(n.costShare)}`, numeric: true });
  cols.push({
    id: 'rows', label: a.analyzed ? 'Rows (est → actual)' : 'Rows (est)', key: (n) => n.rows.actualTotal ?? n.rows.estimatedTotal, numeric: true,
    cell: (n) => (n.rows.actual === null ? fmtCount(n.rows.estimated) : `${fmtCount(n.rows.estimated)} → ${fmtCount(n.rows.actual)}`),
  });
  if (a.analyzed) {
    cols.push({
      id: 'misestimate', label: 'Misestimate', key: (n) => (n.rows.misestimated ? n.rows.factor ?? 0 : 0), numeric: true,
      cell: (n) => (n.rows.misestimated && n.rows.factor !== null ? `${n.rows.direction === 'under' ? '▲' : '▼'} ${fmtFactor(n.rows.factor)}` : ''),
    });
    cols.push({ id: 'loops', label: 'Loops', key: (n) => n.loops ?? 0, cell: (n) => fmtCount(n.loops), numeric: true });
  }
  if (a.hasBuffers) cols.push({ id: 'buffers', label: 'Own buffers', key: ownBlocks, cell: (n) => (n.exclusiveBuffers ? fmtBlocks(ownBlocks(n)) : ''), numeric: true });
  return cols;
}

export function renderGrid(a: PlanAnalysis, onSelect: (id: number) => void): HTMLElement {
  const cols = columns(a);
  let sortBy = cols.find((c) => c.id === (a.timed ? 'time' : 'cost'))!;
  const head = h('tr', {});
  const body = h('tbody', {});
  const more = h('div', { class: 'grid-more' });
  const table = h('table', { class: 'grid', 'aria-label': 'Plan nodes, one row each' }, h('thead', {}, head), body);
  const headers = new Map<string, HTMLElement>();
  for (const c of cols) {
    const th = h('th', { scope: 'col', class: c.numeric ? 'num' : '' });
    if (c.key) {
      const b = h('button', { type: 'button', class: 'sort', 'data-sort': c.id }, c.label);
      b.addEventListener('click', () => {
        sortBy = c;
        fill();
      });
      th.append(b);
    } else {
      th.append(c.label);
    }
    headers.set(c.id, th);
    head.append(th);
  }
  let order: PlanNode[] = [];
  const addPage = (from: number) => {
    const end = Math.min(order.length, from + PAGE);
    const frag = document.createDocumentFragment();
    for (let i = from; i < end; i++) {
      const n = order[i]!;
      const tr = h('tr', { 'data-id': n.id, tabindex: 0 });
      for (const c of cols) tr.append(h('td', { class: c.numeric ? 'num' : '' }, c.cell(n)));
      frag.append(tr);
    }
    body.append(frag);
    clear(more);
    if (end < order.length) {
      const b = h('button', { type: 'button' }, `Show ${Math.min(PAGE, order.length - end)} more of ${fmtCount(order.length - end)}`);
      b.addEventListener('click', () => addPage(end));
      more.append(b);
    }
  };
  const fill = () => {
    const key = sortBy.key!;
    order = [...a.nodes].sort((x, y) => key(y) - key(x) || x.id - y.id);
    for (const [id, th] of headers) {
      if (id === sortBy.id) th.setAttribute('aria-sort', 'descending');
      else th.removeAttribute('aria-sort');
    }
    clear(body);
    addPage(0);
  };
  const pick = (e: Event) => {
    const tr = (e.target as HTMLElement).closest<HTMLElement>('tr[data-id]');
    if (tr) onSelect(Number(tr.dataset['id']));
  };
  body.addEventListener('click', pick);
  body.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') pick(e);
  });
  fill();
  return h('div', { class: 'grid-wrap' }, table, more);
}
