/**
 * Embedded database figures: cold build from a dozen Supabase-style migrations, warm reopen from the snapshot,
 * a build with synthetic rows, and EXPLAIN ANALYZE latency on the embedded database vs a live PostgreSQL 15.
 */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbedded, applySql } from '../src/core/db/embedded';
import { SUPABASE_BOOTSTRAP_SQL } from '../src/core/db/supabaseBootstrap';
import { explain } from '../src/core/db/explain';
import { embeddedTarget, liveTarget } from '../src/core/db/explainTarget';
import { connect } from '../src/core/db/connect';
import { startPostgres } from '../test/support/postgres';
import { EmbeddedService } from '../src/core/db/embeddedService';

/** Twelve migrations: tables with FKs, indexes, RLS policies using auth.uid(), a view, a function, an enum. */
export function writeMigrations(root: string): void {
  const dir = join(root, 'supabase/migrations');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [
    `create table public.orgs (id uuid primary key default gen_random_uuid(), name text not null unique, created_at timestamptz not null default now());`,
    `create table public.members (org_id uuid not null references public.orgs(id) on delete cascade, user_id uuid not null references auth.users(id), role text not null check (role in ('owner','admin','member')), primary key (org_id, user_id));`,
    `create type public.status as enum ('open','closed','archived');\ncreate table public.projects (id bigint generated always as identity primary key, org_id uuid not null references public.orgs(id), name text not null, status public.status not null default 'open');`,
    `create table public.tasks (id bigint generated always as identity primary key, project_id bigint not null references public.projects(id), assignee uuid references auth.users(id), title text not null, done boolean not null default false, due date, created_at timestamptz not null default now());`,
    `create index tasks_project_idx on public.tasks (project_id);\ncreate index tasks_assignee_idx on public.tasks (assignee) where not done;`,
    `create table public.comments (id bigint generated always as identity primary key, task_id bigint not null references public.tasks(id) on delete cascade, author uuid not null references auth.users(id), body text not null check (length(body) <= 5000), created_at timestamptz not null default now());`,
    `create function public.is_member(o uuid) returns boolean language sql stable security definer set search_path = '' as $$ select exists (select 1 from public.members m where m.org_id = o and m.user_id = auth.uid()) $$;`,
    `alter table public.orgs enable row level security;\nalter table public.members enable row level security;\nalter table public.projects enable row level security;\nalter table public.tasks enable row level security;\nalter table public.comments enable row level security;`,
    `create policy orgs_read on public.orgs for select to authenticated using (public.is_member(id));\ncreate policy members_read on public.members for select to authenticated using (user_id = (select auth.uid()));\ncreate policy projects_read on public.projects for select to authenticated using (public.is_member(org_id));`,
    `create policy tasks_read on public.tasks for select to authenticated using (exists (select 1 from public.projects p where p.id = project_id and public.is_member(p.org_id)));\ncreate policy comments_own on public.comments for all to authenticated using (author = (select auth.uid())) with check (author = (select auth.uid()));`,
    `create view public.open_tasks with (security_invoker = on) as select t.*, p.name as project from public.tasks t join public.projects p on p.id = t.project_id where not t.done;`,
    `create table public.audit_log (id bigint generated always as identity primary key, at timestamptz not null default now(), actor uuid, action text not null, detail jsonb);\ncreate index audit_log_at_idx on public.audit_log using brin (at);`,
  ];
  files.forEach((sql, i) => writeFileSync(join(dir, `2024010${String(i).padStart(2, '0')}000000_m${i + 1}.sql`), sql + '\n'));
}

const QUERY = `select t.id, t.title, p.name from tasks t join projects p on p.id = t.project_id where t.assignee = $1 and not t.done order by t.created_at desc limit 20`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

const print = (name: string, ms: number) => process.stdout.write(`${name}: ${ms.toFixed(0)} ms\n`);

export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'dbe-bench-emb-'));
  try {
    writeMigrations(root);
    const cacheDir = join(root, 'cache');
    const [cold, built] = await time(() => openEmbedded({ root, cacheDir }));
    print('embedded cold build (12 migrations, incl. initdb + snapshot)', cold);
    if (built.issues.length) process.stdout.write(`  issues: ${JSON.stringify(built.issues)}\n`);
    await built.close();
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [ms, e] = await time(() => openEmbedded({ root, cacheDir }));
      if (!e.fromCache) throw new Error('expected a snapshot reopen');
      warm.push(ms);
      await e.close();
    }
    print('embedded warm reopen from snapshot (median of 3)', median(warm));
    const [rowsMs, withRows] = await time(() => openEmbedded({ root, cacheDir, rows: 1000 }));
    print('embedded build with 1000 synthetic rows per table', rowsMs);
    const uid = (await withRows.db.query<{ id: string }>('select assignee::text as id from tasks where assignee is not null limit 1')).rows[0]?.id;
    const target = embeddedTarget(withRows.db);
    const emb: number[] = [];
    for (let i = 0; i < 20; i++) emb.push((await time(() => explain(target, { query: QUERY, params: [uid], analyze: true })))[0]);
    print('EXPLAIN ANALYZE embedded (median of 20)', median(emb));
    const plainEmb: number[] = [];
    for (let i = 0; i < 20; i++) plainEmb.push((await time(() => explain(target, { query: QUERY, params: [uid] })))[0]);
    print('EXPLAIN (no analyze) embedded (median of 20)', median(plainEmb));
    await withRows.close();
    const service = new EmbeddedService({ root, cacheDir, rows: 1000 });
    const [workerOpen] = await time(() => service.open());
    print('embedded worker start + snapshot reopen', workerOpen);
    const viaWorker: number[] = [];
    for (let i = 0; i < 20; i++) viaWorker.push((await time(() => service.explain({ query: QUERY, params: [uid], analyze: true })))[0]);
    print('EXPLAIN ANALYZE embedded via worker thread (median of 20)', median(viaWorker));
    await service.dispose();

    const pg = await startPostgres();
    print('PostgreSQL 15 test server start (initdb + start + user)', pg.startMs);
    try {
      const admin = await pg.superuser(pg.database);
      const issues: { file: string; line: number; message: string }[] = [];
      await applySql((sql) => admin.query(sql), '<bootstrap>', SUPABASE_BOOTSTRAP_SQL, issues);
      await admin.query(`create table tasks (id bigint generated always as identity primary key, project_id bigint not null, assignee uuid, title text not null, done boolean not null default false, created_at timestamptz not null default now());
        create table projects (id bigint primary key, name text not null);
        insert into projects select g, 'p' || g from generate_series(1, 1000) g;
        insert into tasks (project_id, assignee, title) select 1 + g % 1000, md5((g % 1000)::text)::uuid, 't' || g from generate_series(1, 1000) g;
        create index on tasks (assignee) where not done; analyze; grant all on all tables in schema public to ${pg.user};`);
      await admin.end();
      const conn = await connect({ id: 'b', name: 'b', host: pg.host, port: pg.port, database: pg.database, user: pg.user }, { password: pg.password });
      const live = liveTarget(conn);
      const liveMs: number[] = [];
      const someUid = (await conn.client.query('select assignee::text as id from tasks limit 1')).rows[0].id;
      for (let i = 0; i < 20; i++) liveMs.push((await time(() => explain(live, { query: QUERY, params: [someUid], analyze: true })))[0]);
      print('EXPLAIN ANALYZE live PostgreSQL 15 (median of 20)', median(liveMs));
      await conn.close();
    } finally {
      pg.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
