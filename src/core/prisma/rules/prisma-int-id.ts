import { finding } from '../../findings/types';
import type { Finding, TextEdit } from '../../findings/types';
import { postgresSchemas, type PrismaRule } from '../rule';
import { argValue, names } from '../parse';

export const rule: PrismaRule = {
  id: 'prisma-int-id',
  severity: 'warning',
  category: 'prisma',
  summary: 'Int @id @default(autoincrement()): a 32-bit key that can run out',
  docs: `## prisma-int-id

**What it finds:** an \`Int @id @default(autoincrement())\` on PostgreSQL: Prisma Migrate creates a \`serial\`
(32-bit) key. The SQL counterpart is \`prefer-bigint-id\`, which stays quiet on Prisma's generated migration.sql.

**Why it matters:** a 32-bit sequence ends at 2,147,483,647. Busy tables get there, and widening a primary key
later rewrites the table and every referencing one under an exclusive lock.

**How to fix:** use \`BigInt\` for the id and for every field that references it:
\`\`\`prisma
model Post {
  id Int @id @default(autoincrement())     // before
  id BigInt @id @default(autoincrement())  // after
}
\`\`\`
The quick fix changes the id and the relation scalar fields that reference it in one edit.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const schema of postgresSchemas(ctx)) {
      const models = [...schema.models.values()];
      for (const m of models) {
        const id = m.model.fields.find((f) => f.type === 'Int' && f.attributes.some((a) => a.name === 'id' && !a.group)
          && f.attributes.some((a) => a.name === 'default' && !a.group && /autoincrement/.test(JSON.stringify(a.args))));
        if (!id) continue;
        // Scalar fields elsewhere that reference this id through @relation(fields: [...], references: [id]).
        const edits = new Map<string, TextEdit[]>([[m.file.path, [{ range: id.typeRange, newText: 'BigInt' }]]]);
        for (const other of models) {
          for (const rel of other.model.fields.filter((f) => f.type === m.model.name)) {
            const attr = rel.attributes.find((a) => a.name === 'relation' && !a.group);
            const refs = attr ? names(argValue(attr, 'references')) : [];
            const fields = attr ? names(argValue(attr, 'fields')) : [];
            refs.forEach((r, i) => {
              const scalar = r === id.name ? other.model.fields.find((f) => f.name === fields[i] && f.type === 'Int') : undefined;
              if (scalar) edits.set(other.file.path, [...(edits.get(other.file.path) ?? []), { range: scalar.typeRange, newText: 'BigInt' }]);
            });
          }
        }
        const changed = [...edits.values()].flat().length - 1;
        out.push(finding(rule, m.file.path, id.typeRange,
          `${m.model.name}.${id.name} is an Int id: PostgreSQL stores it as a 32-bit serial that runs out at 2,147,483,647. Use BigInt.`,
          { fixes: [{
            title: `Change ${m.model.name}.${id.name} to BigInt${changed ? ` (and ${changed} field${changed === 1 ? '' : 's'} referencing it)` : ''}`,
            edits: [...edits].map(([file, e]) => ({ file, edits: e })),
            isPreferred: true,
          }] }));
      }
    }
    return out;
  },
};
