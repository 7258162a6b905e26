import { finding } from '../../findings/types';
import type { Finding } from '../../findings/types';
import { addIndexFix } from '../fixes';
import { foreignKeys, isIndexed } from '../indexes';
import { argRange, argValue, attr } from '../parse';
import { postgresSchemas, type PrismaRule } from '../rule';

export const rule: PrismaRule = {
  id: 'prisma-cascade-delete-unindexed',
  severity: 'warning',
  category: 'prisma',
  summary: 'onDelete: Cascade on a relation whose foreign key is not indexed',
  docs: `## prisma-cascade-delete-unindexed

**What it finds:** \`@relation(…, onDelete: Cascade)\` (or \`SetNull\` / \`SetDefault\`) where no index leads with
the relation's scalar fields.

**Why it matters:** deleting one parent row makes PostgreSQL find every child row through the foreign key. Without
an index that is a full scan of the child table for each deleted parent, run while the delete holds its locks:
deleting a user with a million comments table becomes a sequential scan per user, and bulk deletes get quadratic.

**How to fix:** index the relation's fields:
\`\`\`prisma
model Comment {
  postId Int
  post   Post @relation(fields: [postId], references: [id], onDelete: Cascade)

  @@index([postId])
}
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const schema of postgresSchemas(ctx)) {
      for (const m of schema.models.values()) {
        for (const fk of foreignKeys(schema, m)) {
          const rel = attr(fk.relation, 'relation')!;
          const action = argValue(rel, 'onDelete');
          if (typeof action !== 'string' || !['Cascade', 'SetNull', 'SetDefault'].includes(action)) continue;
          if (isIndexed(m, fk.fields, ctx.sql)) continue;
          const range = argRange(m.file, rel, 'onDelete') ?? fk.relation.nameRange;
          out.push(
            finding(rule, m.file.path, range,
              `Deleting a ${fk.relation.type} runs onDelete: ${action} on ${m.model.name}.${fk.fields.join(', ')}, which has no index: each delete scans the whole ${m.model.name} table while holding its locks.`,
              { fixes: [addIndexFix(m.file, m.model, fk.fields)] }),
          );
        }
      }
    }
    return out;
  },
};
