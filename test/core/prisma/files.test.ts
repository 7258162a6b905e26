import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findPrismaSchemaFiles, prismaMigrationFolders } from '../../../src/core/prisma';
import { lintFiles, only, DATASOURCE } from './helpers';
import { ensurePrismaParser } from '../../../src/core/prisma';

before(() => ensurePrismaParser());

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dbe-prisma-files-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

test('findPrismaSchemaFiles: project folder, the prisma/ folder itself, and multi-file prisma/schema/**', () => {
  const root = tree({
    'prisma/schema/main.prisma': DATASOURCE,
    'prisma/schema/blog/post.prisma': 'model Post {\n  id Int @id\n}\n',
    'prisma/migrations/20250101000000_init/migration.sql': 'create table "Post" (id int primary key);\n',
    'node_modules/.prisma/client/schema.prisma': DATASOURCE,
    'other/schema.prisma': DATASOURCE,
  });
  const rel = (l: string[]) => l.map((p) => p.slice(root.length + 1));
  assert.deepEqual(rel(findPrismaSchemaFiles(root)), ['prisma/schema/blog/post.prisma', 'prisma/schema/main.prisma']);
  assert.deepEqual(rel(findPrismaSchemaFiles(join(root, 'prisma'))), ['prisma/schema/blog/post.prisma', 'prisma/schema/main.prisma']);
  assert.deepEqual(rel(prismaMigrationFolders(findPrismaSchemaFiles(root))), ['prisma/migrations']);
  const single = tree({ 'prisma/schema.prisma': DATASOURCE, 'schema.prisma': DATASOURCE });
  assert.deepEqual(findPrismaSchemaFiles(single).map((p) => p.slice(single.length + 1)), ['prisma/schema.prisma', 'schema.prisma']);
  assert.deepEqual(findPrismaSchemaFiles(join(single, 'prisma')).map((p) => p.slice(single.length + 1)), ['prisma/schema.prisma']);
});

test('multi-file schema: a relation across files is checked, and the RLS migration goes into the existing prisma/migrations', async () => {
  const { findings } = await lintFiles({
    '/p/prisma/schema/main.prisma': DATASOURCE,
    '/p/prisma/schema/user.prisma': 'model User {\n  id    String @id @db.Uuid\n  posts Post[]\n}\n',
    '/p/prisma/schema/post.prisma': 'model Post {\n  id      Int    @id\n  ownerId String @map("owner_id")\n  owner   User   @relation(fields: [ownerId], references: [id])\n}\n',
    '/p/prisma/migrations/20250101000000_init/migration.sql': 'create table "User" (id uuid primary key);\nalter table "User" enable row level security;\ncreate table "Post" (id int primary key, owner_id text);\n',
  });
  const [idx] = only(findings, 'prisma-unindexed-relation');
  assert.equal(idx!.file, '/p/prisma/schema/post.prisma');
  const [rls, ...rest] = only(findings, 'prisma-rls-missing');
  assert.equal(rest.length, 0, 'User has RLS');
  assert.equal(rls!.file, '/p/prisma/schema/post.prisma');
  const created = rls!.fixes[0]!.create![0]!;
  assert.equal(created.file, '/p/prisma/migrations/20250601120000_enable_rls_post/migration.sql');
  assert.match(created.content, /using \(\(select auth\.uid\(\)\)::text = owner_id\)/, 'a String owner column is compared as text');
});
