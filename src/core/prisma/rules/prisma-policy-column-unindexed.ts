import { finding } from '../../findings/types';
import type { Finding } from '../../findings/types';
import { policiesOf } from '../../schema/model';
import { filteredColumns } from '../../schema/policyColumns';
import { sqlName } from '../../schema/names';
import { addIndexFix } from '../fixes';
import { foreignKeys, isIndexed } from '../indexes';
import { postgresSchemas, type PrismaRule } from '../rule';
import { columnOf } from '../schema';

export const rule: PrismaRule = {
  id: 'prisma-policy-column-unindexed',
  severity: 'info',
  category: 'prisma',
  summary: 'A column a row level security policy filters on has no @@index',
  docs: `## prisma-policy-column-unindexed

**What it finds:** a field of a Prisma model whose column a row level security policy (written in a migration)
filters on — \`using ((select auth.uid()) = owner_id)\` — with no index leading with it, neither in
\`schema.prisma\` nor in the migrations. The SQL counterpart, \`policy-column-unindexed\`, stays quiet on
\`prisma/migrations/**/migration.sql\`: its fix would create the index in SQL, and the next
\`prisma migrate dev\` drops an index that \`schema.prisma\` does not declare.

**Why it matters:** the policy's condition is added to every API query on the table; without an index each one
reads the whole table.

**How to fix:** declare the index in the model (the quick fix), then run \`prisma migrate dev\`:
\`\`\`prisma
model Note {
  id      Int    @id
  ownerId String @map("owner_id") @db.Uuid

  @@index([ownerId])
}
\`\`\`
Relation fields are left to \`prisma-unindexed-relation\`, which reports them anyway.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const schema of postgresSchemas(ctx)) {
      for (const m of schema.models.values()) {
        const t = ctx.sql.tables.get(m.table.key);
        if (!t) continue;
        const relationScalars = new Set([...foreignKeys(schema, m)].flatMap((fk) => fk.fields));
        const seen = new Set<string>();
        for (const p of policiesOf(ctx.sql, t.key)) {
          for (const { column } of [...filteredColumns(p.using, t), ...filteredColumns(p.withCheck, t)]) {
            const field = m.model.fields.find((f) => !f.array && columnOf(f) === column);
            if (!field || seen.has(field.name) || relationScalars.has(field.name) || isIndexed(m, [field.name], ctx.sql)) continue;
            seen.add(field.name);
            out.push(finding(rule, m.file.path, field.nameRange,
              `Policy "${p.name}" filters ${sqlName(t.key)} on "${column}" (${m.model.name}.${field.name}), which has no index: every API query on the table reads all of it. Declare @@index([${field.name}]); an index created only in a migration is dropped by the next prisma migrate dev.`,
              { fixes: [addIndexFix(m.file, m.model, [field.name])], related: [{ file: p.origin.file, range: p.origin.range, message: `policy "${p.name}" is created here` }] }));
          }
        }
      }
    }
    return out;
  },
};
