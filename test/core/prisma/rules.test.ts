import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../lint/lint-helpers';
import { allRuleIds, ruleMeta } from '../../../src/core/analysis';
import { ruleDocsMarkdown } from '../../../src/core/editing/ruleDocs';
import { lintFiles, only, schema, slice } from './helpers';

const BLOG = schema(`model User {
  id    String @id @db.Uuid
  posts Post[]
}

model Post {
  id       Int    @id
  title    String
  authorId String @db.Uuid
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
}
`);

const INIT = `create table "User" (id uuid primary key);
create table "Post" (id int primary key, title text not null, "authorId" uuid not null references "User"(id) on delete cascade);
`;

test('prisma-rls-missing: fires on the model name when no migration enables RLS, with a migration fix', async () => {
  const { findings } = await lintFiles({ 'prisma/schema.prisma': BLOG, 'prisma/migrations/20250101000000_init/migration.sql': INIT });
  const rls = only(findings, 'prisma-rls-missing');
  assert.deepEqual(rls.map((f) => slice(BLOG, f.range)), ['User', 'Post']);
  const post = rls[1]!;
  assert.equal(post.file, '/ws/prisma/schema.prisma');
  assert.match(post.message, /table "Post"/);
  assert.equal(post.related?.[0]?.file, '/ws/prisma/migrations/20250101000000_init/migration.sql');
  const fix = post.fixes[0]!;
  assert.equal(fix.create?.[0]?.file, '/ws/prisma/migrations/20250601120000_enable_rls_post/migration.sql');
  assert.equal(
    fix.create?.[0]?.content,
    `-- Row level security for Prisma model Post (table "Post").
-- Prisma connects as the table owner and bypasses RLS; these policies guard the Supabase API (anon / authenticated).
alter table "Post" enable row level security;

-- Starter policy: each signed-in user manages the rows whose "authorId" is their user id. Edit before shipping.
create policy "Owners manage their Post" on "Post"
  for all to authenticated
  using ((select auth.uid()) = "authorId")
  with check ((select auth.uid()) = "authorId");
`,
  );
});

test('prisma-rls-missing: applying the RLS migration silences it (the SQL model sees the new file)', async () => {
  const first = await lintFiles({ 'prisma/schema.prisma': BLOG, 'prisma/migrations/20250101000000_init/migration.sql': INIT });
  const create = only(first.findings, 'prisma-rls-missing').flatMap((f) => f.fixes[0]!.create!);
  const files: Record<string, string> = { 'prisma/schema.prisma': BLOG, 'prisma/migrations/20250101000000_init/migration.sql': INIT };
  for (const c of create) files[c.file] = c.content;
  const { findings } = await lintFiles(files);
  assert.deepEqual(only(findings, 'prisma-rls-missing'), []);
  assert.deepEqual(only(findings, 'syntax-error'), [], 'the generated SQL parses');
});

test('prisma-rls-missing: @@map names, non-exposed schemas, other providers and TODO policies', async () => {
  const text = schema(`model Account {
  id      Int    @id
  ownerId Int    @map("owner_id")
  @@map("accounts")
}
model Secret {
  id Int @id
  @@schema("private")
}
`);
  const sql = 'create table accounts (id int primary key, owner_id int);\nalter table accounts enable row level security;\n';
  const quiet = await lintFiles({ 'prisma/schema.prisma': text, 'prisma/migrations/20250101000000_init/migration.sql': sql });
  assert.deepEqual(only(quiet.findings, 'prisma-rls-missing'), [], '@@map("accounts") has RLS; "private" is not exposed');
  const open = await lintFiles({ 'prisma/schema.prisma': text });
  const [f] = only(open.findings, 'prisma-rls-missing');
  assert.match(f!.message, /table accounts .* no migration creates it/);
  const sqlText = f!.fixes[0]!.create![0]!.content;
  assert.match(sqlText, /alter table accounts enable row level security;/);
  assert.match(sqlText, /-- TODO: owner_id is Int, not the Supabase user id/);
  assert.match(sqlText, /using \(false\)/);
  // No existing migrations: the folder goes next to the datasource file.
  assert.equal(f!.fixes[0]!.create![0]!.file, '/ws/prisma/migrations/20250601120000_enable_rls_accounts/migration.sql');
  const mysql = await lintFiles({ 'prisma/schema.prisma': text.replace('"postgresql"', '"mysql"') });
  assert.deepEqual(only(mysql.findings, 'prisma-rls-missing'), [], 'MySQL has no RLS');
  const custom = await lintFiles({ 'prisma/schema.prisma': text }, { exposedSchemas: ['private'] });
  assert.deepEqual(only(custom.findings, 'prisma-rls-missing').map((x) => slice(text, x.range)), ['Secret']);
});

test('prisma-rls-missing: implicit many-to-many join table, on the relation field; a later timestamp wins', async () => {
  const text = schema(`model Post {
  id   Int   @id
  tags Tag[]
}
model Tag {
  id    Int    @id
  posts Post[]
}
`);
  const sql = `create table "Post" (id int primary key);\ncreate table "Tag" (id int primary key);\ncreate table "_PostToTag" ("A" int, "B" int);\nalter table "Post" enable row level security;\nalter table "Tag" enable row level security;\n`;
  const { findings } = await lintFiles({ 'prisma/schema.prisma': text, 'prisma/migrations/20990101000000_init/migration.sql': sql });
  const [f, ...rest] = only(findings, 'prisma-rls-missing');
  assert.equal(rest.length, 0);
  assert.equal(slice(text, f!.range), 'tags');
  assert.match(f!.message, /"_PostToTag"/);
  assert.equal(f!.fixes[0]!.create![0]!.file, '/ws/prisma/migrations/20990101000001_enable_rls_posttotag/migration.sql');
  assert.match(f!.fixes[0]!.create![0]!.content, /alter table "_PostToTag" enable row level security;/);
});

test('prisma-unindexed-relation: fires on the scalar field; quick fix inserts @@index before the brace; then quiet', async () => {
  const { findings } = await lintFiles({ 'prisma/schema.prisma': BLOG });
  const [f, ...rest] = only(findings, 'prisma-unindexed-relation');
  assert.equal(rest.length, 0);
  assert.equal(slice(BLOG, f!.range), 'authorId');
  assert.equal(f!.range.start.line, 13);
  const fix = f!.fixes[0]!;
  assert.equal(fix.title, 'Add @@index([authorId]) to Post');
  const fixed = applyEdits(BLOG, fix.edits[0]!.edits);
  assert.ok(fixed.endsWith(`  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)\n\n  @@index([authorId])\n}\n`), fixed);
  const after = await lintFiles({ 'prisma/schema.prisma': fixed });
  assert.deepEqual(only(after.findings, 'prisma-unindexed-relation'), []);
  assert.deepEqual(only(after.findings, 'prisma-cascade-delete-unindexed'), []);
});

test('prisma-unindexed-relation: quiet for @unique, @@unique/@@id/@@index leading with the fields, and SQL indexes', async () => {
  const model = (extra: string, fk = 'userId Int') => schema(`model User {\n  id Int @id\n}\nmodel Thing {\n  id Int @id\n  ${fk}\n  user User @relation(fields: [userId], references: [id])\n${extra}}\n`);
  for (const extra of ['  @@index([userId])\n', '  @@index([userId, id])\n', '  @@unique([userId, id])\n', '  @@index(fields: [userId(sort: Desc)])\n']) {
    const { findings } = await lintFiles({ 'schema.prisma': model(extra) });
    assert.deepEqual(only(findings, 'prisma-unindexed-relation'), [], extra);
  }
  const unique = await lintFiles({ 'schema.prisma': model('', 'userId Int @unique') });
  assert.deepEqual(only(unique.findings, 'prisma-unindexed-relation'), []);
  const second = await lintFiles({ 'schema.prisma': model('  @@index([id, userId])\n') });
  assert.equal(only(second.findings, 'prisma-unindexed-relation').length, 1, 'an index not leading with userId does not help');
  const sqlIndex = await lintFiles({ 'schema.prisma': model(''), 'migrations/001.sql': 'create table "Thing" (id int primary key, "userId" int);\ncreate index on "Thing" ("userId");\n' });
  assert.deepEqual(only(sqlIndex.findings, 'prisma-unindexed-relation'), [], 'an index written in migration SQL counts');
});

test('addIndexEdit: keeps the indentation and adds no extra blank line after other block attributes', async () => {
  const text = schema(`model User {\n    id Int @id\n}\nmodel Thing {\n    id     Int  @id\n    userId Int\n    user   User @relation(fields: [userId], references: [id])\n\n    @@map("things")\n}\n`);
  const [f] = only((await lintFiles({ 'schema.prisma': text })).findings, 'prisma-unindexed-relation');
  const fixed = applyEdits(text, f!.fixes[0]!.edits[0]!.edits);
  assert.ok(fixed.endsWith(`\n    @@map("things")\n    @@index([userId])\n}\n`), fixed);
});

test('prisma-cascade-delete-unindexed: on the onDelete argument; quiet without cascade or with an index', async () => {
  const { findings } = await lintFiles({ 'prisma/schema.prisma': BLOG });
  const [f] = only(findings, 'prisma-cascade-delete-unindexed');
  assert.equal(slice(BLOG, f!.range), 'onDelete: Cascade');
  assert.match(f!.message, /Deleting a User runs onDelete: Cascade on Post\.authorId/);
  const noCascade = await lintFiles({ 'prisma/schema.prisma': BLOG.replace(', onDelete: Cascade', ', onDelete: Restrict') });
  assert.deepEqual(only(noCascade.findings, 'prisma-cascade-delete-unindexed'), []);
  assert.equal(only(noCascade.findings, 'prisma-unindexed-relation').length, 1);
});

test('prisma-missing-id: fires without @id/@@id; quiet with either, for views and @@ignore', async () => {
  const text = schema(`model Log {\n  key String @unique\n}\nmodel Pair {\n  a Int\n  b Int\n  @@id([a, b])\n}\nmodel Legacy {\n  x Int @unique\n  @@ignore\n}\nview Stats {\n  n Int @unique\n}\n`);
  const [f, ...rest] = only((await lintFiles({ 'schema.prisma': text })).findings, 'prisma-missing-id');
  assert.equal(rest.length, 0);
  assert.equal(slice(text, f!.range), 'Log');
  assert.match(f!.message, /@unique key/);
});

test('prisma-float-money: money names as Float; fix changes the type and keeps ? ; other names quiet', async () => {
  const text = schema(`model Order {\n  id         Int    @id\n  total      Float\n  unitPrice  Float? @default(0)\n  tax_amount Float  @db.DoublePrecision\n  latitude   Float\n  totalCents Int\n}\n`);
  const fs = only((await lintFiles({ 'schema.prisma': text })).findings, 'prisma-float-money');
  assert.deepEqual(fs.map((f) => slice(text, f.range)), ['Float', 'Float', 'Float']);
  assert.deepEqual(fs.map((f) => f.range.start.line), [7, 8, 9]);
  const one = (i: number) => applyEdits(text, fs[i]!.fixes[0]!.edits[0]!.edits).split('\n')[7 + i];
  assert.equal(one(0), '  total      Decimal @db.Decimal(12, 2)');
  assert.equal(one(1), '  unitPrice  Decimal? @db.Decimal(12, 2) @default(0)');
  assert.equal(one(2), '  tax_amount Decimal  @db.DoublePrecision', 'an existing native type is kept (the user picks the precision)');
});

test('suppression: // dbe-ignore above a field or a model, // dbe-ignore-file, and config severities', async () => {
  const base = await lintFiles({ 'prisma/schema.prisma': BLOG });
  assert.ok(only(base.findings, 'prisma-unindexed-relation').length === 1);
  const field = BLOG.replace('  authorId String', '  // dbe-ignore prisma-unindexed-relation\n  authorId String');
  let r = await lintFiles({ 'prisma/schema.prisma': field });
  assert.deepEqual(only(r.findings, 'prisma-unindexed-relation'), []);
  assert.equal(only(r.findings, 'prisma-cascade-delete-unindexed').length, 1, 'only the named rule is silenced');
  const model = BLOG.replace('model Post {', '// dbe-ignore prisma-unindexed-relation, prisma-rls-missing\n/// Blog posts.\nmodel Post {');
  r = await lintFiles({ 'prisma/schema.prisma': model });
  assert.deepEqual(only(r.findings, 'prisma-unindexed-relation'), []);
  assert.deepEqual(only(r.findings, 'prisma-rls-missing').map((f) => slice(model, f.range)), ['User']);
  const all = `// dbe-ignore-file prisma-rls-missing\n${BLOG}`;
  r = await lintFiles({ 'prisma/schema.prisma': all });
  assert.deepEqual(only(r.findings, 'prisma-rls-missing'), []);
  r = await lintFiles({ 'prisma/schema.prisma': BLOG }, { rules: { 'prisma-unindexed-relation': 'off', 'prisma-rls-missing': 'error' } });
  assert.deepEqual(only(r.findings, 'prisma-unindexed-relation'), []);
  assert.ok(only(r.findings, 'prisma-rls-missing').every((f) => f.severity === 'error'));
});

test('a .prisma file that does not parse gives one prisma-parse-error; the rest of the workspace is still checked', async () => {
  const { findings } = await lintFiles({ 'a/schema.prisma': 'model A {\n  id Int @id\n  = oops\n}\n', 'b/schema.prisma': BLOG });
  assert.equal(only(findings, 'prisma-parse-error').length, 1);
  assert.equal(only(findings, 'prisma-parse-error')[0]!.file, '/ws/a/schema.prisma');
  assert.equal(only(findings, 'prisma-unindexed-relation').length, 1);
});

test('the Analyzer re-lints a changed .prisma file and forgets a removed one', async () => {
  const { analyzer } = await lintFiles({ 'prisma/schema.prisma': BLOG });
  assert.equal(analyzer.setFile('/ws/prisma/schema.prisma', BLOG), false, 'same text: nothing redone');
  assert.equal(analyzer.findingsFor('/ws/prisma/schema.prisma').filter((f) => f.rule === 'prisma-unindexed-relation').length, 1);
  analyzer.setFile('/ws/prisma/schema.prisma', BLOG.replace('onDelete: Cascade)\n', 'onDelete: Cascade)\n\n  @@index([authorId])\n'));
  assert.equal(analyzer.findingsFor('/ws/prisma/schema.prisma').filter((f) => f.rule === 'prisma-unindexed-relation').length, 0);
  assert.ok(analyzer.paths().includes('/ws/prisma/schema.prisma'));
  analyzer.removeFile('/ws/prisma/schema.prisma');
  assert.deepEqual(analyzer.findings(), []);
});

test('rule docs: every Prisma rule has an id, category prisma, docs with a heading, and // suppression help', () => {
  const ids = allRuleIds.filter((id) => id.startsWith('prisma-'));
  assert.deepEqual(ids, ['prisma-parse-error', 'prisma-rls-missing', 'prisma-unindexed-relation', 'prisma-cascade-delete-unindexed', 'prisma-missing-id', 'prisma-float-money', 'prisma-datetime-without-timezone', 'prisma-int-id', 'prisma-rls-without-policy', 'prisma-implicit-many-to-many', 'prisma-policy-column-unindexed']);
  for (const id of ids) {
    const m = ruleMeta(id)!;
    assert.equal(m.category, 'prisma');
    assert.ok(m.docs.startsWith(`## ${id}`), id);
    assert.match(ruleDocsMarkdown(id)!, new RegExp(`// dbe-ignore ${id}`));
  }
});

test('relation index rules are PostgreSQL-only (MySQL indexes foreign keys itself)', async () => {
  const { findings } = await lintFiles({ 'prisma/schema.prisma': BLOG.replace('"postgresql"', '"mysql"') });
  assert.deepEqual(findings.filter((f) => /unindexed/.test(f.rule)), []);
});
