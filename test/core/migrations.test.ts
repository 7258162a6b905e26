import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMigrationFiles, displayPath } from '../../src/core/workspace/migrations';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dbe-mig-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

test('supabase migrations apply in file-name order, ignoring other sql', () => {
  const root = tree({
    'supabase/migrations/20240102000000_b.sql': '',
    'supabase/migrations/20240101000000_a.sql': '',
    'supabase/seed.sql': '',
    'node_modules/x/y.sql': '',
  });
  const set = findMigrationFiles(root);
  assert.deepEqual(set.folders, ['supabase/migrations']);
  assert.deepEqual(set.files.map((f) => displayPath(root, f)), [
    'supabase/migrations/20240101000000_a.sql',
    'supabase/migrations/20240102000000_b.sql',
  ]);
});

test('prisma migrations apply by their timestamped folder', () => {
  const root = tree({
    'prisma/migrations/20240201_second/migration.sql': '',
    'prisma/migrations/20240101_init/migration.sql': '',
  });
  assert.deepEqual(findMigrationFiles(root).files.map((f) => displayPath(root, f)), [
    'prisma/migrations/20240101_init/migration.sql',
    'prisma/migrations/20240201_second/migration.sql',
  ]);
});

test('db/migrations wins over its parent db/, and loose files are used when no folder exists', () => {
  const nested = tree({ 'db/migrations/001.sql': '', 'db/seed.sql': '' });
  assert.deepEqual(findMigrationFiles(nested).folders, ['db/migrations']);
  const loose = tree({ 'b.sql': '', 'a/z.sql': '' });
  assert.deepEqual(findMigrationFiles(loose).files.map((f) => displayPath(loose, f)), ['a/z.sql', 'b.sql']);
});

test('configured folders override detection', () => {
  const root = tree({ 'supabase/migrations/1.sql': '', 'sql/schema/2.sql': '' });
  assert.deepEqual(findMigrationFiles(root, ['sql/schema']).files.map((f) => displayPath(root, f)), ['sql/schema/2.sql']);
});
