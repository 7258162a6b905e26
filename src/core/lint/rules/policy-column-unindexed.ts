import type { Rule } from '../rule';
import { finding } from '../rule';
import { filteredColumns, hasLeadingIndex, indexFix } from '../helpers';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'policy-column-unindexed',
  severity: 'info',
  category: 'performance',
  summary: 'A column a policy filters on has no index leading with it',
  docs: `## policy-column-unindexed

**What it finds:** a column compared in a policy (\`user_id = (select auth.uid())\`, \`org_id in (…)\`) that no
index starts with (primary keys and unique constraints count).

**Why it matters:** the policy's condition is added to every query on the table. Without an index on the
filtered column each query scans the whole table, however selective the policy is.

**How to fix:**
\`\`\`sql
create index concurrently if not exists documents_owner_id_idx on public.documents (owner_id);
\`\`\`

**Peers:** none of squawk, the Postgres Language Server or splinter (splinter 0001 covers foreign keys only).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const [key, policies] of ctx.model.policies) {
      const table = ctx.model.tables.get(key);
      if (!table) continue;
      const seen = new Set<string>();
      for (const p of policies) {
        if (!ctx.wants(p.origin.file)) continue;
        for (const { column } of [...filteredColumns(p.using, table), ...filteredColumns(p.withCheck, table)]) {
          if (seen.has(column) || hasLeadingIndex(ctx.model, key, [column])) continue;
          seen.add(column);
          out.push(
            finding(rule, p.origin.file, p.origin.range,
              `Policy "${p.name}" filters ${sqlName(key)} on "${column}", which has no index: every query on the table scans it.`,
              { fixes: () => [indexFix(ctx, table, p.origin.stmt, [column])] }),
          );
        }
      }
    }
    return out;
  },
};
