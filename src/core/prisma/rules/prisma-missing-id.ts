import { finding } from '../../findings/types';
import type { Finding } from '../../findings/types';
import { attr } from '../parse';
import { isIgnored } from '../indexes';
import type { PrismaRule } from '../rule';

export const rule: PrismaRule = {
  id: 'prisma-missing-id',
  severity: 'warning',
  category: 'prisma',
  summary: 'Model without @id or @@id (no primary key)',
  docs: `## prisma-missing-id

**What it finds:** a model with neither an \`@id\` field nor an \`@@id([...])\`. Prisma accepts a \`@unique\`
field as the identifier instead, but then the table has no primary key.

**Why it matters:** without a primary key, PostgreSQL logical replication (and so Supabase Realtime) cannot
replicate updates and deletes, tools that edit rows cannot address one row, and duplicates can creep in.

**How to fix:** mark the identifying field \`@id\` (or declare a composite \`@@id([a, b])\`):
\`\`\`prisma
model Setting {
  key   String @id
  value String
}
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const schema of ctx.schemas) {
      for (const m of schema.models.values()) {
        if (m.model.kind !== 'model' || isIgnored(m.model)) continue;
        if (m.model.fields.some((f) => attr(f, 'id')) || attr(m.model, 'id')) continue;
        const unique = m.model.fields.find((f) => attr(f, 'unique'))?.name;
        out.push(
          finding(rule, m.file.path, m.model.nameRange,
            `Model ${m.model.name} has no @id or @@id${unique ? ` (Prisma uses @unique ${unique} instead)` : ''}: its table has no primary key, so replication of updates and deletes (Supabase Realtime) and row-level tooling cannot identify rows.`),
        );
      }
    }
    return out;
  },
};
