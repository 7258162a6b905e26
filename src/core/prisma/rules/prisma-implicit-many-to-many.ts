import { finding } from '../../findings/types';
import type { Finding } from '../../findings/types';
import { sqlName } from '../../schema/names';
import { explicitRelationFix } from '../relationModel';
import { postgresSchemas, type PrismaRule } from '../rule';

export const rule: PrismaRule = {
  id: 'prisma-implicit-many-to-many',
  severity: 'warning',
  category: 'prisma',
  summary: 'An implicit many-to-many table without a primary key: declare the relation model',
  docs: `## prisma-implicit-many-to-many

**What it finds:** an implicit many-to-many relation (\`tags Tag[]\` ↔ \`posts Post[]\`) whose join table
(\`_PostToTag\`), as the migrations create it, has no primary key — Prisma before version 6 made \`("A", "B")\` a
unique index instead. The SQL rules' \`no-primary-key\` (and the other findings on that table: its 32-bit
\`"A"\`/\`"B"\` columns, its row level security) stay quiet on Prisma's \`migration.sql\`, which you cannot edit.

**Why it matters:** without a primary key, logical replication (Supabase Realtime, read replicas) cannot
replicate deletes of links, and row-level tools cannot address one. \`schema.prisma\` has no words for the
implicit table, so it cannot be changed there — unless the relation becomes a model.

**How to fix:** declare an explicit relation model mapped to the same table and columns, with \`@@id\`:
\`\`\`prisma
model PostToTag {
  post   Post @relation(fields: [postId], references: [id], onDelete: Cascade)
  postId Int  @map("A")
  tag    Tag  @relation(fields: [tagId], references: [id], onDelete: Cascade)
  tagId  Int  @map("B")

  @@id([postId, tagId], map: "_PostToTag_AB_pkey")
  @@index([tagId], map: "_PostToTag_B_index")
  @@map("_PostToTag")
}
\`\`\`
and point both list fields at it (\`tags PostToTag[]\`, \`posts PostToTag[]\`). The quick fix does both; then run
\`prisma migrate dev\`: since table, columns and constraint names stay, the migration only turns the unique index
into the primary key, and no link is lost. Code that read \`post.tags\` now reads \`post.tags.map((t) => t.tag)\`.
Upgrading to Prisma 6 makes the same primary key for the implicit table, if you would rather keep it implicit.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const schema of postgresSchemas(ctx)) {
      for (const j of schema.joinTables) {
        const t = ctx.sql.tables.get(j.table.key);
        if (!t || t.constraints.some((c) => c.kind === 'primary')) continue;
        const fix = explicitRelationFix(schema, j);
        out.push(finding(rule, j.a.model.file.path, j.a.field.nameRange,
          `The implicit many-to-many ${j.a.model.model.name}.${j.a.field.name} ↔ ${j.b.model.model.name}.${j.b.field.name} is stored in ${sqlName(t.key)}, which has no primary key (Prisma before 6 wrote a unique index): replication cannot identify its rows, and schema.prisma cannot change the table. Declare an explicit relation model with @@id.`,
          { fixes: fix ? [fix] : [], related: [{ file: t.origin.file, range: t.origin.range, message: `${sqlName(t.key)} is created here` }] }));
      }
    }
    return out;
  },
};
