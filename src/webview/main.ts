/**
 * The EXPLAIN panel app. Runs inside a VS Code webview (data arrives by message) or as a standalone HTML
 * report (data embedded in <script type="application/json" id="dbe-plan-data">). All database text is
 * rendered through textContent (see dom.ts).
 */
import './styles.css';
import type { HostToWebview, RunContext, WebviewToHost } from '../core/plan/protocol';
import type { PlanAnalysis } from '../core/plan/types';
import { renderPlanText } from '../core/plan/text';
import { planToExplainJson } from '../core/plan/serialize';
import { h, clear } from './dom';
import { connectHost } from './host';
import { PlanTree } from './tree';
import { renderDetails } from './details';
import { renderFlame } from './flame';
import { renderGrid } from './grid';
import { renderStats } from './statsView';
import { renderAdvice } from './advice';
import { availableModes, legend, MODES, type Mode } from './highlight';
import { worstNode } from '../core/plan/advice';
import { fmtCount, fmtMs } from '../core/plan/format';
import { unpackMessage } from '../core/plan/wire';

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
  if (m.type === 'fix' && m.action === 'copy') {
    const sql = plan.insights[m.insight]?.sql;
    if (sql) navigator.clipboard?.writeText(sql).then(() => say('SQL copied to the clipboard.'), () => say('Copy failed: the browser refused clipboard access.'));
  } else if (m.type === 'copy') {
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

const MAX_CHANGES = 20;

interface PlanPane {
  el: HTMLElement;
  tree: PlanTree;
}

/** Tree (with its toolbar, highlight mode and legend) + details for one plan. */
function planPane(p: PlanAnalysis, prefix: string, onSelect: (id: number) => void = () => {}): PlanPane {
  const details = h('div', { class: 'details-box', 'aria-label': 'Node details' });
  const select = (id: number) => {
    clear(details);
    details.append(renderDetails(p, p.nodes[id]!, (to) => tree.select(to)));
    onSelect(id);
  };
  const tree = new PlanTree(p, prefix, select, 'Plan nodes');
  const modes = availableModes(p);
  let mode: Mode = modes[0]!;
  const legendBox = h('div', { class: 'legend-box' }, legend(p, mode));
  const picker = h('select', { 'aria-label': 'Highlight', id: `${prefix}-highlight` });
  for (const m of MODES) if (modes.includes(m.id)) picker.append(h('option', { value: m.id }, m.label));
  picker.addEventListener('change', () => {
    mode = picker.value as Mode;
    tree.setMode(mode);
    clear(legendBox);
    legendBox.append(legend(p, mode));
  });
  const toolbar = h('div', { class: 'tree-toolbar toolbar' },
    button('Expand all', () => tree.expandAll()),
    button('Collapse below depth 3', () => tree.collapseBelow(3)),
    h('label', { class: 'highlight' }, 'Highlight ', picker));
  const el = h('div', { class: 'plan-pane' },
    h('div', { class: 'tree-col' }, toolbar, legendBox, tree.el),
    h('div', { class: 'side-col' }, details));
  return { el, tree };
}

/** "Embedded database built from …, synthetic rows · EXPLAIN ANALYZE · as role authenticated …". */
function contextLine(p: PlanAnalysis, c: RunContext | undefined): HTMLElement | null {
  if (!c) return null;
  const parts = [c.where, c.analyzed ? 'EXPLAIN ANALYZE (the statement ran, then was rolled back)' : 'EXPLAIN without ANALYZE: estimates only'];
  if (c.runAs) parts.push(`as ${c.runAs}`);
  const line = h('p', { class: 'context', id: 'run-context' }, h('span', { class: `badge source-${c.source}` }, c.source === 'embedded' ? 'embedded' : c.source === 'connection' ? 'live' : 'file'), ' ', parts.join(' · '));
  if (!p.analyzed && c.analyzed) line.append(' (no actual rows came back)');
  const box = h('div', {}, line);
  for (const n of c.notes) box.append(h('p', { class: 'muted note' }, n));
  return box;
}

function headerActions(worst: number | null): HTMLElement {
  const actions = h('div', { class: 'actions toolbar' });
  if (!host.standalone) actions.append(button('Ask @query-performance', () => host.post({ type: 'ask', nodeId: worst }), { class: 'primary', id: 'btn-ask', title: 'A short prompt about the worst node, with the plan attached' }));
  actions.append(button('Copy plan', () => host.post({ type: 'copy' }), { id: 'btn-copy' }));
  actions.append(button('Save plan as JSON', () => host.post({ type: 'save' }), { id: 'btn-save' }));
  return actions;
}

function renderShow(m: Extract<HostToWebview, { type: 'show' }>): void {
  const p = m.plan;
  const state = host.getState<SavedState>();
  let view: HTMLElement & { showTab?: (id: string) => void };
  const pane = planPane(p, 'plan', (id) => {
    host.setState({ ...host.getState<SavedState>(), selected: id, nodes: p.nodes.length });
    host.post({ type: 'select', nodeId: id });
  });
  const goTo = (id: number) => {
    view.showTab?.('plan');
    pane.tree.select(id, { scroll: true });
  };
  const advice = renderAdvice(p, {
    node: (id) => {
      goTo(id);
      pane.tree.el.focus({ preventScroll: true });
    },
    fix: (action, insight) => host.post({ type: 'fix', action, insight }),
    editor: !host.standalone,
  });
  const header = h('header', {},
    h('div', { class: 'title-block' }, h('h1', {}, m.title), contextLine(p, m.context), h('p', { class: 'muted summary' }, summaryLine(p))),
    headerActions(worstNode(p)));
  view = tabs([
    { id: 'plan', label: 'Plan', render: () => pane.el },
    { id: 'grid', label: 'Grid', render: () => renderGrid(p, goTo) },
    { id: 'stats', label: 'Statistics', render: () => renderStats(p, goTo) },
    { id: 'flame', label: 'Flame', render: () => flamePanel(p, goTo) },
    { id: 'query', label: 'Query', render: () => h('pre', { class: 'code' }, p.query ?? 'The query text was not provided with this plan.') },
    { id: 'raw', label: 'Raw JSON', render: () => h('pre', { class: 'code' }, planToExplainJson(p, 2)) },
  ]);
  clear(app);
  app.append(header, advice, view, status);
  const restore = state?.nodes === p.nodes.length && state.selected !== undefined ? state.selected : 0;
  pane.tree.select(restore, { notify: true });
}

function flamePanel(p: PlanAnalysis, onSelect: (id: number) => void): HTMLElement {
  const box = h('div', { class: 'flame-wrap' });
  let drawn = 0;
  const draw = () => {
    const width = Math.max(300, box.clientWidth || app.clientWidth - 24);
    if (width === drawn) return;
    drawn = width;
    clear(box);
    box.append(renderFlame(p, width, -1, onSelect));
  };
  requestAnimationFrame(draw);
  new ResizeObserver(() => draw()).observe(box);
  return box;
}

function renderCompare(m: Extract<HostToWebview, { type: 'compare' }>): void {
  const { before, after, comparison: c } = m;
  const shape = [...c.scans, ...c.joins.map((j) => `join: ${j}`), ...c.nodes.map((n) => `node: ${n}`)];
  const summary = h('div', { class: 'compare-summary' },
    h('p', { class: c.resultsDiffer ? 'headline differ' : 'headline', id: 'compare-headline', role: c.resultsDiffer ? 'alert' : undefined }, c.headline),
    shape.length
      ? h('ul', { class: 'changes', 'aria-label': 'What changed in the plan' }, ...shape.slice(0, MAX_CHANGES).map((x) => h('li', {}, x)),
        shape.length > MAX_CHANGES ? h('li', { class: 'muted' }, `… and ${shape.length - MAX_CHANGES} more changes`) : null)
      : h('p', { class: 'muted' }, 'Same scans, joins and nodes.'),
    h('p', { id: 'compare-time' }, c.time.text),
    h('p', {}, c.cost),
    c.buffers ? h('p', {}, c.buffers) : null);
  const left = planPane(before, 'before');
  const right = planPane(after, 'after');
  clear(app);
  app.append(
    h('header', {}, h('div', { class: 'title-block' }, h('h1', {}, m.title), contextLine(after, m.context), summary), headerActions(worstNode(after))),
    h('div', { class: 'compare' },
      h('section', { class: 'compare-col', 'aria-label': m.beforeLabel }, h('h2', { title: m.beforeLabel }, m.beforeLabel), h('p', { class: 'muted' }, summaryLine(before)), left.el),
      h('section', { class: 'compare-col', 'aria-label': m.afterLabel }, h('h2', { title: m.afterLabel }, m.afterLabel), h('p', { class: 'muted' }, summaryLine(after)), right.el)),
    status);
  left.tree.select(0);
  right.tree.select(0);
}

function renderError(m: Extract<HostToWebview, { type: 'error' }>): void {
  clear(app);
  app.append(
    h('header', {}, h('div', { class: 'title-block' }, h('h1', {}, m.title ?? 'EXPLAIN failed'), m.context ? contextLine({ analyzed: false } as PlanAnalysis, m.context) : null)),
    h('div', { class: 'error', role: 'alert', id: 'explain-error' }, m.message),
    ...(m.query ? [h('pre', { class: 'code' }, m.query)] : []), // append() would print a null as "null"
    status);
}

interface SavedState {
  /** The message shown, kept so the panel comes back after a window reload (small plans only). */
  message?: HostToWebview;
  selected?: number;
  nodes?: number;
}

/** Plans up to this many nodes are kept in the webview state (the host sets the limit on <body>). */
const KEEP_NODES = Number(document.body.dataset['keepNodes'] ?? 5000);

function remember(m: HostToWebview): void {
  const size = m.type === 'show' ? m.plan.nodes.length : m.type === 'compare' ? m.before.nodes.length + m.after.nodes.length : 0;
  const state = host.getState<SavedState>() ?? {};
  host.setState({ ...state, message: size <= KEEP_NODES ? m : undefined });
}

function render(m: HostToWebview): void {
  current = m;
  remember(m);
  const started = performance.now();
  if (m.type === 'show') renderShow(m);
  else if (m.type === 'compare') renderCompare(m);
  else renderError(m);
  document.body.dataset['ready'] = 'true';
  document.body.dataset['renderMs'] = String(Math.round(performance.now() - started));
}

/** The host posts the packed message as one string (core/plan/wire.ts); a report embeds the packed object. */
function receive(text: string): void {
  let m: HostToWebview | Error;
  try {
    m = unpackMessage(JSON.parse(text));
  } catch (err) {
    m = err as Error;
  }
  if (m instanceof Error) render({ type: 'error', title: 'EXPLAIN plan', message: `The panel could not read the plan: ${m.message}.` });
  else if (m.type === 'show' || m.type === 'compare' || m.type === 'error') render(m);
}

window.addEventListener('message', (e: MessageEvent) => {
  if (typeof e.data === 'string') receive(e.data);
});

const embedded = document.getElementById('dbe-plan-data');
if (embedded?.textContent) receive(embedded.textContent);
else host.post({ type: 'ready' });
