import type { Buffers, PlanAnalysis, PlanNode } from '../core/plan/types';
import { h } from './dom';
import { fmtCount, fmtFactor, fmtMs, fmtPct } from '../core/plan/format';

type Row = [string, string];

function table(caption: string, rows: Row[]): HTMLElement | null {
  const kept = rows.filter(([, v]) => v !== '');
  if (!kept.length) return null;
  return h('section', { class: 'detail-section' },
    h('h3', {}, caption),
    h('table', { class: 'kv' }, h('tbody', {}, ...kept.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v))))));
}

function buffersRows(b: Buffers | null): Row[] {
  if (!b) return [];
  return [
    ['shared hit / read', `${fmtCount(b.sharedHit)} / ${fmtCount(b.sharedRead)}`],
    ['shared dirtied / written', b.sharedDirtied || b.sharedWritten ? `${fmtCount(b.sharedDirtied)} / ${fmtCount(b.sharedWritten)}` : ''],
    ['local hit / read', b.localHit || b.localRead ? `${fmtCount(b.localHit)} / ${fmtCount(b.localRead)}` : ''],
    ['local dirtied / written', b.localDirtied || b.localWritten ? `${fmtCount(b.localDirtied)} / ${fmtCount(b.localWritten)}` : ''],
    ['temp read / written', b.tempRead || b.tempWritten ? `${fmtCount(b.tempRead)} / ${fmtCount(b.tempWritten)}` : ''],
  ];
}

/** Everything known about one node: derived metrics, conditions, its insights and the raw EXPLAIN fields. */
export function renderDetails(a: PlanAnalysis, n: PlanNode, onJump: (id: number) => void): HTMLElement {
  const root = h('div', { class: 'details' });
  root.append(h('h2', { class: 'details-title' }, n.label));
  const crumbs: string[] = [];
  if (n.subplanName) crumbs.push(n.subplanName);
  if (n.relationship) crumbs.push(`${n.relationship} of #${n.parentId}`);
  crumbs.push(`node #${n.id}`, `depth ${n.depth}`);
  root.append(h('p', { class: 'muted' }, crumbs.join(' · ')));
  if (n.parentId !== null) {
    const up = h('button', { class: 'link', type: 'button' }, `↑ parent #${n.parentId}`);
    up.addEventListener('click', () => onJump(n.parentId!));
    root.append(up);
  }

  const sections: (HTMLElement | null)[] = [];
  if (a.timed) {
    sections.push(table('Time', [
      ['self', n.executed ? `${fmtMs(n.exclusiveTime)} (${fmtPct(n.timeShare)})` : 'never executed'],
      ['total (with children)', n.executed ? `${fmtMs(n.inclusiveTime)} (${fmtPct(n.inclusiveShare)})` : ''],
      ['loops', fmtCount(n.loops)],
      ['per loop: startup / total', n.executed ? `${fmtMs(n.actualStartupTime)} / ${fmtMs(n.actualTotalTime)}` : ''],
      ['parallel processes', n.parallelProcesses > 1 ? String(n.parallelProcesses) : ''],
      ['workers planned / launched', n.workersPlanned !== null ? `${fmtCount(n.workersPlanned)} / ${fmtCount(n.workersLaunched)}` : ''],
    ]));
  }
  sections.push(table('Rows', [
    ['estimated per loop', fmtCount(n.rows.estimated)],
    ['actual per loop', n.rows.actual === null ? '' : fmtCount(n.rows.actual)],
    ['estimated / actual total', n.rows.actualTotal === null ? '' : `${fmtCount(n.rows.estimatedTotal)} / ${fmtCount(n.rows.actualTotal)}`],
    ['misestimate', n.rows.factor === null ? '' : n.rows.direction === 'exact' ? 'exact' : `${fmtFactor(n.rows.factor)} ${n.rows.direction === 'under' ? 'under' : 'over'}estimated`],
    ['removed by filter', n.removed.filter ? fmtCount(n.removed.filter) : ''],
    ['removed by join filter', n.removed.joinFilter ? fmtCount(n.removed.joinFilter) : ''],
    ['removed by index recheck', n.removed.indexRecheck ? fmtCount(n.removed.indexRecheck) : ''],
    ['heap fetches', n.heapFetches === null ? '' : fmtCount(n.heapFetches)],
    ['exact / lossy heap blocks', n.exactHeapBlocks === null && n.lossyHeapBlocks === null ? '' : `${fmtCount(n.exactHeapBlocks ?? 0)} / ${fmtCount(n.lossyHeapBlocks ?? 0)}`],
  ]));
  sections.push(table('Cost', [
    ['startup / total', `${n.startupCost.toFixed(2)} / ${n.totalCost.toFixed(2)}`],
    ['self', `${n.exclusiveCost.toFixed(2)} (${fmtPct(n.costShare)})`],
  ]));
  sections.push(table('Buffers (self)', buffersRows(n.exclusiveBuffers)));
  sections.push(table('Buffers (with children)', buffersRows(n.buffers)));
  if (n.io) {
    sections.push(table('I/O timing', [
      ['shared read / write', `${fmtMs(n.io.sharedRead)} / ${fmtMs(n.io.sharedWrite)}`],
      ['local read / write', n.io.localRead || n.io.localWrite ? `${fmtMs(n.io.localRead)} / ${fmtMs(n.io.localWrite)}` : ''],
      ['temp read / write', n.io.tempRead || n.io.tempWrite ? `${fmtMs(n.io.tempRead)} / ${fmtMs(n.io.tempWrite)}` : ''],
    ]));
  }
  if (n.sort) sections.push(table('Sort', [['method', n.sort.method ?? ''], ['space', n.sort.spaceUsedKb === null ? '' : `${fmtCount(n.sort.spaceUsedKb)} kB (${n.sort.spaceType ?? '?'})`]]));
  if (n.hash) sections.push(table('Hash', [['buckets', fmtCount(n.hash.buckets)], ['batches (original)', `${fmtCount(n.hash.batches)} (${fmtCount(n.hash.originalBatches)})`], ['peak memory', n.hash.peakMemoryKb === null ? '' : `${fmtCount(n.hash.peakMemoryKb)} kB`]]));
  const conditions: Row[] = [
    ['Filter', n.filter ?? ''], ['Index Cond', n.indexCond ?? ''], ['Recheck Cond', n.recheckCond ?? ''],
    ['Join Filter', n.joinFilter ?? ''], ['Hash Cond', n.hashCond ?? ''], ['Merge Cond', n.mergeCond ?? ''],
    ['Sort Key', n.sortKey?.join(', ') ?? ''],
  ];
  sections.push(table('Conditions', conditions));
  for (const s of sections) if (s) root.append(s);

  const insights = a.insights.filter((i) => i.nodeId === n.id);
  if (insights.length) {
    root.append(h('h3', {}, 'Insights'));
    for (const i of insights) {
      root.append(h('div', { class: `insight-card sev-${i.severity}` },
        h('strong', {}, i.title), h('p', {}, i.detail), h('pre', { class: 'fix' }, i.fix)));
    }
  }

  const raw = h('tbody', {});
  for (const [k, v] of Object.entries(n.fields)) {
    raw.append(h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, typeof v === 'string' ? v : JSON.stringify(v))));
  }
  root.append(h('details', { class: 'raw' }, h('summary', {}, 'Raw node fields'), h('table', { class: 'kv' }, raw)));
  return root;
}
