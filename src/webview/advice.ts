/**
 * Advice first: the insights ranked by the time fixing them could save (core/plan/advice.ts), each with its
 * node, why, and the fix; a SQL fix has Copy, Insert and (for schema changes) Save as migration.
 */
import type { PlanAnalysis } from '../core/plan/types';
import type { FixAction } from '../core/plan/protocol';
import { rankInsights, type RankedInsight } from '../core/plan/advice';
import { h } from './dom';
import { fmtMs, fmtPct } from '../core/plan/format';

const PAGE = 50;

/** Schema changes belong in a migration; session settings (SET work_mem) do not. */
export const migratable = (sql: string): boolean => /^\s*(create|alter|analyze|comment|drop)\b/i.test(sql);

export interface AdviceHandlers {
  node(id: number): void;
  fix(action: FixAction, insight: number): void;
  /** False in the standalone report: nothing to insert into or save to. */
  editor: boolean;
}

function savingText(r: RankedInsight): string {
  if (r.saving <= 0) return '';
  return r.unit === 'ms' ? `could save ~${fmtMs(r.saving)} (${fmtPct(r.share)})` : `~${fmtPct(r.share)} of the estimated cost`;
}

function card(a: PlanAnalysis, r: RankedInsight, on: AdviceHandlers): HTMLElement {
  const i = r.insight;
  const sev = h('span', { class: `badge sev-${i.severity}` }, i.severity);
  const title = i.nodeId === null
    ? h('span', { class: 'insight-title' }, i.title)
    : h('button', { type: 'button', class: 'insight', 'data-node': String(i.nodeId) }, i.title);
  if (i.nodeId !== null) title.addEventListener('click', () => on.node(i.nodeId!));
  const head = h('div', { class: 'advice-head' }, sev, title);
  const saving = savingText(r);
  if (saving) head.append(h('span', { class: 'saving muted' }, saving));
  const li = h('li', { class: `advice-card sev-${i.severity}`, 'data-insight': String(r.index) }, head);
  if (i.nodeId !== null && a.nodes[i.nodeId]) {
    const n = a.nodes[i.nodeId]!;
    const link = h('button', { type: 'button', class: 'link', title: n.label }, `#${n.id} ${n.label}`);
    link.addEventListener('click', () => on.node(n.id));
    li.append(h('p', { class: 'advice-node' }, 'Node: ', link));
  }
  li.append(h('p', { class: 'why' }, i.detail));
  li.append(h('pre', { class: 'fix' }, i.fix));
  if (i.sql) {
    const actions = h('div', { class: 'fix-actions toolbar' });
    const add = (label: string, action: FixAction) => {
      const b = h('button', { type: 'button', 'data-action': action }, label);
      b.addEventListener('click', () => on.fix(action, r.index));
      actions.append(b);
    };
    add('Copy SQL', 'copy');
    if (on.editor) {
      add('Insert at cursor', 'insert');
      if (migratable(i.sql)) add('Save as migration', 'migration');
    }
    li.append(actions);
  }
  return li;
}

export function renderAdvice(a: PlanAnalysis, on: AdviceHandlers): HTMLElement {
  const ranked = rankInsights(a);
  const list = h('ol', { class: 'insights', 'aria-label': 'Insights, largest saving first' });
  const addPage = (from: number) => {
    const end = Math.min(ranked.length, from + PAGE);
    for (let k = from; k < end; k++) list.append(card(a, ranked[k]!, on));
    if (end < ranked.length) {
      const more = h('li', {});
      const b = h('button', { type: 'button' }, `Show ${Math.min(PAGE, ranked.length - end)} more of ${ranked.length - end}`);
      b.addEventListener('click', () => {
        more.remove();
        addPage(end);
      });
      more.append(b);
      list.append(more);
    }
  };
  addPage(0);
  if (!ranked.length) list.append(h('li', { class: 'muted' }, 'No insights: nothing in this plan crosses a threshold.'));
  return h('section', { class: 'advice', 'aria-label': 'Advice' },
    h('h2', { class: 'section' }, ranked.length ? `Advice (${ranked.length}), largest saving first` : 'Advice'), list);
}
