import { finding } from '../../findings/types';
import type { Finding } from '../../findings/types';
import { hasPolicies, rlsCovers } from '../../schema/queries';
import { sqlName } from '../../schema/names';
import { policyMigrationFix } from '../fixes';
import { exposedTables, modelOf, type PrismaRule } from '../rule';

export const rule: PrismaRule = {
  id: 'prisma-rls-without-policy',
  // As rls-without-policy, which stays quiet on the migrations in Prisma's folder in its favour.
  severity: 'info',
  category: 'prisma',
  summary: "A Prisma model's table has row level security on and no policy",
  docs: `## prisma-rls-without-policy

**What it finds:** a Prisma model (or the join table of an implicit many-to-many relation) whose table in an
API-exposed schema has row level security enabled by a migration, and no policy at all. The SQL counterpart,
\`rls-without-policy\`, stays quiet on \`prisma/migrations/**/migration.sql\`: Prisma Migrate refuses edits to
an applied migration, so the place to act is a new migration, reported here on the model.

**Why it matters:** with RLS on and no policy, every request through the Supabase API (\`anon\`,
\`authenticated\`) reads no rows and every write fails; only Prisma itself (the table owner) and
\`service_role\` reach the table. That is right for a server-only table, and a forgotten policy otherwise.

**How to fix:** the quick fix *Create policy migration* writes
\`prisma/migrations/<timestamp>_policies_<table>/migration.sql\` with a starter owner policy (or a TODO policy that
still denies everything). For a table only the server uses, record it instead:
\`\`\`prisma
// dbe-ignore prisma-rls-without-policy
model AuditEvent {
  …
}
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const e of exposedTables(ctx)) {
      const t = e.sql;
      if (!t || !rlsCovers(ctx.sql, t) || hasPolicies(ctx.sql, t)) continue;
      const fixes = [policyMigrationFix(ctx, e.schema, e.table, modelOf(e), e.label)];
      if (e.kind === 'model') {
        const at = t.rlsOrigin ?? t.origin;
        out.push(finding(rule, e.model.file.path, e.model.model.nameRange,
          `Row level security is on for ${sqlName(t.key)} (model ${e.model.model.name}) but no migration gives it a policy: API requests (anon, authenticated) can neither read nor write it.`,
          { fixes, related: [{ file: at.file, range: at.range, message: `row level security is enabled on ${sqlName(t.key)} here` }] }));
      } else {
        const { a, b } = e.join;
        out.push(finding(rule, a.model.file.path, a.field.nameRange,
          `Row level security is on for ${sqlName(t.key)}, the table of the implicit many-to-many ${a.model.model.name}.${a.field.name} ↔ ${b.model.model.name}.${b.field.name}, but it has no policy: API requests can neither read nor change the links.`,
          { fixes }));
      }
    }
    return out;
  },
};
