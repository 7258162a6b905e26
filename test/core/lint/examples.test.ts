import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { Analyzer, defaultConfig, type Finding, type Fix } from '../../../src/core/analysis';
import { detectMigrationTool } from '../../../src/core/workspace/migrationTool';
import { openEmbedded } from '../../../src/core/db/embedded';
import { applyEdits } from './lint-helpers';
import { ensureParser } from '../../../src/core/sql/parse';
import { findMigrationFiles, displayPath } from '../../../src/core/workspace/migrations';
import { stripNonSql } from '../../../src/core/sql/split';
import { ensurePrismaParser, findPrismaSchemaFiles } from '../../../src/core/prisma';
import { startPostgres } from '../support/postgres';
// prisma-fmt's validator (what `prisma validate` runs), so a schema.prisma quick fix is checked by Prisma itself.
import { validate as prismaValidate } from '@prisma/prisma-schema-wasm';

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
    // Lock windows, judged by how the Supabase CLI runs each file (one transaction).
    'require-lock-timeout', 'statement-after-access-exclusive', 'multiple-alter-table', 'wide-lock-window',
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
  // document_slugs.sql: the ALTER's lock is held while the index is built, then a second table is locked.
  assert.deepEqual(got.filter((g) => /statement-after|wide-lock|multiple-alter/.test(g)), [
    'statement-after-access-exclusive 20240112000000_document_slugs.sql:3', 'multiple-alter-table 20240112000000_document_slugs.sql:5',
    'wide-lock-window 20240112000000_document_slugs.sql:9', 'wide-lock-window 20240115000000_cleanup.sql:3',
  ]);
  // lock_timeout is advice (info), once per file that locks a table holding data.
  assert.ok(findings.filter((f) => f.rule === 'require-lock-timeout').every((f) => f.severity === 'info'));
  assert.equal(findings.length, 41);
});

test('prisma-app: the missing-RLS table, the table without a policy and the unindexed relation are found, on schema.prisma only', async () => {
  const dir = join(ROOT, 'prisma-app');
  const findings = await lintWithTool(dir);
  assert.deepEqual(pairs(dir, findings), [
    'prisma-rls-without-policy schema.prisma:10', 'prisma-rls-missing schema.prisma:20', 'prisma-unindexed-relation schema.prisma:25',
  ]);
  // Without the schema, the same SQL is the user's own and the SQL rules speak.
  const sqlOnly = pairs(dir, await lintProject(dir));
  for (const rule of ['rls-disabled', 'rls-without-policy', 'unindexed-foreign-key']) assert.ok(sqlOnly.some((g) => g.startsWith(rule)), sqlOnly.join('\n'));
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

/** Lints a project folder the way `dbe lint` does: its migrations and Prisma schema, with the detected migration tool. */
async function lintWithTool(dir: string): Promise<Finding[]> {
  await Promise.all([ensureParser(), ensurePrismaParser()]);
  const set = findMigrationFiles(dir);
  const detected = detectMigrationTool(dir, {}, set.files);
  const a = new Analyzer({ config: { ...defaultConfig(), ...(detected.tool !== 'psql' ? { migrationTool: detected.tool } : {}) }, now: () => new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) });
  a.setOrder(set.files);
  for (const f of [...set.files, ...findPrismaSchemaFiles(dir)]) a.setFile(f, readFileSync(f, 'utf8'));
  return a.findings();
}

/** Prisma's own errors for the project's schema files, none when it validates. Connection URLs are left out: this
 * validator (Prisma 7) wants them in prisma.config.ts, and they play no part in what the fixes change. */
function prismaErrors(dir: string): string[] {
  const files = findPrismaSchemaFiles(dir).map((f) => [f, readFileSync(f, 'utf8').replace(/^\s*(url|directUrl)\s*=.*$/gm, '')]);
  if (!files.length) return [];
  try {
    prismaValidate(JSON.stringify({ prismaSchema: files, noColorErrors: true }));
    return [];
  } catch (err) {
    const text = String((err as Error).message ?? err);
    try {
      return [JSON.parse(text).message as string];
    } catch {
      return [text];
    }
  }
}

function applyFix(fix: Fix): void {
  for (const e of fix.edits) writeFileSync(e.file, applyEdits(readFileSync(e.file, 'utf8'), e.edits));
  for (const c of fix.create ?? []) {
    assert.ok(!existsSync(c.file), `${c.file} already exists`);
    mkdirSync(dirname(c.file), { recursive: true });
    writeFileSync(c.file, c.content);
  }
}

test('every quick fix on the examples leaves migrations that run (embedded database, and on PostgreSQL file by file as the Supabase CLI runs them) and a schema.prisma Prisma accepts', { timeout: 240_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dbe-fixes-'));
  const server = await startPostgres();
  try {
    for (const name of ['supabase-app', 'prisma-app', 'prisma-supabase-app']) {
      const dir = join(tmp, name);
      cpSync(join(ROOT, name), dir, { recursive: true });
      assert.deepEqual(prismaErrors(dir), [], `${name}: the example's schema is valid Prisma`);
      const tried = new Set<string>();
      const titles: string[] = [];
      let applied = 0;
      for (let round = 0; round < 300; round++) {
        const findings = await lintWithTool(dir);
        const id = (f: Finding) => `${f.rule}\0${f.file}\0${f.message}`;
        const target = findings.find((f) => f.fixes.length > 0 && !tried.has(id(f)));
        if (!target) break;
        tried.add(id(target));
        const before = findings.filter((f) => id(f) === id(target)).length;
        applyFix(target.fixes[0]!);
        titles.push(target.fixes[0]!.title);
        applied++;
        const after = (await lintWithTool(dir)).filter((f) => id(f) === id(target)).length;
        assert.ok(after < before, `${name}: "${target.fixes[0]!.title}" left ${target.rule} in place: ${target.message}`);
      }
      assert.ok(applied > 0, name);
      // document_slugs.sql runs as one transaction: its index moves to a migration of its own.
      if (name === 'supabase-app') assert.ok(titles.includes('Add CONCURRENTLY (in its own migration 20240112000001_index_documents_slug_idx.sql)'), titles.join('\n'));
      // The implicit Post ↔ Tag table (no primary key, as Prisma 5 wrote it) becomes a relation model with @@id.
      if (name === 'prisma-supabase-app') assert.ok(titles.includes('Declare the relation model PostToTag (same table _PostToTag, with @@id)'), titles.join('\n'));
      const left = await lintWithTool(dir);
      // Nothing the fixes wrote fails the transaction rules, or Prisma's schema parser.
      assert.deepEqual(left.filter((f) => ['concurrent-index-in-transaction', 'enum-value-in-same-transaction', 'syntax-error', 'prisma-parse-error'].includes(f.rule)).map((f) => `${displayPath(dir, f.file)}: ${f.message}`), [], `${name}, after: ${titles.join('; ')}`);

      assert.deepEqual(prismaErrors(dir), [], `${name}: Prisma rejects the schema the fixes wrote (${titles.join('; ')})`);

      const embedded = await openEmbedded({ root: dir, cacheDir: join(tmp, '.embedded') });
      try {
        assert.deepEqual(embedded.issues, [], `${name}: statements that failed in the embedded database`);
      } finally {
        await embedded.close();
      }

      if (name === 'prisma-supabase-app') continue;
      // PostgreSQL itself, each file as one multi-statement query: CONCURRENTLY among other statements fails here.
      const db = `fixed_${name.replace(/-/g, '_')}`;
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`create database ${db}`);
      await admin.end();
      const client = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, `/${db}`) });
      await client.connect();
      try {
        // The RLS fixes write starter policies on auth.uid(), as on Supabase (the embedded database has the same roles).
        // Roles belong to the cluster: only the first database creates them.
        await client.query(name === 'supabase-app' ? SUPABASE_SHIM : SUPABASE_SHIM.replace(/create role [^;]*;/g, ''));
        for (const file of findMigrationFiles(dir).files) {
          try {
            await client.query(withoutPgvector(stripNonSql(readFileSync(file, 'utf8'))));
          } catch (err) {
            assert.fail(`${name}/${displayPath(dir, file)}: ${(err as Error).message}`);
          }
        }
      } finally {
        await client.end();
      }
    }
  } finally {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});
