import { finding } from '../../findings/types';
import type { Finding } from '../../findings/types';
import { rlsCovers } from '../../schema/queries';
import { sqlName } from '../../schema/names';
import { rlsMigrationFix } from '../fixes';
import { exposedTables, modelOf, type PrismaRule } from '../rule';

export const rule: PrismaRule = {
  id: 'prisma-rls-missing',
  // As severe as rls-disabled, which stays quiet on Prisma's generated migration.sql in its favour.
  severity: 'error',
  category: 'prisma',
  summary: "A Prisma model's table has no row level security in any migration",
  docs: `## prisma-rls-missing

**What it finds:** a Prisma model (or the join table of an implicit many-to-many relation, such as
\`_PostToTag\`) whose real table — after \`@@map\` and \`@@schema\` — lies in an API-exposed schema (\`public\` by
default; see \`exposedSchemas\` in \`.dbe.json\`) and on which no migration (\`prisma/migrations/**/migration.sql\`,
\`supabase/migrations\`, …) runs \`ALTER TABLE … ENABLE ROW LEVEL SECURITY\`.

**Why it matters:** Prisma's schema language cannot express row level security, so nothing in
\`schema.prisma\` shows that the table is open. On Supabase, PostgREST serves every table of \`public\` to the
\`anon\` and \`authenticated\` roles: without RLS anyone with the public anon key reads and writes every row.
Prisma itself connects as the table owner and is not affected by RLS, so enabling it does not break your app.

**How to fix:** add a migration that enables RLS and states who may do what:
\`\`\`sql
-- prisma/migrations/20250102030405_enable_rls_post/migration.sql
alter table "Post" enable row level security;
create policy "Owners manage their Post" on "Post"
  for all to authenticated
  using ((select auth.uid())::text = "authorId")
  with check ((select auth.uid())::text = "authorId");
\`\`\`
The quick fix *Create RLS migration* writes such a migration (\`prisma migrate dev --create-only\` style), guessing
the owner column (\`user_id\`, \`owner_id\`, \`author_id\`) or leaving a TODO policy that denies access until edited.

**Not behind PostgREST** (plain Postgres, no Supabase API)? Set \`"exposedSchemas": []\` in \`.dbe.json\` or turn the rule off.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const e of exposedTables(ctx)) {
      const t = e.sql;
      if (t && rlsCovers(ctx.sql, t)) continue;
      const fixes = [rlsMigrationFix(ctx, e.schema, e.table, modelOf(e), e.label)];
      if (e.kind === 'model') {
        const m = e.model;
        const where = t ? 'but no migration enables row level security on it' : 'and no migration creates it with row level security';
        out.push(finding(rule, m.file.path, m.model.nameRange,
          `Model ${m.model.name} maps to table ${sqlName(m.table.key)} in the API-exposed schema "${m.table.schema}", ${where}: anyone with the anon key can read and write it.`,
          { fixes, ...(t ? { related: [{ file: t.origin.file, range: t.origin.range, message: `table ${sqlName(t.key)} is created here` }] } : {}) }));
      } else {
        const { a, b } = e.join;
        out.push(finding(rule, a.model.file.path, a.field.nameRange,
          `The implicit many-to-many ${a.model.model.name}.${a.field.name} ↔ ${b.model.model.name}.${b.field.name} is stored in table ${sqlName(e.table.key)}, which has no row level security: anyone with the anon key can read and change the links.`,
          { fixes }));
      }
    }
    return out;
  },
};
