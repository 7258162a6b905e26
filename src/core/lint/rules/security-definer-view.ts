import type { Rule } from '../rule';
import { finding } from '../rule';
import { placeSql } from '../fixes';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'security-definer-view',
  severity: 'error',
  category: 'security',
  summary: 'View in an exposed schema bypasses the RLS of the tables it reads',
  docs: `## security-definer-view

**What it finds:** a view in an exposed schema, without \`security_invoker = on\`, that reads a table
protected by row level security.

**Why it matters:** by default a view runs with its owner's rights (usually \`postgres\`, which bypasses
RLS). Exposed through the API, it hands every caller the rows the table's policies were meant to hide.

**How to fix (PostgreSQL 15+):**
\`\`\`sql
create view public.document_summaries with (security_invoker = on) as select …;
-- or, for an existing view
alter view public.document_summaries set (security_invoker = on);
\`\`\`

**Peers:** splinter 0010 (\`security_definer_view\`).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const view of ctx.model.views.values()) {
      if (view.materialized || view.securityInvoker || !ctx.isExposed(view.schema)) continue;
      const protectedTables = view.reads.filter((k) => ctx.model.tables.get(k)?.rlsEnabled);
      if (protectedTables.length === 0) continue;
      const sql = `alter view ${sqlName(view.key)} set (security_invoker = on);`;
      out.push(
        finding(rule, view.origin.file, view.origin.range,
          `View ${sqlName(view.key)} runs with its owner's rights and bypasses row level security on ${protectedTables.map(sqlName).join(', ')}; set security_invoker = on.`,
          { fixes: () => [placeSql(ctx, view.origin.stmt, sql, `Set security_invoker = on for ${sqlName(view.key)}`, `view_${view.name}_security_invoker`)] }),
      );
    }
    return out;
  },
};
