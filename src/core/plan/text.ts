import type { PlanAnalysis, PlanNode } from './types';
import { fmtBlocks, fmtCount, fmtFactor, fmtMs, fmtPct } from './format';

export interface TextOptions {
  /** ANSI colours (for a TTY). */
  color?: boolean;
  /** Indentation stops growing below this depth, so a 50,000-deep plan stays linear in size. */
  maxIndentDepth?: number;
}

const ANSI = { red: '\x1b[31m', yellow: '\x1b[33m', green: '\x1b[32m', dim: '\x1b[2m', bold: '\x1b[1m', cyan: '\x1b[36m', reset: '\x1b[0m' };
const BAR_WIDTH = 10;

function bar(share: number): string {
  const cells = Math.round(Math.max(0, Math.min(1, share)) * BAR_WIDTH);
  return '█'.repeat(cells) + '·'.repeat(BAR_WIDTH - cells);
}

/** "▲ 12×": more rows than estimated; "▼ 12×": fewer. Blank unless the node is flagged (estimates.ts). */
export function misestimateMark(n: PlanNode): string {
  const { factor, direction, misestimated } = n.rows;
  if (!misestimated || factor === null) return '';
  return `${direction === 'under' ? '▲' : '▼'} ${fmtFactor(factor)}`;
}

function buffersText(n: PlanNode): string {
  const b = n.exclusiveBuffers;
  if (!b) return '';
  const parts: string[] = [];
  if (b.sharedHit) parts.push(`hit ${fmtCount(b.sharedHit)}`);
  if (b.sharedRead) parts.push(`read ${fmtCount(b.sharedRead)}`);
  if (b.sharedDirtied) parts.push(`dirtied ${fmtCount(b.sharedDirtied)}`);
  if (b.sharedWritten) parts.push(`written ${fmtCount(b.sharedWritten)}`);
  if (b.localHit + b.localRead) parts.push(`local ${fmtCount(b.localHit + b.localRead)}`);
  if (b.tempRead || b.tempWritten) parts.push(`temp r/w ${fmtCount(b.tempRead)}/${fmtCount(b.tempWritten)} (${fmtBlocks(b.tempWritten)})`);
  return parts.length ? `buffers ${parts.join(' ')}` : '';
}

/** An indented tree with time (or cost) shares, rows estimated → actual, buffers, then the insights. */
export function renderPlanText(a: PlanAnalysis, options: TextOptions = {}): string {
  const c = (code: keyof typeof ANSI, s: string) => (options.color ? `${ANSI[code]}${s}${ANSI.reset}` : s);
  const maxDepth = options.maxIndentDepth ?? 30;
  const lines: string[] = [];
  const head: string[] = [];
  if (a.executionTime !== null) head.push(`execution ${fmtMs(a.executionTime)}`);
  else if (a.totalTime !== null) head.push(`time ${fmtMs(a.totalTime)}`);
  if (a.planningTime !== null) head.push(`planning ${fmtMs(a.planningTime)}`);
  head.push(`cost ${a.totalCost.toFixed(2)}`);
  head.push(`${fmtCount(a.nodes.length)} node${a.nodes.length === 1 ? '' : 's'}`);
  head.push(a.timed ? 'EXPLAIN ANALYZE' : a.analyzed ? 'EXPLAIN ANALYZE without timing: shares are of cost' : 'estimates only (no ANALYZE): shares are of cost');
  lines.push(c('bold', head.join(' · ')));
  if (a.query) lines.push(c('dim', a.query.trim().split('\n').map((l) => `  ${l}`).join('\n')));
  lines.push('');

  for (const n of a.nodes) {
    const depth = Math.min(n.depth, maxDepth);
    const indent = '  '.repeat(depth) + (n.depth > maxDepth ? `…[depth ${n.depth}] ` : '');
    const arrow = n.parentId === null ? '' : '-> ';
    const tag = n.subplanName ? c('cyan', `[${n.subplanName}] `) : '';
    const share = a.timed ? n.timeShare ?? 0 : n.costShare;
    const shareText = `${bar(share)} ${fmtPct(share).padStart(4)}`;
    const shareColored = share >= 0.3 ? c('red', shareText) : share >= 0.1 ? c('yellow', shareText) : c('dim', shareText);
    const parts: string[] = [];
    if (a.analyzed) {
      if (!n.executed) parts.push(c('dim', 'never executed'));
      else if (a.timed) parts.push(`${fmtMs(n.exclusiveTime)} self, ${fmtMs(n.inclusiveTime)} total`);
      else parts.push(`cost ${n.startupCost.toFixed(2)}..${n.totalCost.toFixed(2)}`);
    } else {
      parts.push(`cost ${n.startupCost.toFixed(2)}..${n.totalCost.toFixed(2)}`);
    }
    const mark = misestimateMark(n);
    const rows = n.executed
      ? `rows ${fmtCount(n.rows.estimated)} → ${fmtCount(n.rows.actual)}${mark ? ' ' + ((n.rows.factor ?? 0) >= 100 ? c('red', mark) : c('yellow', mark)) : ''}`
      : `rows ${fmtCount(n.rows.estimated)}`;
    parts.push(rows);
    if (n.loops !== null && n.loops > 1) parts.push(`× ${fmtCount(n.loops)} loops`);
    const removed = n.removed.filter + n.removed.joinFilter + n.removed.indexRecheck;
    if (removed) parts.push(`removed ${fmtCount(removed)}`);
    const buf = buffersText(n);
    if (buf) parts.push(buf);
    lines.push(`${shareColored}  ${indent}${arrow}${tag}${c('bold', n.label)}  ${parts.join(' · ')}`);
    const conditions: [string, string | null][] = [['Filter', n.filter], ['Index Cond', n.indexCond], ['Join Filter', n.joinFilter], ['Hash Cond', n.hashCond]];
    for (const [name, cond] of conditions) {
      if (cond) lines.push(c('dim', `${' '.repeat(BAR_WIDTH + 7)}${indent}   ${name}: ${cond}`));
    }
  }

  if (a.triggers.length) {
    lines.push('', c('bold', 'Triggers'));
    for (const t of a.triggers) lines.push(`  ${t.name}${t.relation ? ` on ${t.relation}` : ''}: ${fmtMs(t.timeMs)} in ${fmtCount(t.calls)} calls`);
  }
  if (a.jit?.totalMs != null) lines.push('', `JIT: ${fmtCount(a.jit.functions)} functions, ${fmtMs(a.jit.totalMs)}`);

  lines.push('');
  if (!a.insights.length) {
    lines.push(c('green', 'No insights: nothing in this plan crosses a threshold.'));
  } else {
    lines.push(c('bold', `Insights (${a.insights.length})`));
    a.insights.forEach((i, k) => {
      const sev = i.severity === 'critical' ? c('red', 'critical') : i.severity === 'warning' ? c('yellow', 'warning') : c('cyan', 'info');
      lines.push('', `${k + 1}. [${sev}] ${c('bold', i.title)}${i.nodeId !== null ? c('dim', ` (node ${i.nodeId})`) : ''}`);
      lines.push(`   ${i.detail}`);
      lines.push(`   Fix: ${i.fix.split('\n').join('\n        ')}`);
    });
  }
  return lines.join('\n') + '\n';
}
