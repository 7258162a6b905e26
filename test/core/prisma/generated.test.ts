// Prisma-generated migration.sql stays quiet about what only schema.prisma can fix; schema.prisma gets the
// finding with a Prisma-native fix (@db.Timestamptz(3), BigInt ids, an explicit relation model, a new migration).
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

// An implicit many-to-many as Prisma before 6 wrote it: the join table has a unique index, no primary key.
const M2M = schema(`model Post {
  id   String @id @db.Uuid
  tags Tag[]
}

model Tag {
  id    BigInt @id @default(autoincrement())
  posts Post[]
}
`);
const M2M_SQL = `CREATE TABLE "Post" ("id" UUID NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Tag" ("id" BIGSERIAL NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));
CREATE TABLE "_PostToTag" ("A" UUID NOT NULL, "B" BIGINT NOT NULL);
CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag"("A", "B");
CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Post" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Tag" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "_PostToTag" ENABLE ROW LEVEL SECURITY;
`;

test('implicit many-to-many without a primary key: reported on the relation field with an explicit relation model; migration.sql stays quiet', async () => {
  const { findings } = await lintFiles({ 'prisma/schema.prisma': M2M, [MIGRATION]: M2M_SQL });
  assert.deepEqual(findings.filter((f) => f.file.endsWith('migration.sql')).map((f) => `${f.rule}: ${f.message}`), []);
  const [m2m, ...rest] = only(findings, 'prisma-implicit-many-to-many');
  assert.equal(rest.length, 0);
  assert.equal(slice(M2M, m2m!.range), 'tags');
  assert.match(m2m!.message, /Post\.tags ↔ Tag\.posts is stored in "_PostToTag", which has no primary key/);
  const fix = m2m!.fixes[0]!;
  assert.equal(fix.title, 'Declare the relation model PostToTag (same table _PostToTag, with @@id)');
  const fixed = applyEdits(M2M, fix.edits[0]!.edits);
  assert.match(fixed, /  tags PostToTag\[\]\n/);
  assert.match(fixed, /  posts PostToTag\[\]\n/);
  assert.ok(fixed.endsWith(`  posts PostToTag[]
}

/// The table Prisma made for Post.tags ↔ Tag.posts, as a model of its own.
model PostToTag {
  post   Post   @relation(fields: [postId], references: [id], onDelete: Cascade)
  postId String @map("A") @db.Uuid
  tag    Tag    @relation(fields: [tagId], references: [id], onDelete: Cascade)
  tagId  BigInt @map("B")

  @@id([postId, tagId], map: "_PostToTag_AB_pkey")
  @@index([tagId], map: "_PostToTag_B_index")
  @@map("_PostToTag")
}
`), fixed);
  // The fixed schema parses, and nothing about the relation is left: the model has its @@id and its indexes.
  const after = await lintFiles({ 'prisma/schema.prisma': fixed, [MIGRATION]: M2M_SQL });
  // Left: the policies no migration gives (RLS is on everywhere), now on the model PostToTag instead of Post.tags.
  assert.deepEqual(after.findings.filter((f) => f.file.endsWith('schema.prisma')).map((f) => `${f.rule} ${slice(fixed, f.range)}`),
    ['prisma-rls-without-policy Post', 'prisma-rls-without-policy Tag', 'prisma-rls-without-policy PostToTag']);
  assert.deepEqual(only(after.findings, 'prisma-implicit-many-to-many'), []);
  assert.deepEqual(only(after.findings, 'prisma-parse-error'), []);
  assert.deepEqual(only(after.findings, 'prisma-missing-id'), []);
  assert.deepEqual(only(after.findings, 'prisma-unindexed-relation'), []);

  // Prisma 6 and later give the implicit table a primary key: nothing to report.
  const v6 = M2M_SQL.replace('"B" BIGINT NOT NULL)', '"B" BIGINT NOT NULL, CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A","B"))').replace(/CREATE UNIQUE INDEX[^\n]*\n/, '');
  assert.deepEqual(only((await lintFiles({ 'prisma/schema.prisma': M2M, [MIGRATION]: v6 })).findings, 'prisma-implicit-many-to-many'), []);
  // A named relation gets the finding without the fix (the relation model would need the name on both sides).
  const named = M2M.replace('tags Tag[]', 'tags Tag[] @relation("Tagging")').replace('posts Post[]', 'posts Post[] @relation("Tagging")');
  const namedSql = M2M_SQL.replaceAll('_PostToTag', '_Tagging');
  const [n] = only((await lintFiles({ 'prisma/schema.prisma': named, [MIGRATION]: namedSql })).findings, 'prisma-implicit-many-to-many');
  assert.deepEqual(n?.fixes, []);
});

test('rls-without-policy on Prisma migrations is reported on the model (and the implicit relation field), with a policy migration', async () => {
  const { findings } = await lintFiles({ 'prisma/schema.prisma': M2M, [MIGRATION]: M2M_SQL });
  assert.deepEqual(only(findings, 'rls-without-policy'), []);
  const got = only(findings, 'prisma-rls-without-policy');
  assert.deepEqual(got.map((f) => slice(M2M, f.range)).sort(), ['Post', 'Tag', 'tags']);
  assert.ok(got.every((f) => f.severity === 'info'));
  const post = got.find((f) => slice(M2M, f.range) === 'Post')!;
  assert.equal(post.related?.[0]?.file, `/ws/${MIGRATION}`);
  const fix = post.fixes[0]!;
  assert.equal(fix.title, 'Create policy migration for "Post" (20250601120000_policies_post)');
  const created = fix.create![0]!;
  assert.equal(created.file, '/ws/prisma/migrations/20250601120000_policies_post/migration.sql');
  assert.doesNotMatch(created.content, /enable row level security;/);
  assert.match(created.content, /create policy "TODO access rule for Post" on "Post"/);
  // The new migration gives the table a policy: the finding goes, and the SQL parses.
  const after = await lintFiles({ 'prisma/schema.prisma': M2M, [MIGRATION]: M2M_SQL, [created.file]: created.content });
  assert.deepEqual(only(after.findings, 'prisma-rls-without-policy').map((f) => slice(M2M, f.range)).sort(), ['Tag', 'tags']);
  assert.deepEqual(only(after.findings, 'syntax-error'), []);
});

test('a policy column without an index in a Prisma folder: @@index on the field, not an index only SQL creates', async () => {
  const text = schema(`model User {
  id    String @id @db.Uuid
  notes Note[]
}

model Note {
  id       Int    @id
  ownerId  String @map("owner_id") @db.Uuid
  authorId String @map("author_id") @db.Uuid
  author   User   @relation(fields: [authorId], references: [id])
}
`);
  const sql = `CREATE TABLE "User" ("id" UUID NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Note" ("id" INTEGER NOT NULL, "owner_id" UUID NOT NULL, "author_id" UUID NOT NULL, CONSTRAINT "Note_pkey" PRIMARY KEY ("id"));
`;
  const rls = `alter table "Note" enable row level security;
create policy "Owners and authors read notes" on "Note" for select to authenticated
  using ((select auth.uid()) = owner_id or (select auth.uid()) = author_id);
`;
  const files = { 'prisma/schema.prisma': text, [MIGRATION]: sql, 'prisma/migrations/20250102000000_rls/migration.sql': rls };
  const { findings } = await lintFiles(files);
  assert.deepEqual(only(findings, 'policy-column-unindexed'), [], 'its SQL fix would be dropped by the next migrate dev');
  const [f, ...rest] = only(findings, 'prisma-policy-column-unindexed');
  assert.equal(rest.length, 0, 'author_id is a relation scalar: prisma-unindexed-relation reports it');
  assert.equal(slice(text, f!.range), 'ownerId');
  assert.match(f!.message, /^Policy "Owners and authors read notes" filters "Note" on "owner_id" \(Note\.ownerId\), which has no index/);
  assert.equal(f!.fixes[0]!.title, 'Add @@index([ownerId]) to Note');
  assert.ok(only(findings, 'prisma-unindexed-relation').some((x) => slice(text, x.range) === 'authorId'));
  const fixed = applyEdits(text, f!.fixes[0]!.edits[0]!.edits);
  assert.deepEqual(only((await lintFiles({ ...files, 'prisma/schema.prisma': fixed })).findings, 'prisma-policy-column-unindexed'), []);
});
