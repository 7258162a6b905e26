import type { AstNode } from '../sql/parse';
import type { Table } from './model';
import { strings } from './names';
import { memoByNode, walk } from './walk';

/**
 * Columns of `table` a policy expression filters on: `col = …`, `… = col`, `col in (…)`, `col = any(…)`.
 * Only unqualified or table-qualified references to existing columns count; subquery bodies are skipped
 * (they filter other tables).
 */
export function filteredColumns(expr: AstNode | undefined, table: Table): { column: string; loc: number }[] {
  const out: { column: string; loc: number }[] = [];
  for (const c of candidateColumns(expr, [])) {
    if (c.qualifier !== undefined && c.qualifier !== table.name) continue;
    if (table.columns.has(c.column)) out.push(c);
  }
  return out;
}

/** Column references compared in an expression (outside subquery bodies), whatever table they belong to. */
const candidateColumns = memoByNode((expr) => {
  const out: { column: string; loc: number; qualifier?: string }[] = [];
  const colOf = (n: AstNode | undefined) => {
    const ref = n?.ColumnRef ?? n?.TypeCast?.arg?.ColumnRef;
    if (!ref) return;
    const f = strings(ref.fields);
    const col = f[f.length - 1];
    if (!col) return;
    out.push({ column: col, loc: ref.location ?? -1, ...(f.length > 1 ? { qualifier: f[f.length - 2] } : {}) });
  };
  walk(expr, (node) => {
    if (node.SubLink) {
      // `col in (select …)`: the tested column is ours; the subquery's own columns are not.
      colOf(node.SubLink.testexpr);
      return false;
    }
    const a = node.A_Expr;
    if (a && (a.kind === 'AEXPR_IN' || a.kind === 'AEXPR_OP_ANY' || (a.kind === 'AEXPR_OP' && strings(a.name).join() === '='))) {
      colOf(a.lexpr);
      colOf(a.rexpr);
    }
    return undefined;
  });
  return out;
});
