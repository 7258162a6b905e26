import type { Rule } from '../rule';
import { finding } from '../rule';
import { API_ROLES, isAlwaysTrue } from '../helpers';
import { sqlName } from '../../schema/names';

export const rule: Rule = {
  id: 'policy-always-true',
  severity: 'warning',
  category: 'security',
  summary: 'A permissive write policy lets every API user insert, update or delete any row',
  docs: `## policy-always-true

**What it finds:** a permissive policy for INSERT, UPDATE, DELETE or ALL, granted to \`anon\`,
\`authenticated\` or \`public\`, whose condition is always true: \`using (true)\`, \`with check (true)\`,
\`1 = 1\`, or (for INSERT) no \`WITH CHECK\` at all. An UPDATE (or ALL) policy whose \`USING\` is restrictive
but whose \`WITH CHECK\` is explicitly always true is reported too: the user can only pick their own rows,
but may rewrite them to any value, including another owner's id.

**Why it matters:** permissive policies are OR-ed together, so one always-true write policy lets any
signed-in (or anonymous) user overwrite or delete every row, whatever the other policies say.

**How to fix:** tie the write to the row's owner.
\`\`\`sql
-- before
create policy "edit" on public.posts for update to authenticated using (true);
-- after
create policy "Authors edit their posts" on public.posts for update to authenticated
  using ((select auth.uid()) = author_id)
  with check ((select auth.uid()) = author_id);
\`\`\`

**Peers:** splinter 0024 (\`rls_policy_always_true\`, the Supabase advisor's "RLS policy always true"); squawk and
the Postgres Language Server have no policy rules. Now agrees with splinter 0024 on \`with check (true)\` in
UPDATE policies. Differs deliberately: policies for \`service_role\` or other roles the API does not use, and
RESTRICTIVE policies, are not reported (they cannot open a table on their own).`,
  check(ctx) {
    const out = [];
    for (const policies of ctx.model.policies.values()) {
      for (const p of policies) {
        if (!p.permissive || p.command === 'select' || !ctx.wants((p.changedIn ?? p.origin).file)) continue;
        const roles = p.roles.filter((r) => API_ROLES.has(r));
        if (roles.length === 0) continue;
        // What decides whether a write is allowed, per command.
        // INSERT is decided by WITH CHECK; UPDATE, DELETE and ALL let a user touch every row when USING is always true.
        const open = p.command === 'insert' ? isAlwaysTrue(p.withCheck) : p.using !== undefined && isAlwaysTrue(p.using);
        // UPDATE/ALL: an explicit WITH CHECK (true) lets the rows the user may touch take any value.
        const anyValue = !open && (p.command === 'update' || p.command === 'all') && p.withCheck !== undefined && isAlwaysTrue(p.withCheck);
        if (!open && !anyValue) continue;
        const what = p.command === 'all' ? 'read and write' : p.command;
        const at = p.changedIn ?? p.origin;
        out.push(
          finding(rule, at.file, at.range,
            anyValue
              ? `Policy "${p.name}" on ${sqlName(p.table)} has WITH CHECK (true): ${roles.join(', ')} can rewrite the rows they may update to any value, including another owner's; repeat the USING condition in WITH CHECK.`
              : `Policy "${p.name}" on ${sqlName(p.table)} lets ${roles.join(', ')} ${what} every row: its condition is always true.`),
        );
      }
    }
    return out;
  },
};
