import type { PlanAnalysis, PlanNode } from '../core/plan/types';
import { MISESTIMATE_FACTOR } from '../core/plan/thresholds';
import { h, clear } from './dom';
import { fmtBlocks, fmtFactor, fmtMs, fmtPct } from '../core/plan/format';

const ROW_HEIGHT = 24;
const OVERSCAN = 12;
/** Indentation stops growing here so very deep plans stay readable; the row says its real depth. */
const MAX_INDENT_DEPTH = 40;

/**
 * The plan as a keyboard-navigable tree (WAI-ARIA tree pattern with aria-activedescendant).
 * Virtualised: only the rows in view exist in the DOM, so a 10,000-node plan opens as fast as a small one.
 */
export class PlanTree {
  readonly el: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly expanded: Uint8Array;
  private visible: number[] = [];
  private position = new Map<number, number>();
  private selectedId = 0;
  private frame = 0;
  private readonly severity = new Map<number, string>();

  constructor(
    private readonly plan: PlanAnalysis,
    private readonly idPrefix: string,
    private readonly onSelect: (id: number) => void,
    label: string,
  ) {
    this.expanded = new Uint8Array(plan.nodes.length).fill(1);
    for (const i of plan.insights) {
      if (i.nodeId !== null && (!this.severity.has(i.nodeId) || i.severity === 'critical')) this.severity.set(i.nodeId, i.severity);
    }
    this.spacer = h('div', { class: 'tree-spacer' });
    this.rows = h('div', { class: 'tree-rows', role: 'presentation' });
    this.el = h('div', { class: 'tree', role: 'tree', tabindex: 0, 'aria-label': label }, this.spacer, this.rows);
    this.el.addEventListener('scroll', () => this.schedule());
    this.el.addEventListener('keydown', (e) => this.onKey(e));
    this.rows.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-id]');
      if (!row) return;
      const id = Number(row.dataset['id']);
      if ((e.target as HTMLElement).classList.contains('twisty')) this.toggle(id);
      this.select(id, { scroll: false });
      this.el.focus({ preventScroll: true });
    });
    new ResizeObserver(() => this.schedule()).observe(this.el);
    this.recompute();
  }

  get selected(): number {
    return this.selectedId;
  }

  /** Selects a node, expanding its ancestors and scrolling it into view. */
  select(id: number, opts: { scroll?: boolean; notify?: boolean } = {}): void {
    if (!this.plan.nodes[id]) return;
    let changed = false;
    for (let p = this.plan.nodes[id]!.parentId; p !== null; p = this.plan.nodes[p]!.parentId) {
      if (!this.expanded[p]) {
        this.expanded[p] = 1;
        changed = true;
      }
    }
    if (changed) this.recompute();
    this.selectedId = id;
    this.el.setAttribute('aria-activedescendant', this.rowId(id));
    if (opts.scroll !== false) this.scrollTo(id);
    this.render();
    if (opts.notify !== false) this.onSelect(id);
  }

  toggle(id: number, open?: boolean): void {
    const node = this.plan.nodes[id]!;
    if (!node.childIds.length) return;
    const next = open ?? !this.expanded[id];
    if (Boolean(this.expanded[id]) === next) return;
    this.expanded[id] = next ? 1 : 0;
    this.recompute();
  }

  /** Collapses every subtree deeper than `depth` (the toolbar's "collapse" button). */
  collapseBelow(depth: number): void {
    for (const n of this.plan.nodes) this.expanded[n.id] = n.depth < depth ? 1 : 0;
    let sel = this.selectedId;
    while (this.plan.nodes[sel]!.depth > depth) sel = this.plan.nodes[sel]!.parentId!;
    this.selectedId = sel;
    this.recompute();
  }

  expandAll(): void {
    this.expanded.fill(1);
    this.recompute();
  }

  private rowId(id: number): string {
    return `${this.idPrefix}-n${id}`;
  }

  private recompute(): void {
    const out: number[] = [];
    const stack = [0];
    while (stack.length) {
      const id = stack.pop()!;
      out.push(id);
      if (!this.expanded[id]) continue;
      const kids = this.plan.nodes[id]!.childIds;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
    this.visible = out;
    this.position = new Map(out.map((id, i) => [id, i]));
    this.spacer.style.height = `${out.length * ROW_HEIGHT}px`;
    this.render();
  }

  private scrollTo(id: number): void {
    const i = this.position.get(id);
    if (i === undefined) return;
    const top = i * ROW_HEIGHT;
    const view = this.el.clientHeight || 600;
    if (top < this.el.scrollTop) this.el.scrollTop = top;
    else if (top + ROW_HEIGHT > this.el.scrollTop + view) this.el.scrollTop = top + ROW_HEIGHT - view;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const view = this.el.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.el.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.visible.length, Math.ceil((this.el.scrollTop + view) / ROW_HEIGHT) + OVERSCAN);
    clear(this.rows);
    this.rows.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    for (let i = first; i < last; i++) this.rows.append(this.renderRow(this.plan.nodes[this.visible[i]!]!));
  }

  private renderRow(n: PlanNode): HTMLElement {
    const a = this.plan;
    const share = a.timed ? n.timeShare ?? 0 : n.costShare;
    const inclusive = a.timed ? n.inclusiveShare ?? 0 : n.totalCost / (a.totalCost || 1);
    const hasKids = n.childIds.length > 0;
    const open = Boolean(this.expanded[n.id]);
    const depth = Math.min(n.depth, MAX_INDENT_DEPTH);
    const row = h('div', {
      class: `row${n.id === this.selectedId ? ' selected' : ''}${!n.executed && a.analyzed ? ' not-executed' : ''}`,
      id: this.rowId(n.id), role: 'treeitem', 'data-id': n.id, 'aria-level': n.depth + 1,
      'aria-selected': n.id === this.selectedId ? 'true' : 'false',
      'aria-expanded': hasKids ? String(open) : undefined,
    });
    const indent = h('span', { class: 'indent' });
    indent.style.width = `${depth * 14}px`;
    row.append(indent, h('span', { class: 'twisty', 'aria-hidden': 'true' }, hasKids ? (open ? '▾' : '▸') : ''));
    if (n.depth > MAX_INDENT_DEPTH) row.append(h('span', { class: 'badge depth' }, `depth ${n.depth}`));
    if (n.subplanName) row.append(h('span', { class: 'badge subplan' }, n.subplanName));
    row.append(h('span', { class: 'label' }, n.label));
    const sev = this.severity.get(n.id);
    if (sev) row.append(h('span', { class: `badge sev-${sev}`, title: `${sev} insight` }, sev === 'critical' ? '!!' : '!'));
    const { factor, direction } = n.rows;
    if (factor !== null && factor >= MISESTIMATE_FACTOR) {
      row.append(h('span', { class: `badge misestimate${factor >= 100 ? ' bad' : ''}`, title: `rows ${direction === 'under' ? 'under' : 'over'}estimated ${fmtFactor(factor)}` },
        `${direction === 'under' ? '▲' : '▼'} ${fmtFactor(factor)}`));
    }
    const temp = n.exclusiveBuffers?.tempWritten ?? 0;
    if (temp > 0) row.append(h('span', { class: 'badge temp', title: 'temporary blocks written' }, `temp ${fmtBlocks(temp)}`));
    if (n.exclusiveBuffers && n.exclusiveBuffers.sharedRead > 0) {
      row.append(h('span', { class: 'badge read', title: 'shared blocks read from disk/OS cache' }, `read ${fmtBlocks(n.exclusiveBuffers.sharedRead)}`));
    }
    if (a.analyzed && !n.executed) row.append(h('span', { class: 'badge never' }, 'never executed'));
    const barIncl = h('span', { class: 'bar-incl' });
    barIncl.style.width = `${Math.min(100, inclusive * 100)}%`;
    const barSelf = h('span', { class: `bar-self${share >= 0.3 ? ' hot' : share >= 0.1 ? ' warm' : ''}` });
    barSelf.style.width = `${Math.min(100, share * 100)}%`;
    row.append(h('span', { class: 'bar', 'aria-hidden': 'true' }, barIncl, barSelf));
    row.append(h('span', { class: 'metric' }, a.timed ? `${fmtMs(n.exclusiveTime)} · ${fmtPct(share)}` : `${n.exclusiveCost.toFixed(1)} · ${fmtPct(share)}`));
    return row;
  }

  private onKey(e: KeyboardEvent): void {
    const i = this.position.get(this.selectedId) ?? 0;
    const n = this.plan.nodes[this.selectedId]!;
    const page = Math.max(1, Math.floor((this.el.clientHeight || 600) / ROW_HEIGHT) - 1);
    let target: number | undefined;
    switch (e.key) {
      case 'ArrowDown': target = this.visible[Math.min(this.visible.length - 1, i + 1)]; break;
      case 'ArrowUp': target = this.visible[Math.max(0, i - 1)]; break;
      case 'PageDown': target = this.visible[Math.min(this.visible.length - 1, i + page)]; break;
      case 'PageUp': target = this.visible[Math.max(0, i - page)]; break;
      case 'Home': target = this.visible[0]; break;
      case 'End': target = this.visible[this.visible.length - 1]; break;
      case 'ArrowRight':
        if (n.childIds.length && !this.expanded[n.id]) this.toggle(n.id, true);
        else target = n.childIds[0];
        break;
      case 'ArrowLeft':
        if (n.childIds.length && this.expanded[n.id]) this.toggle(n.id, false);
        else target = n.parentId ?? undefined;
        break;
      case 'Enter':
      case ' ':
        this.toggle(n.id);
        break;
      default:
        return;
    }
    e.preventDefault();
    if (target !== undefined) this.select(target);
    else this.render();
  }
}
