import type { Rule } from '../rule';
import { finding } from '../rule';
import { placeSql } from '../fixes';
import { rlsCovers, sqlNameLike } from '../helpers';
import { sqlName } from '../../schema/names';

export const rule: Rule = {
  id: 'policy-without-rls',
  severity: 'error',
  category: 'security',
  summary: 'Policies exist but row level security is not enabled, so they do nothing',
  docs: `## policy-without-rls

**What it finds:** a table with \`CREATE POLICY\` statements on which row level security is never enabled
(or was disabled again).

**Why it matters:** policies are only enforced once RLS is enabled. Until then every role with table
privileges sees and changes every row, while the policies make the table look protected.

**How to fix:**
\`\`\`sql
alter table public.documents enable row level security;
\`\`\`

**Peers:** splinter 0007 (\`policy_exists_rls_disabled\`).`,
  check(ctx) {
    const out = [];
    for (const [key, policies] of ctx.model.policies) {
      const table = ctx.model.tables.get(key);
      if (!table || policies.length === 0 || rlsCovers(ctx.model, table)) continue;
      const first = policies[0]!;
      out.push(
        finding(rule, first.origin.file, first.origin.range,
          `Policy "${first.name}" on ${sqlName(key)} is never enforced: row level security is not enabled on the table${policies.length > 1 ? ` (${policies.length} policies affected)` : ''}.`,
          {
            fixes: () => [placeSql(ctx, first.origin.stmt, `alter table ${sqlNameLike(key, first.origin.stmt)} enable row level security;`, `Enable row level security on ${sqlNameLike(key, first.origin.stmt)}`, `enable_rls_${table.name}`)],
            related: [{ file: table.origin.file, range: table.origin.range, message: `${sqlName(key)} is created here` }],
          }),
      );
    }
    return out;
  },
};
