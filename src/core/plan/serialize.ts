import type { PlanAnalysis } from './types';

/**
 * Writes the plan back as EXPLAIN (FORMAT JSON) text — `[{"Plan": {...}, "Planning Time": ...}]` — from the
 * flat nodes. Iterative on purpose: JSON.stringify recurses and overflows on very deep plans.
 */
export function planToExplainJson(analysis: Pick<PlanAnalysis, 'nodes' | 'extras'>, indent = 0): string {
  const pad = (level: number) => (indent ? '\n' + ' '.repeat(indent * level) : '');
  const sep = indent ? ': ' : ':';
  const out: string[] = [];
  const fieldsOf = (id: number, level: number): string =>
    Object.entries(analysis.nodes[id]!.fields)
      .map(([k, v]) => `${pad(level)}${JSON.stringify(k)}${sep}${JSON.stringify(v)}`)
      .join(',');
  // Work items: a node to open, or a literal string to emit (closers and separators).
  type Item = { node: number; level: number } | string;
  out.push(`[${pad(1)}{${pad(2)}"Plan"${sep}`);
  const stack: Item[] = [];
  if (analysis.nodes.length) stack.push({ node: 0, level: 2 });
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    const { node, level } = item;
    const fields = fieldsOf(node, level + 1);
    out.push(`{${fields}`);
    const children = analysis.nodes[node]!.childIds;
    if (!children.length) {
      out.push(`${pad(level)}}`);
      continue;
    }
    out.push(`${fields ? ',' : ''}${pad(level + 1)}"Plans"${sep}[`);
    stack.push(`${pad(level + 1)}]${pad(level)}}`);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i]!, level: level + 2 });
      stack.push(i === 0 ? pad(level + 2) : `,${pad(level + 2)}`);
    }
  }
  for (const [k, v] of Object.entries(analysis.extras)) out.push(`,${pad(2)}${JSON.stringify(k)}${sep}${JSON.stringify(v, null, indent || undefined)}`);
  out.push(`${pad(1)}}${indent ? '\n' : ''}]`);
  return out.join('');
}
