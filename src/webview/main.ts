/**
 * The EXPLAIN panel app. Runs inside a VS Code webview (data arrives by message) or as a standalone HTML
 * report (data embedded in <script type="application/json" id="dbe-plan-data">). All database text is
 * rendered through textContent (see dom.ts).
 */
import './styles.css';
import type { HostToWebview, WebviewToHost } from '../core/plan/protocol';
import type { PlanAnalysis } from '../core/plan/types';
import { renderPlanText } from '../core/plan/text';
import { planToExplainJson } from '../core/plan/serialize';
import { h, clear } from './dom';
import { connectHost } from './host';
import { PlanTree } from './tree';
import { renderDetails } from './details';
import { renderFlame } from './flame';
import { fmtBlocks, fmtCount, fmtMs } from '../core/plan/format';

let current: HostToWebview | null = null;
const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));

const host = connectHost(localAction);

function say(text: string): void {
  status.textContent = text;
}

/** Standalone report: the buttons work without an editor behind them. */
function localAction(m: WebviewToHost): void {
  const plan = current?.type === 'show' ? current.plan : current?.type === 'compare' ? current.after : null;
  if (!plan) return;
  if (m.type === 'copy') {
    const text = renderPlanText(plan);
    navigator.clipboard?.writeText(text).then(() => say('Plan copied to the clipboard.'), () => say('Copy failed: the browser refused clipboard access.'));
  } else if (m.type === 'save') {
    const url = URL.createObjectURL(new Blob([planToExplainJson(plan, 2)], { type: 'application/json' }));
    const link = h('a', { href: url, download: 'plan.json' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    say('Plan saved as plan.json.');
  }
}

function summaryLine(p: PlanAnalysis): string {
  const parts: string[] = [];
  if (p.executionTime !== null) parts.push(`execution ${fmtMs(p.executionTime)}`);
  if (p.planningTime !== null) parts.push(`planning ${fmtMs(p.planningTime)}`);
  parts.push(`cost ${p.totalCost.toFixed(2)}`, `${fmtCount(p.nodes.length)} nodes`);
  parts.push(`${p.insights.length} insight${p.insights.length === 1 ? '' : 's'}`);
  if (!p.timed) parts.push(p.analyzed ? 'no timing — bars show cost' : 'estimates only — bars show cost');
  return parts.join(' · ');
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Tabs following the WAI-ARIA tabs pattern; panels render lazily the first time they are shown. */
function tabs(items: { id: string; label: string; render: () => HTMLElement }[]): HTMLElement {
  const list = h('div', { class: 'tabs', role: 'tablist' });
  const panels = h('div', { class: 'tab-panels' });
  const buttons: HTMLButtonElement[] = [];
  const rendered = new Map<string, HTMLElement>();
  const show = (index: number, focus: boolean) => {
    items.forEach((item, i) => {
      buttons[i]!.setAttribute('aria-selected', String(i === index));
      buttons[i]!.tabIndex = i === index ? 0 : -1;
      const panel = rendered.get(item.id);
      if (panel) panel.hidden = i !== index;
    });
    const item = items[index]!;
    if (!rendered.has(item.id)) {
      const panel = h('div', { class: 'tab-panel', role: 'tabpanel', id: `panel-${item.id}`, 'aria-labelledby': `tab-${item.id}` });
      panels.append(panel);
      rendered.set(item.id, panel);
      panel.append(item.render());
    }
    if (focus) buttons[index]!.focus();
  };
  items.forEach((item, i) => {
    const b = h('button', { type: 'button', role: 'tab', id: `tab-${item.id}`, 'aria-controls': `panel-${item.id}` }, item.label);
    b.addEventListener('click', () => show(i, false));
    b.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        show((i + (e.key === 'ArrowRight' ? 1 : items.length - 1)) % items.length, true);
      }
    });
    buttons.push(b);
    list.append(b);
  });
  show(0, false);
  const box = h('div', { class: 'tabbed' }, list, panels);
  (box as HTMLElement & { showTab?: (id: string) => void }).showTab = (id) => show(items.findIndex((t) => t.id === id), false);
  return box;
}

const INSIGHT_PAGE = 50;
const MAX_CHANGES = 20;

interface PlanPane {
  el: HTMLElement;
  tree: PlanTree;
}

/** Tree + insights + details for one plan. */
function planPane(p: PlanAnalysis, prefix: string, onSelect: (id: number) => void = () => {}): PlanPane {
  const details = h('div', { class: 'details-box', 'aria-label': 'Node details' });
  const select = (id: number) => {
    clear(details);
    details.append(renderDetails(p, p.nodes[id]!, (to) => tree.select(to)));
    onSelect(id);
  };
  const tree = new PlanTree(p, prefix, select, 'Plan nodes');
  const insights = h('ol', { class: 'insights', 'aria-label': 'Insights' });
  const item = (i: PlanAnalysis['insights'][number]): HTMLElement => {
    const sev = h('span', { class: `badge sev-${i.severity}` }, i.severity);
    if (i.nodeId === null) return h('li', {}, h('div', { class: 'insight-static' }, sev, ' ', i.title));
    const b = button('', () => {
      tree.select(i.nodeId!);
      tree.el.focus({ preventScroll: true });
    }, { class: 'insight', 'data-node': String(i.nodeId) });
    b.append(sev, ' ', h('span', {}, i.title));
    return h('li', {}, b);
  };
  // Thousands of insights (huge generated plans) are listed in pages, worst first.
  const addPage = (from: number) => {
    const end = Math.min(p.insights.length, from + INSIGHT_PAGE);
    for (let k = from; k < end; k++) insights.append(item(p.insights[k]!));
    if (end < p.insights.length) {
      const more = h('li', {});
      more.append(button(`Show ${Math.min(INSIGHT_PAGE, p.insights.length - end)} more of ${p.insights.length - end}`, () => {
        more.remove();
        addPage(end);
      }));
      insights.append(more);
    }
  };
  addPage(0);
  if (!p.insights.length) insights.append(h('li', { class: 'muted' }, 'No insights: nothing crosses a threshold.'));
  const toolbar = h('div', { class: 'tree-toolbar' },
    button('Expand all', () => tree.expandAll()),
    button('Collapse below depth 3', () => tree.collapseBelow(3)));
  const el = h('div', { class: 'plan-pane' },
    h('div', { class: 'tree-col' }, toolbar, tree.el),
    h('div', { class: 'side-col' }, h('h2', { class: 'section' }, 'Insights'), insights, details));
  return { el, tree };
}

function renderShow(m: Extract<HostToWebview, { type: 'show' }>): void {
  const p = m.plan;
  const state = host.getState<{ selected?: number; nodes?: number }>();
  const pane = planPane(p, 'plan', (id) => {
    host.setState({ selected: id, nodes: p.nodes.length });
    host.post({ type: 'select', nodeId: id });
  });
  const actions = h('div', { class: 'actions' });
  if (!host.standalone) actions.append(button('Ask @database-engineer to optimize', () => host.post({ type: 'ask', nodeId: pane.tree.selected }), { class: 'primary', id: 'btn-ask' }));
  actions.append(button('Copy plan', () => host.post({ type: 'copy' }), { id: 'btn-copy' }));
  actions.append(button('Save plan as JSON', () => host.post({ type: 'save' }), { id: 'btn-save' }));
  const header = h('header', {}, h('div', {}, h('h1', {}, m.title), h('p', { class: 'muted summary' }, summaryLine(p))), actions);
  const view = tabs([
    { id: 'plan', label: 'Plan', render: () => pane.el },
    { id: 'flame', label: 'Flame', render: () => flamePanel(p, (id) => { pane.tree.select(id, { scroll: true }); }) },
    { id: 'query', label: 'Query', render: () => h('pre', { class: 'code' }, p.query ?? 'The query text was not provided with this plan.') },
    { id: 'raw', label: 'Raw JSON', render: () => h('pre', { class: 'code' }, planToExplainJson(p, 2)) },
  ]);
  clear(app);
  app.append(header, view, status);
  const restore = state?.nodes === p.nodes.length && state.selected !== undefined ? state.selected : 0;
  pane.tree.select(restore, { notify: true });
}

function flamePanel(p: PlanAnalysis, onSelect: (id: number) => void): HTMLElement {
  const box = h('div', { class: 'flame-wrap' });
  const draw = () => {
    clear(box);
    box.append(renderFlame(p, Math.max(300, box.clientWidth || app.clientWidth - 24), -1, onSelect));
  };
  requestAnimationFrame(draw);
  new ResizeObserver(() => draw()).observe(box);
  return box;
}

function delta(before: number | null, after: number | null, fmt: (n: number) => string): string {
  if (before === null || after === null) return '–';
  const d = after - before;
  const pct = before ? ` (${d > 0 ? '+' : ''}${((d / before) * 100).toFixed(0)}%)` : '';
  return `${fmt(before)} → ${fmt(after)}: ${d > 0 ? '+' : d < 0 ? '−' : '±'}${fmt(Math.abs(d))}${pct}`;
}

const sharedBlocks = (p: PlanAnalysis) => (p.nodes[0]?.buffers ? p.nodes[0].buffers.sharedHit + p.nodes[0].buffers.sharedRead : null);

/** Per table: how it was read before and after, with the time spent reading it ("orders: Seq Scan 120 ms → Index Scan 0.5 ms"). */
function scanChanges(a: PlanAnalysis, b: PlanAnalysis): string[] {
  const scans = (p: PlanAnalysis) => {
    const m = new Map<string, { types: Set<string>; ms: number }>();
    for (const n of p.nodes) {
      if (!n.relation) continue;
      const e = m.get(n.relation) ?? m.set(n.relation, { types: new Set(), ms: 0 }).get(n.relation)!;
      e.types.add(n.nodeType);
      e.ms += n.exclusiveTime ?? 0;
    }
    return m;
  };
  const sa = scans(a);
  const sb = scans(b);
  const describe = (e: { types: Set<string>; ms: number } | undefined, timed: boolean) =>
    e ? `${[...e.types].sort().join(' + ')}${timed ? ` ${fmtMs(e.ms)}` : ''}` : '—';
  const out: string[] = [];
  for (const rel of new Set([...sa.keys(), ...sb.keys()])) {
    const x = sa.get(rel);
    const y = sb.get(rel);
    const sameTypes = x && y && [...x.types].sort().join() === [...y.types].sort().join();
    if (!sameTypes) out.push(`${rel}: ${describe(x, a.timed)} → ${describe(y, b.timed)}`);
  }
  return out;
}

function renderCompare(m: Extract<HostToWebview, { type: 'compare' }>): void {
  const { before, after } = m;
  const timeOf = (p: PlanAnalysis) => p.executionTime ?? p.totalTime;
  const changes = scanChanges(before, after);
  const summary = h('div', { class: 'compare-summary' },
    h('p', { id: 'compare-time' }, `Time: ${delta(timeOf(before), timeOf(after), fmtMs)}`),
    h('p', {}, `Cost: ${delta(before.totalCost, after.totalCost, (n) => n.toFixed(2))}`),
    h('p', {}, `Shared buffers: ${delta(sharedBlocks(before), sharedBlocks(after), fmtBlocks)}`),
    changes.length
      ? h('ul', { class: 'changes', 'aria-label': 'How each table is read' }, ...changes.slice(0, MAX_CHANGES).map((c) => h('li', {}, c)),
        changes.length > MAX_CHANGES ? h('li', { class: 'muted' }, `… and ${changes.length - MAX_CHANGES} more tables`) : null)
      : h('p', { class: 'muted' }, 'Same scan types on every table.'));
  const left = planPane(before, 'before');
  const right = planPane(after, 'after');
  const actions = h('div', { class: 'actions' });
  if (!host.standalone) actions.append(button('Ask @database-engineer to optimize', () => host.post({ type: 'ask', nodeId: null }), { class: 'primary', id: 'btn-ask' }));
  actions.append(button('Copy plan', () => host.post({ type: 'copy' }), { id: 'btn-copy' }));
  actions.append(button('Save plan as JSON', () => host.post({ type: 'save' }), { id: 'btn-save' }));
  clear(app);
  app.append(
    h('header', {}, h('div', {}, h('h1', {}, m.title), summary), actions),
    h('div', { class: 'compare' },
      h('section', { class: 'compare-col', 'aria-label': m.beforeLabel }, h('h2', {}, m.beforeLabel), h('p', { class: 'muted' }, summaryLine(before)), left.el),
      h('section', { class: 'compare-col', 'aria-label': m.afterLabel }, h('h2', {}, m.afterLabel), h('p', { class: 'muted' }, summaryLine(after)), right.el)),
    status);
  left.tree.select(0);
  right.tree.select(0);
}

function render(m: HostToWebview): void {
  current = m;
  const started = performance.now();
  if (m.type === 'show') renderShow(m);
  else if (m.type === 'compare') renderCompare(m);
  else {
    clear(app);
    app.append(h('div', { class: 'error', role: 'alert' }, m.message));
  }
  document.body.dataset['ready'] = 'true';
  document.body.dataset['renderMs'] = String(Math.round(performance.now() - started));
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as HostToWebview;
  if (m && (m.type === 'show' || m.type === 'compare' || m.type === 'error')) render(m);
});

const embedded = document.getElementById('dbe-plan-data');
if (embedded?.textContent) render(JSON.parse(embedded.textContent) as HostToWebview);
else host.post({ type: 'ready' });
