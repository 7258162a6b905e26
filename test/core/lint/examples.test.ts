import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { Analyzer, type Finding } from '../../../src/core/analysis';
import { findMigrationFiles, displayPath } from '../../../src/core/workspace/migrations';
import { stripNonSql } from '../../../src/core/sql/split';
import { startPostgres } from '../support/postgres';

const ROOT = join(__dirname, '../../../examples');

async function lintProject(dir: string): Promise<Finding[]> {
  const set = findMigrationFiles(dir);
  const a = await Analyzer.create();
  a.setOrder(set.files);
  for (const f of set.files) a.setFile(f, readFileSync(f, 'utf8'));
  return a.findings();
}

const pairs = (dir: string, fs: Finding[]) => fs.map((f) => `${f.rule} ${displayPath(dir, f.file).replace(/^.*\//, '')}:${f.range.start.line + 1}`);

test('supabase-app: every rule that can fire on applicable SQL fires, exactly where intended', async () => {
  const dir = join(ROOT, 'supabase-app');
  const findings = await lintProject(dir);
  const rules = new Set(findings.map((f) => f.rule));
  const expected = [
    'rls-disabled', 'policy-without-rls', 'rls-without-policy', 'policy-always-true', 'policy-user-metadata',
    'auth-function-per-row', 'multiple-permissive-policies', 'security-definer-search-path', 'security-definer-view',
    'policy-column-unindexed', 'unindexed-foreign-key', 'duplicate-index', 'no-primary-key', 'vector-column-unindexed',
    'require-concurrent-index', 'constraint-missing-not-valid', 'adding-required-column', 'volatile-default-rewrite',
    'changing-column-type', 'ban-drop-column', 'ban-drop-table', 'renaming-column', 'renaming-table',
    'prefer-timestamptz', 'prefer-text', 'prefer-bigint-id', 'prefer-identity',
  ];
  assert.deepEqual([...rules].sort(), [...expected].sort());
  const got = pairs(dir, findings);
  // Correct code stays quiet: the template's todos (dropped later), projects, memberships, the trigger
  // functions with search_path, the security_invoker view, indexes created with their table.
  for (const quiet of ['20240101000200_todos.sql', '20240103000000_projects.sql']) assert.deepEqual(got.filter((g) => g.includes(quiet)), [], quiet);
  assert.ok(!got.some((g) => g.startsWith('require-concurrent-index') && /documents\.sql|comments\.sql/.test(g)));
  assert.ok(!got.some((g) => g.startsWith('security-definer-search-path') && !g.includes('organizations.sql')));
  assert.deepEqual(got.filter((g) => g.startsWith('security-definer-view')), ['security-definer-view 20240110000000_views.sql:2']);
  assert.deepEqual(got.filter((g) => g.startsWith('rls-disabled')), ['rls-disabled 20240106000000_comments.sql:1']);
  assert.deepEqual(got.filter((g) => g.startsWith('ban-drop-table')), ['ban-drop-table 20240115000000_cleanup.sql:1']);
  assert.equal(findings.length, 34);
});

test('prisma-app: the missing-RLS table and the unindexed relation are found', async () => {
  const dir = join(ROOT, 'prisma-app');
  const findings = await lintProject(dir);
  const got = pairs(dir, findings);
  assert.ok(got.some((g) => g.startsWith('rls-disabled')), got.join('\n'));
  assert.ok(got.some((g) => g.startsWith('unindexed-foreign-key')), got.join('\n'));
});

/** Supabase's roles, auth schema and a pgvector stand-in for a plain PostgreSQL without pgvector. */
const SUPABASE_SHIM = `
create role anon nologin; create role authenticated nologin; create role service_role nologin bypassrls;
create schema auth;
create table auth.users (id uuid primary key default gen_random_uuid(), email text, raw_user_meta_data jsonb not null default '{}', raw_app_meta_data jsonb not null default '{}');
create function auth.uid() returns uuid language sql stable as $$ select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
create function auth.jwt() returns jsonb language sql stable as $$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;
create function auth.role() returns text language sql stable as $$ select current_setting('request.jwt.claim.role', true) $$;
create schema extensions;
create domain extensions.vector as real[];
create function extensions.fake_cosine(a real[], b real[]) returns float8 language sql immutable as $$ select 0.5::float8 $$;
create operator extensions.<=> (leftarg = real[], rightarg = real[], function = extensions.fake_cosine);
`;

/** What differs without pgvector: the extension itself, vector typmods and ANN index methods. */
const withoutPgvector = (sql: string) =>
  sql
    .replace(/create extension if not exists vector[^;]*;/gi, '')
    .replace(/extensions\.vector\(\d+\)/gi, 'extensions.vector')
    .replace(/using (hnsw|ivfflat) \((\w+) \w+\)( with \([^)]*\))?/gi, 'using btree ($2)');

test('the example migrations apply on PostgreSQL 15 with Supabase roles and auth schema', { timeout: 60_000 }, async () => {
  const server = await startPostgres();
  const client = new pg.Client({ connectionString: server.url });
  try {
    await client.connect();
    await client.query(SUPABASE_SHIM);
    for (const dir of ['supabase-app']) {
      for (const file of findMigrationFiles(join(ROOT, dir)).files) {
        try {
          await client.query(withoutPgvector(stripNonSql(readFileSync(file, 'utf8'))));
        } catch (err) {
          assert.fail(`${displayPath(ROOT, file)}: ${(err as Error).message}`);
        }
      }
      await client.query(readFileSync(join(ROOT, dir, 'supabase/seed.sql'), 'utf8'));
      for (const q of ['documents_for_user.sql', 'org_members.sql']) {
        await client.query(readFileSync(join(ROOT, dir, 'queries', q), 'utf8'));
      }
    }
    // The Prisma app applies on its own database.
    await client.query('create database prisma_app');
    const prisma = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/prisma_app') });
    await prisma.connect();
    try {
      for (const file of findMigrationFiles(join(ROOT, 'prisma-app')).files) await prisma.query(readFileSync(file, 'utf8'));
    } finally {
      await prisma.end();
    }
  } finally {
    await client.end().catch(() => {});
    await server.stop();
  }
});
