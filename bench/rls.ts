/**
 * RLS simulator figure: the whole matrix (seed the synthetic tenants, then every role × command on every table) of a
 * generated 30-table Supabase project, on a warm embedded database (opened from its snapshot; the open is not timed).
 */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbedded } from '../src/core/db/embedded';
import { simulateOn } from '../src/core/rls';

/** 30 tables: a tenant root and its memberships, tenant tables, user-owned tables, children, reference data, two without RLS. */
export function writeProject(root: string): void {
  const dir = join(root, 'supabase/migrations');
  mkdirSync(dir, { recursive: true });
  const sql: string[] = [
    `create table public.orgs (id uuid primary key default gen_random_uuid(), name text not null);
create table public.members (org_id uuid not null references public.orgs(id), user_id uuid not null references auth.users(id), role text not null default 'member' check (role in ('owner','member')), primary key (org_id, user_id));
create function public.is_member(o uuid) returns boolean language sql stable security definer set search_path = '' as $$ select exists (select 1 from public.members m where m.org_id = o and m.user_id = auth.uid()) $$;
alter table public.orgs enable row level security;
alter table public.members enable row level security;
create policy orgs_read on public.orgs for select to authenticated using (public.is_member(id));
create policy members_read on public.members for select to authenticated using (public.is_member(org_id));`,
  ];
  for (let i = 1; i <= 10; i++) {
    sql.push(`create table public.tenant_${i} (id bigint generated always as identity primary key, org_id uuid not null references public.orgs(id), name text not null, amount numeric(10,2), created_at timestamptz not null default now());
alter table public.tenant_${i} enable row level security;
create policy t${i}_read on public.tenant_${i} for select to authenticated using (public.is_member(org_id));
create policy t${i}_write on public.tenant_${i} for insert to authenticated with check (${i % 3 === 0 ? 'true' : 'public.is_member(org_id)'});`);
  }
  for (let i = 1; i <= 8; i++) {
    sql.push(`create table public.owned_${i} (id uuid primary key default gen_random_uuid(), user_id uuid not null references auth.users(id), title text not null, done boolean not null default false);
alter table public.owned_${i} enable row level security;
create policy o${i}_all on public.owned_${i} for all to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
${i % 4 === 0 ? `create policy o${i}_public on public.owned_${i} for select to anon, authenticated using (true);` : ''}`);
  }
  for (let i = 1; i <= 6; i++) {
    sql.push(`create table public.child_${i} (id bigint generated always as identity primary key, parent_id bigint not null references public.tenant_${i}(id), note text not null check (length(note) < 200));
alter table public.child_${i} enable row level security;
create policy c${i}_read on public.child_${i} for select to authenticated using (exists (select 1 from public.tenant_${i} p where p.id = parent_id));`);
  }
  for (let i = 1; i <= 2; i++) {
    sql.push(`create table public.ref_${i} (code text primary key, label text not null);
alter table public.ref_${i} enable row level security;
create policy r${i}_read on public.ref_${i} for select to anon, authenticated using (true);`);
  }
  for (let i = 1; i <= 2; i++) sql.push(`create table public.open_${i} (id bigint generated always as identity primary key, user_id uuid references auth.users(id), payload jsonb);`);
  sql.forEach((s, i) => writeFileSync(join(dir, `202401${String(i + 1).padStart(2, '0')}000000_m${i + 1}.sql`), s + '\n'));
}

export async function run(log: (line: string) => void = console.log): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'dbe-bench-rls-'));
  const cacheDir = join(root, '.cache');
  try {
    writeProject(root);
    await (await openEmbedded({ root, cacheDir })).close(); // build the snapshot once
    const times: number[] = [];
    const cpu: number[] = [];
    let tables = 0;
    let cells = 0;
    for (let i = 0; i < 3; i++) {
      const e = await openEmbedded({ root, cacheDir });
      try {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const report = await simulateOn(e.db, { root });
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
        tables = report.tables.length;
        cells = report.tables.reduce((n, t) => n + t.access.length, 0);
      } finally {
        await e.close();
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    // CPU time too: on a busy machine the wall clock mostly measures the other processes.
    log(`rls matrix (${tables} tables, ${cells} cells, warm embedded database): ${median(times).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU (median of 3; wall ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
