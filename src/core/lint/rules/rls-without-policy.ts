import type { Rule } from '../rule';
import { finding } from '../rule';
import { hasPolicies } from '../helpers';
import { sqlName } from '../../schema/names';

export const rule: Rule = {
  id: 'rls-without-policy',
  severity: 'info',
  category: 'security',
  summary: 'Row level security is enabled but no policy allows any access',
  docs: `## rls-without-policy

**What it finds:** a table with row level security enabled and no policy at all.

**Why it matters:** with RLS on and no policy, every query through the API returns no rows and every write
fails; only roles that bypass RLS (table owner, \`service_role\`) can use the table. That is sometimes
intended (a server-only table), often a forgotten policy.

**How to fix:** add the policies the app needs, or leave it and silence the rule with
\`-- dbe-ignore rls-without-policy\` to record that the table is server-only.
\`\`\`sql
create policy "Members read their organization" on public.organizations
  for select to authenticated
  using (id in (select organization_id from public.memberships where user_id = (select auth.uid())));
\`\`\`

**Peers:** splinter 0008 (\`rls_enabled_no_policy\`).`,
  check(ctx) {
    const out = [];
    for (const table of ctx.model.tables.values()) {
      if (!table.rlsEnabled || hasPolicies(ctx.model, table)) continue;
      const at = table.rlsOrigin ?? table.origin;
      out.push(
        finding(rule, at.file, at.range,
          `Row level security is enabled on ${sqlName(table.key)} but it has no policy: API requests (anon, authenticated) can neither read nor write it.`),
      );
    }
    return out;
  },
};
