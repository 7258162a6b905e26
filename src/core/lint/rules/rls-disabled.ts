import type { Rule } from '../rule';
import { finding } from '../rule';
import { placeSql } from '../fixes';
import { enableRlsSql, hasPolicies, rlsCovers, sqlNameLike, tableNameAtOrigin } from '../helpers';

export const rule: Rule = {
  id: 'rls-disabled',
  severity: 'error',
  category: 'security',
  summary: 'Table in an API-exposed schema without row level security',
  docs: `## rls-disabled

**What it finds:** a table in an exposed schema (\`public\` by default; see \`exposedSchemas\` in \`.dbe.json\`)
on which no migration ever runs \`ALTER TABLE … ENABLE ROW LEVEL SECURITY\`. Enabling it in a later
migration counts, and a partition is covered by its parent's RLS.

**Why it matters:** Supabase (PostgREST) serves every table of an exposed schema to the \`anon\` and
\`authenticated\` roles. Without RLS, anyone holding the public anon key can read and change every row.

**How to fix:** enable RLS and write policies for who may do what.
\`\`\`sql
alter table public.notes enable row level security;

create policy "Owners manage their notes" on public.notes
  for all to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id);
\`\`\`
The quick fix adds both (in a new migration when the table comes from an older one); edit the policy to your rules.

**Peers:** splinter 0013 (\`rls_disabled_in_public\`, the Supabase advisor's "RLS Disabled in Public").`,
  check(ctx) {
    const out = [];
    for (const table of ctx.model.tables.values()) {
      if (!ctx.wants(table.origin.file) || !ctx.isExposed(table.schema) || rlsCovers(ctx.model, table)) continue;
      // Tables with policies but no RLS are reported by policy-without-rls, more precisely.
      if (hasPolicies(ctx.model, table)) continue;
      out.push(
        finding(rule, table.origin.file, table.origin.range,
          `Table ${tableNameAtOrigin(table)} is exposed through the API (schema "${table.schema}") but row level security is never enabled: anyone with the anon key can read and write it.`,
          { fixes: () => [placeSql(ctx, table.origin.stmt, enableRlsSql(table), `Enable row level security on ${sqlNameLike(table.key, table.origin.stmt)} with a starter policy`, `enable_rls_${table.name}`)] }),
      );
    }
    return out;
  },
};
