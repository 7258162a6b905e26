import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFindings, applyEdits, lint } from './lint-helpers';

const M = (name: string) => `supabase/migrations/${name}.sql`;

test('unindexed-foreign-key fires without a leading index, with an in-place fix in the newest migration', async () => {
  const sql = 'create table o (id bigint primary key);\ncreate table m (id bigint primary key, org_id bigint references o (id), user_id uuid);';
  const f = await ruleFindings('unindexed-foreign-key', sql);
  assert.equal(f.length, 1);
  assert.deepEqual(f[0]!.range.start, { line: 1, column: 53 }); // the REFERENCES clause
  const fixed = applyEdits(sql, f[0]!.fixes[0]!.edits[0]!.edits);
  assert.match(fixed, /create index if not exists m_org_id_idx on m \(org_id\);/);
  assert.equal((await ruleFindings('unindexed-foreign-key', fixed)).length, 0);
});

test('unindexed-foreign-key: composite and leading-column indexes count; trailing columns do not', async () => {
  const base = 'create table o (a int, b int, primary key (a, b)); create table m (id bigint primary key, a int, b int, foreign key (a, b) references o (a, b));';
  assert.equal((await ruleFindings('unindexed-foreign-key', base + 'create index on m (b, a, id);')).length, 0);
  assert.equal((await ruleFindings('unindexed-foreign-key', base + 'create index on m (id, a, b);')).length, 1);
  assert.equal((await ruleFindings('unindexed-foreign-key', base)).length, 1);
  // The referencing column is the primary key: covered.
  assert.equal((await ruleFindings('unindexed-foreign-key', 'create table p (id uuid primary key references auth.users (id));')).length, 0);
});

test('unindexed-foreign-key fix creates a new migration (CONCURRENTLY) when the table is in an older migration', async () => {
  const f = await ruleFindings('unindexed-foreign-key', {
    [M('20240101000000_init')]: 'create table o (id bigint primary key); create table m (id bigint primary key, org_id bigint references o (id));',
    [M('20240105000000_next')]: 'create table z (id bigint primary key);',
  });
  const c = f[0]!.fixes[0]!.create![0]!;
  assert.equal(c.file, '/ws/supabase/migrations/20250102030405_index_m_org_id.sql');
  assert.equal(c.content, 'create index concurrently if not exists m_org_id_idx on m (org_id);\n');
  // Prisma naming: a folder per migration.
  const p = await ruleFindings('unindexed-foreign-key', {
    'prisma/migrations/20240101000000_init/migration.sql': 'create table o (id bigint primary key); create table m (id bigint primary key, org_id bigint references o (id));',
    'prisma/migrations/20240201000000_next/migration.sql': 'select 1;',
  });
  assert.equal(p[0]!.fixes[0]!.create![0]!.file, '/ws/prisma/migrations/20250102030405_index_m_org_id/migration.sql');
  // Numbered files continue the sequence.
  const n = await ruleFindings('unindexed-foreign-key', {
    'db/0001_init.sql': 'create table o (id bigint primary key); create table m (id bigint primary key, org_id bigint references o (id));',
    'db/0002_next.sql': 'select 1;',
  });
  assert.equal(n[0]!.fixes[0]!.create![0]!.file, '/ws/db/0003_index_m_org_id.sql');
});

test('duplicate-index fires on a copy (including of a primary key); different order, method or predicate is not a copy', async () => {
  const base = 'create table t (id bigint primary key, a int, b int);';
  assert.equal((await ruleFindings('duplicate-index', base + 'create index i1 on t (a, b); create index i2 on t (a, b);')).length, 1);
  assert.equal((await ruleFindings('duplicate-index', base + 'create index i1 on t (id);')).length, 1);
  assert.equal((await ruleFindings('duplicate-index', base + 'create index i1 on t (a, b); create index i2 on t (b, a);')).length, 0);
  assert.equal((await ruleFindings('duplicate-index', base + 'create index i1 on t (a); create index i2 on t using hash (a);')).length, 0);
  assert.equal((await ruleFindings('duplicate-index', base + 'create index i1 on t (a); create index i2 on t (a) where b > 0;')).length, 0);
  assert.equal((await ruleFindings('duplicate-index', base + 'create index i1 on t (a); drop index i1; create index i2 on t (a);')).length, 0);
});

test('no-primary-key fires on keyless tables, not on partitions or tables given a key later', async () => {
  assert.equal((await ruleFindings('no-primary-key', 'create table t (a int);')).length, 1);
  assert.equal((await ruleFindings('no-primary-key', 'create table t (a int); alter table t add primary key (a);')).length, 0);
  assert.equal((await ruleFindings('no-primary-key', 'create table p (id bigint, k int, primary key (id, k)) partition by list (k); create table p1 partition of p for values in (1);')).length, 0);
});

test('vector-column-unindexed fires without an HNSW/IVFFlat index and offers one', async () => {
  const base = 'create extension vector with schema extensions; create table c (id bigint primary key, embedding extensions.vector(1536));';
  const f = await ruleFindings('vector-column-unindexed', base);
  assert.equal(f.length, 1);
  assert.match(f[0]!.fixes[0]!.edits[0]!.edits[0]!.newText, /using hnsw \(embedding vector_cosine_ops\)/);
  assert.equal((await ruleFindings('vector-column-unindexed', base + 'create index on c using hnsw (embedding vector_cosine_ops);')).length, 0);
  assert.equal((await ruleFindings('vector-column-unindexed', base + 'create index on c using ivfflat (embedding vector_l2_ops) with (lists = 100);')).length, 0);
  assert.equal((await ruleFindings('vector-column-unindexed', base + 'create index on c (embedding);')).length, 1);
  const all = await lint('create table x (id bigint primary key, v text);');
  assert.equal(all.findings.filter((x) => x.rule === 'vector-column-unindexed').length, 0);
});
