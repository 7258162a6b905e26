// A small Supabase-style workspace shared by the tools and agent-loop tests: two tables, an unindexed foreign key,
// RLS off on orders and an always-true policy on customers, and enough rows that a lookup by customer seq-scans.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../src/core/db/database';
import { Project } from '../../../src/core/workspace/project';
import type { ToolContext } from '../../../src/core/tools';

export const MIGRATION = `create table public.customers (
  id bigint generated always as identity primary key,
  name text not null
);
create table public.orders (
  id bigint generated always as identity primary key,
  customer_id bigint not null references public.customers (id),
  total numeric not null,
  created_at timestamptz not null default now()
);
alter table public.customers enable row level security;
create policy customers_read on public.customers for select using (true);
insert into public.customers (name) select 'customer ' || g from generate_series(1, 100) g;
insert into public.orders (customer_id, total) select 1 + g % 100, g from generate_series(1, 20000) g;
analyze public.orders;
`;

export const SLOW_QUERY = 'select * from public.orders where customer_id = 7';

export function makeWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'dbe-tools-'));
  mkdirSync(join(root, 'supabase', 'migrations'), { recursive: true });
  writeFileSync(join(root, 'supabase', 'config.toml'), 'project_id = "shop"\n');
  writeFileSync(join(root, 'supabase', 'migrations', '20240101000000_init.sql'), MIGRATION);
  mkdirSync(join(root, 'queries'));
  writeFileSync(join(root, 'queries', 'by_customer.sql'), SLOW_QUERY + ';\n');
  return root;
}

/** A tool context on `root`: its own Project (config and migrations from the files), with `database` when given. */
export function toolContext(root: string, over: Partial<Omit<ToolContext, 'project'>> & { database?: Database } = {}): ToolContext {
  const { database, ...rest } = over;
  return { project: new Project({ root, ...(database ? { database } : {}) }), ...rest };
}
