import type { PlanAnalysis } from './types';
import { fmtCount, fmtMs, fmtPct } from './format';
import { misestimateMark } from './text';

/** A compact plain-text digest for a chat prompt: totals, the hottest nodes, the insights with fixes. */
export function planSummary(a: PlanAnalysis, maxNodes = 15): string {
  const lines: string[] = [];
  lines.push(`EXPLAIN${a.analyzed ? ' ANALYZE' : ''} plan: ${fmtCount(a.nodes.length)} nodes, total cost ${a.totalCost.toFixed(2)}`
    + (a.executionTime !== null ? `, execution ${fmtMs(a.executionTime)}` : '') + (a.planningTime !== null ? `, planning ${fmtMs(a.planningTime)}` : ''));
  if (a.query) lines.push('', 'Query:', a.query.trim());
  const score = (i: number) => (a.timed ? a.nodes[i]!.exclusiveTime ?? 0 : a.nodes[i]!.exclusiveCost);
  const hottest = a.nodes.map((n) => n.id).sort((x, y) => score(y) - score(x)).slice(0, maxNodes);
  lines.push('', `Hottest nodes (by ${a.timed ? 'own time' : 'own cost'}):`);
  for (const id of hottest) {
    const n = a.nodes[id]!;
    const share = a.timed ? n.timeShare : n.costShare;
    const bits = [`#${n.id} ${n.label}`, `${fmtPct(share)}`];
    if (n.executed) bits.push(`${fmtMs(n.exclusiveTime)} self`, `rows ${fmtCount(n.rows.estimated)}→${fmtCount(n.rows.actual)} ${misestimateMark(n)}`.trim());
    if (n.loops && n.loops > 1) bits.push(`${fmtCount(n.loops)} loops`);
    if (n.filter) bits.push(`Filter: ${n.filter}`);
    if (n.removed.filter) bits.push(`removed by filter ${fmtCount(n.removed.filter)}`);
    lines.push(`- ${bits.join(' · ')}`);
  }
  if (a.insights.length) {
    lines.push('', 'Insights:');
    for (const i of a.insights) lines.push(`- [${i.severity}] ${i.title}${i.nodeId !== null ? ` (#${i.nodeId})` : ''}: ${i.detail} Fix: ${i.fix}`);
  }
  if (Object.keys(a.settings).length) lines.push('', `Settings: ${Object.entries(a.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return lines.join('\n');
}
