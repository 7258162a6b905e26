import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbedded, embeddedBuildCount, type EmbeddedDatabase } from '../../../src/core/db/embedded';
import { explain, ExplainError } from '../../../src/core/db/explain';
import { embeddedTarget } from '../../../src/core/db/explainTarget';
import { fillSyntheticRows } from '../../../src/core/db/synthetic';

const alice = '11111111-1111-1111-1111-111111111111';
const bob = '22222222-2222-2222-2222-222222222222';

const INIT = `-- Supabase-style first migration
create extension if not exists "uuid-ossp" with schema extensions;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text unique not null check (length(username) >= 3)
);
alter table public.profiles enable row level security;
create policy "profiles are public" on public.profiles for select using (true);

create table public.posts (
  id uuid primary key default extensions.uuid_generate_v4(),
  owner uuid not null references auth.users (id),
  title text not null,
  body text,
  created_at timestamptz not null default now()
);
alter table public.posts enable row level security;
create policy "own posts" on public.posts for select to authenticated
  using (owner = auth.uid());
create index concurrently posts_owner_idx on public.posts (owner);

create table public.broken (
  id int,
  post uuid references public.no_such_table (id)
);
create table public.after_broken (id int primary key);
`;

const SECOND = `begin;
create type public.mood as enum ('happy', 'sad');
create extension if not exists vector;
create table public.comments (
  id bigint generated always as identity primary key,
  post_id uuid not null references public.posts (id) on delete cascade,
  author uuid references auth.users (id),
  mood public.mood not null,
  score int not null check (score between 0 and 10),
  embedding vector(3)
);
alter table public.comments enable row level security;
commit;
\\echo psql meta-commands are skipped
`;

// What \`supabase db dump\` writes: session SETs, an empty search_path, extensions PGlite may lack, quoted names.
const DUMP = `SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
CREATE EXTENSION IF NOT EXISTS "pg_net" WITH SCHEMA "extensions";
CREATE EXTENSION IF NOT EXISTS "pg_trgm" WITH SCHEMA "extensions";
CREATE EXTENSION IF NOT EXISTS "citext" WITH SCHEMA "extensions";
ALTER TABLE "public"."profiles" ADD COLUMN "email" "extensions"."citext";
CREATE INDEX "profiles_username_trgm" ON "public"."profiles" USING gin ("username" "extensions"."gin_trgm_ops");
ALTER TABLE "public"."profiles" OWNER TO "postgres";
ALTER PUBLICATION "supabase_realtime" ADD TABLE ONLY "public"."profiles";
GRANT ALL ON TABLE "public"."profiles" TO "anon";
RESET ALL;
`;

let root: string;
let cacheDir: string;
let built: EmbeddedDatabase;
const progress: string[] = [];

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dbe-emb-'));
  cacheDir = join(root, '.cache-snapshots');
  mkdirSync(join(root, 'supabase/migrations'), { recursive: true });
  writeFileSync(join(root, 'supabase/migrations/20240101000000_init.sql'), INIT);
  writeFileSync(join(root, 'supabase/migrations/20240102000000_comments.sql'), SECOND);
  writeFileSync(join(root, 'supabase/migrations/20240103000000_remote_schema.sql'), DUMP);
  built = await openEmbedded({ root, cacheDir, onProgress: (p) => progress.push(`${p.index}/${p.total} ${p.file}`) });
});

after(async () => {
  await built?.close();
  rmSync(root, { recursive: true, force: true });
});

test('builds from the migrations in order, reporting the failing statement with file:line while the rest applies', async () => {
  assert.equal(built.fromCache, false);
  assert.deepEqual(progress, ['1/3 supabase/migrations/20240101000000_init.sql', '2/3 supabase/migrations/20240102000000_comments.sql', '3/3 supabase/migrations/20240103000000_remote_schema.sql']);
  assert.equal(built.issues.length, 2, JSON.stringify(built.issues));
  const [issue, missingExtension] = built.issues;
  assert.equal(issue!.file, 'supabase/migrations/20240101000000_init.sql');
  // The failing CREATE TABLE starts on line 23 (the server gives no position inside it for a missing FK target).
  assert.equal(issue!.line, 23);
  assert.match(issue!.message, /relation "public.no_such_table" does not exist/);
  assert.deepEqual([missingExtension!.file, missingExtension!.line], ['supabase/migrations/20240103000000_remote_schema.sql', 4]);
  assert.match(missingExtension!.message, /extension "pg_net" is not available in the embedded database/);
  const trgm = await built.db.query(`select 1 from pg_indexes where indexname = 'profiles_username_trgm'`);
  assert.equal(trgm.rows.length, 1, 'pg_trgm and citext from the dump applied');
  const tables = (await built.db.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public' order by 1`)).rows.map((r) => r.t);
  assert.deepEqual(tables, ['after_broken', 'comments', 'posts', 'profiles']);
  const idx = await built.db.query(`select 1 from pg_indexes where indexname = 'posts_owner_idx'`);
  assert.equal(idx.rows.length, 1, 'CREATE INDEX CONCURRENTLY applied');
  const fn = await built.db.query<{ uid: string }>(`select set_config('request.jwt.claims', '{"sub":"${alice}"}', false), auth.uid()::text as uid`);
  assert.equal(fn.rows[0]!.uid, alice);
});

test('a second open with the same migrations comes from the snapshot cache', async () => {
  const buildsBefore = embeddedBuildCount();
  const again = await openEmbedded({ root, cacheDir });
  try {
    assert.equal(again.fromCache, true);
    assert.equal(embeddedBuildCount(), buildsBefore, 'no rebuild');
    assert.equal(again.key, built.key);
    assert.deepEqual(again.issues, built.issues, 'issues survive the cache');
    const r = await again.db.query<{ n: number }>(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
    assert.equal(r.rows[0]!.n, 4);
    await again.db.query(`select '[1,2,3]'::vector <-> '[1,2,4]'::vector as d`); // vector is loaded on reopen too
  } finally {
    await again.close();
  }
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.tar.gz')).length, 1);
});

test('EXPLAIN with and without ANALYZE on the embedded database; ANALYZE of writes changes nothing', async () => {
  const db = built.db;
  await db.exec(`
    insert into auth.users (id, email) values ('${alice}', 'alice@example.com'), ('${bob}', 'bob@example.com');
    insert into public.posts (owner, title) select case when g % 5 = 0 then '${alice}'::uuid else '${bob}'::uuid end, 'post ' || g from generate_series(1, 100) g;
    create table public.audit (note text);
    create function public.touch(x text) returns text language plpgsql as $$ begin insert into public.audit values (x); return x; end $$;
    analyze;`);
  const target = embeddedTarget(db);
  const plain = await explain(target, { query: 'select * from posts where title = :t', params: { t: 'post 7' } });
  assert.equal(plain.database, 'embedded');
  assert.equal(plain.analyzed, false);
  assert.equal((plain.plan[0] as { Plan: Record<string, unknown> }).Plan['Relation Name'], 'posts');
  const counted = await explain(target, { query: 'select * from posts where title like $1', params: ['post 1%'], analyze: true });
  assert.equal((counted.plan[0] as { Plan: Record<string, unknown> }).Plan['Actual Rows'], 12); // 1, 10-19, 100
  const count = async (sql: string) => Number((await db.query<{ n: number }>(sql)).rows[0]!.n);
  for (const query of ['delete from posts', `update posts set title = 'gone'`, `insert into posts (owner, title) select owner, title from posts`, `select touch(title) from posts`]) {
    const r = await explain(target, { query, analyze: true });
    assert.equal(r.analyzed, true);
  }
  assert.equal(await count('select count(*)::int as n from posts'), 100);
  assert.equal(await count(`select count(*)::int as n from posts where title = 'gone'`), 0);
  assert.equal(await count('select count(*)::int as n from audit'), 0);
});

test('run as authenticated users: RLS gives each their own actual row count on the embedded database', async () => {
  const target = embeddedTarget(built.db);
  const rows = async (sub: string) => {
    const r = await explain(target, { query: 'select * from posts', analyze: true, runAs: { role: 'authenticated', claims: { sub, role: 'authenticated' } } });
    return (r.plan[0] as { Plan: Record<string, unknown> }).Plan['Actual Rows'];
  };
  assert.equal(await rows(alice), 20);
  assert.equal(await rows(bob), 80);
  await assert.rejects(explain(target, { query: 'select 1', runAs: { role: 'ghost' } }), (e: unknown) => e instanceof ExplainError && e.kind === 'unknown-role');
  assert.equal((await built.db.query<{ u: string }>('select current_user as u')).rows[0]!.u, 'postgres');
});

test('an expensive ANALYZE on the embedded database (which cannot be interrupted) falls back to the estimated plan with a note', async () => {
  const r = await explain(embeddedTarget(built.db), { query: 'select count(*) from generate_series(1, 100000000)', analyze: true });
  assert.equal(r.analyzed, false);
  assert.ok(!('Actual Rows' in (r.plan[0] as { Plan: Record<string, unknown> }).Plan));
  assert.ok(r.notes.some((n) => /estimated cost \d+ is above 50000/.test(n)), r.notes.join('\n'));
  const cheap = await explain(embeddedTarget(built.db), { query: 'select count(*) from generate_series(1, 1000)', analyze: true });
  assert.equal(cheap.analyzed, true);
});

test('a generic plan (PostgreSQL 16+, PGlite is 18) needs no parameter values and keeps $n unbound', async () => {
  const r = await explain(embeddedTarget(built.db), { query: 'select * from posts where title = :t', genericPlan: true });
  assert.equal(r.analyzed, false);
  assert.match(JSON.stringify(r.plan), /\$1/);
  assert.ok(r.notes.some((n) => /Generic plan/.test(n)));
  await assert.rejects(explain(embeddedTarget(built.db), { query: 'select 1', genericPlan: true, analyze: true }), (e: unknown) => e instanceof ExplainError && /ANALYZE/.test(e.message));
});

test('non-transactional statements are refused with a note and nothing runs', async () => {
  await assert.rejects(explain(embeddedTarget(built.db), { query: 'vacuum posts', analyze: true }),
    (e: unknown) => e instanceof ExplainError && e.kind === 'not-explainable' && /cannot run inside a transaction block/.test(e.message));
});

test('synthetic rows are FK-consistent and respect checks, on a database reopened from the snapshot', async () => {
  // Served from the snapshot the first test wrote (no new build), then filled: a fresh copy without the rows
  // the other tests inserted.
  const e = await openEmbedded({ root, cacheDir });
  try {
    const counts = await (async () => {
      assert.equal(e.fromCache, true);
      assert.deepEqual(await fillSyntheticRows(e.db, { rows: 40 }), []);
      await e.db.exec('analyze');
      const q = async (sql: string) => Number((await e.db.query<{ n: number }>(sql)).rows[0]!.n);
      return {
        users: await q('select count(*)::int as n from auth.users'),
        profiles: await q('select count(*)::int as n from profiles'),
        posts: await q('select count(*)::int as n from posts'),
        comments: await q('select count(*)::int as n from comments'),
        orphanPosts: await q('select count(*)::int as n from posts p where not exists (select 1 from auth.users u where u.id = p.owner)'),
        orphanComments: await q('select count(*)::int as n from comments c where not exists (select 1 from posts p where p.id = c.post_id)'),
        badScores: await q('select count(*)::int as n from comments where score not between 0 and 10'),
        distinctScores: await q('select count(distinct score)::int as n from comments'),
        distinctProfiles: await q('select count(distinct id)::int as n from profiles'),
        analyzed: await q(`select count(*)::int as n from pg_stat_user_tables where relname = 'comments' and last_analyze is not null`),
      };
    })();
    assert.deepEqual(counts, { users: 40, profiles: 40, posts: 40, comments: 40, orphanPosts: 0, orphanComments: 0, badScores: 0, distinctScores: 11, distinctProfiles: 40, analyzed: 1 });
  } finally {
    await e.close();
  }
});
