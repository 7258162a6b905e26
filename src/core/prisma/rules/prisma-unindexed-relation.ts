import { finding } from '../../findings/types';
import type { Finding } from '../../findings/types';
import { addIndexFix } from '../fixes';
import { foreignKeys, isIndexed } from '../indexes';
import { postgresSchemas, type PrismaRule } from '../rule';

export const rule: PrismaRule = {
  id: 'prisma-unindexed-relation',
  severity: 'warning',
  category: 'prisma',
  summary: 'Relation scalar fields without an index leading with them',
  docs: `## prisma-unindexed-relation

**What it finds:** the scalar fields of a relation (\`authorId\` in \`author User @relation(fields: [authorId], references: [id])\`)
with no \`@@index\`, \`@@unique\`, \`@@id\`, \`@id\` or \`@unique\` that starts with them (nor an index on those
columns in migration SQL).

**Why it matters:** PostgreSQL indexes primary keys and unique constraints, never foreign key columns by itself,
and Prisma does not add one either on PostgreSQL. Every \`include\`/nested read of a user's posts, every
\`where: { authorId }\` and every delete or key update of a user scans the whole \`Post\` table.

**How to fix:** declare the index:
\`\`\`prisma
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
\`\`\`
The quick fix inserts the \`@@index\`; run \`prisma migrate dev\` to create it.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const schema of postgresSchemas(ctx)) {
      for (const m of schema.models.values()) {
        for (const fk of foreignKeys(schema, m)) {
          if (isIndexed(m, fk.fields, ctx.sql)) continue;
          const target = fk.scalar ?? fk.relation;
          out.push(
            finding(rule, m.file.path, target.nameRange,
              `${m.model.name}.${fk.fields.join(', ')} (relation ${fk.relation.name} → ${fk.relation.type}) has no index: PostgreSQL does not index foreign keys by itself, so joins, \`include\`s and deletes of a ${fk.relation.type} scan the whole table.`,
              { fixes: [addIndexFix(m.file, m.model, fk.fields)], related: fk.scalar ? [{ file: m.file.path, range: fk.relation.nameRange, message: `relation ${fk.relation.name} uses it` }] : [] }),
          );
        }
      }
    }
    return out;
  },
};
