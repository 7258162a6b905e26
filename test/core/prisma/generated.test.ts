// Prisma-generated migration.sql stays quiet about what only schema.prisma can fix; schema.prisma gets the
// finding with a Prisma-native fix (@db.Timestamptz(3), BigInt ids).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../lint/lint-helpers';
import { lintFiles, only, schema, slice } from './helpers';

const SCHEMA = schema(`model Post {
  id        Int       @id @default(autoincrement())
  createdAt DateTime  @default(now())
  editedAt  DateTime? @db.Timestamp(6)
  dueOn     DateTime  @db.Date
  seenAt    DateTime  @db.Timestamptz(3)
  comments  Comment[]
}

model Comment {
  id     BigInt @id @default(autoincrement())
  postId Int
  post   Post   @relation(fields: [postId], references: [id])

  @@index([postId])
}
`);

// What Prisma Migrate writes for that schema (abridged).
const GENERATED = `CREATE TABLE "Post" ("id" SERIAL NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "editedAt" TIMESTAMP(6), "dueOn" DATE NOT NULL, "seenAt" TIMESTAMPTZ(3) NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Comment" ("id" BIGSERIAL NOT NULL, "postId" INTEGER NOT NULL, CONSTRAINT "Comment_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Comment_postId_idx" ON "Comment"("postId");
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;
const MIGRATION = 'prisma/migrations/20250101000000_init/migration.sql';

test('the generated migration.sql is quiet about what only schema.prisma can fix; schema.prisma reports it', async () => {
  const { findings } = await lintFiles({ 'prisma/schema.prisma': SCHEMA, [MIGRATION]: GENERATED });
  const onMigration = findings.filter((f) => f.file.endsWith('migration.sql')).map((f) => f.rule);
  for (const rule of ['prefer-timestamptz', 'prefer-identity', 'prefer-bigint-id', 'rls-disabled']) {
    assert.ok(!onMigration.includes(rule), `${rule} on the generated file: ${onMigration.join(', ')}`);
  }
  assert.deepEqual(only(findings, 'prisma-datetime-without-timezone').map((f) => slice(SCHEMA, f.range)), ['DateTime', 'DateTime']);
  assert.deepEqual(only(findings, 'prisma-int-id').map((f) => slice(SCHEMA, f.range)), ['Int']);
  assert.ok(only(findings, 'prisma-rls-missing').length > 0, 'RLS is reported on the models instead');

  // The same SQL outside a Prisma migrations folder is the user's own: the SQL rules speak there.
  const own = await lintFiles({ 'prisma/schema.prisma': SCHEMA, 'db/migrations/001_init.sql': GENERATED });
  const rules = new Set(own.findings.filter((f) => f.file.endsWith('001_init.sql')).map((f) => f.rule));
  assert.ok(rules.has('prefer-timestamptz') && rules.has('prefer-identity'), [...rules].join(', '));
});

test('Prisma-native fixes: @db.Timestamptz(3) added or @db.Timestamp turned into @db.Timestamptz; BigInt for the id and its references', async () => {
  const { findings } = await lintFiles({ 'prisma/schema.prisma': SCHEMA, [MIGRATION]: GENERATED });
  const [created, edited] = only(findings, 'prisma-datetime-without-timezone');
  const text = (f: typeof created) => applyEdits(SCHEMA, f!.fixes[0]!.edits[0]!.edits);
  assert.match(text(created), /createdAt DateTime @db.Timestamptz\(3\) +@default\(now\(\)\)/);
  assert.match(text(edited), /editedAt  DateTime\? @db.Timestamptz\(6\)/);
  const [id] = only(findings, 'prisma-int-id');
  assert.equal(id!.fixes[0]!.title, 'Change Post.id to BigInt (and 1 field referencing it)');
  const fixed = applyEdits(SCHEMA, id!.fixes[0]!.edits[0]!.edits);
  assert.match(fixed, /id        BigInt       @id @default\(autoincrement\(\)\)|id        BigInt/);
  assert.match(fixed, /postId BigInt\n/);
  const after = await lintFiles({ 'prisma/schema.prisma': fixed, [MIGRATION]: GENERATED });
  assert.deepEqual(only(after.findings, 'prisma-int-id'), []);
});
