/**
 * What the simulator reads from the embedded database's catalog: the tables (with columns, keys and foreign keys,
 * from the synthetic-rows introspection), row level security flags, policies as PostgreSQL deparses them, and the
 * roles to probe.
 */
import type { PGlite } from '../db/pgliteRuntime';
import { introspect, type Table as RelTable } from '../db/synthetic';
import type { RlsCommand } from './types';

export type { RelTable };

export interface CatalogTable extends RelTable {
  schema: string;
  name: string;
  /** schema.name, unquoted (report key). */
  key: string;
  rls: boolean;
  /** Primary key and unique constraints, each as its column list. */
  keys: string[][];
  primaryKey: string[];
}

export interface CatalogPolicy {
  table: number;
  name: string;
  permissive: boolean;
  command: 'all' | RlsCommand;
  /** Role names; `public` when granted to PUBLIC. */
  roles: string[];
  using?: string;
  withCheck?: string;
}

export interface Catalog {
  tables: Map<number, CatalogTable>;
  /** Tables in the exposed schemas, in name order. */
  exposed: CatalogTable[];
  policies: CatalogPolicy[];
  /** policy index → the probe roles it applies to (PUBLIC and role membership resolved). */
  appliesTo: Map<number, Set<string>>;
  /** Roles whose RLS is bypassed (superuser or BYPASSRLS). */
  bypass: Set<string>;
}

const CMD: Record<string, CatalogPolicy['command']> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

export async function readCatalog(db: PGlite, exposedSchemas: string[], roles: string[]): Promise<Catalog> {
  const rel = await introspect(db);
  const meta = await db.query<{ oid: number; schema: string; name: string; rls: boolean }>(`
    select c.oid::int as oid, n.nspname as schema, c.relname as name, c.relrowsecurity as rls
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition`);
  const keys = await db.query<{ rel: number; cols: string[]; primary: boolean }>(`
    select con.conrelid::int as rel, con.contype = 'p' as primary,
      array(select a.attname::text from unnest(con.conkey) with ordinality k(n, i)
            join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i) as cols
    from pg_constraint con where con.contype in ('p', 'u')`);
  const tables = new Map<number, CatalogTable>();
  for (const m of meta.rows) {
    const t = rel.get(m.oid);
    if (!t) continue;
    tables.set(m.oid, { ...t, schema: m.schema, name: m.name, key: `${m.schema}.${m.name}`, rls: m.rls, keys: [], primaryKey: [] });
  }
  for (const k of keys.rows) {
    const t = tables.get(k.rel);
    if (!t) continue;
    t.keys.push(k.cols);
    if (k.primary) t.primaryKey = k.cols;
  }
  const exposed = [...tables.values()].filter((t) => exposedSchemas.includes(t.schema)).sort((a, b) => a.key.localeCompare(b.key));

  const pol = await db.query<{ rel: number; name: string; permissive: boolean; cmd: string; roles: string[]; using: string | null; check: string | null; applies: string[] }>(`
    select p.polrelid::int as rel, p.polname::text as name, p.polpermissive as permissive, p.polcmd::text as cmd,
      array(select case when r = 0 then 'public' else pg_get_userbyid(r)::text end from unnest(p.polroles) r) as roles,
      pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as check,
      array(select pr.rolname::text from pg_roles pr where pr.rolname = any($1::text[])
            and (0 = any(p.polroles) or exists (select 1 from unnest(p.polroles) x where x <> 0 and pg_has_role(pr.oid, x, 'member')))) as applies
    from pg_policy p order by p.polrelid, p.polname`, [roles]);
  const policies: CatalogPolicy[] = [];
  const appliesTo = new Map<number, Set<string>>();
  for (const p of pol.rows) {
    if (!tables.has(p.rel)) continue;
    appliesTo.set(policies.length, new Set(p.applies));
    policies.push({
      table: p.rel, name: p.name, permissive: p.permissive, command: CMD[p.cmd] ?? 'all', roles: p.roles,
      ...(p.using ? { using: p.using } : {}), ...(p.check ? { withCheck: p.check } : {}),
    });
  }
  const by = await db.query<{ rolname: string }>(`select rolname::text as rolname from pg_roles where (rolsuper or rolbypassrls) and rolname = any($1::text[])`, [roles]);
  return { tables, exposed, policies, appliesTo, bypass: new Set(by.rows.map((r) => r.rolname)) };
}

/** Roles the migrations created (not PostgreSQL's, not Supabase's own), to probe beside the API roles. */
export async function createdRoles(db: PGlite, known: Set<string>): Promise<string[]> {
  const r = await db.query<{ rolname: string }>(`select rolname::text as rolname from pg_roles where rolname !~ '^pg_' and rolname <> 'postgres' order by rolname`);
  return r.rows.map((x) => x.rolname).filter((n) => !known.has(n));
}

/** Supabase's own roles (from the bootstrap SQL): not "created by the migrations". */
export function bootstrapRoles(sql: string): Set<string> {
  return new Set([...sql.matchAll(/create role (\w+)/g)].map((m) => m[1]!));
}

/** The policies of one table that apply to `role` for `command` (ALL counts for every command). */
export function policiesFor(cat: Catalog, table: number, role: string, command: RlsCommand): { index: number; policy: CatalogPolicy }[] {
  const out: { index: number; policy: CatalogPolicy }[] = [];
  cat.policies.forEach((p, index) => {
    if (p.table !== table || (p.command !== 'all' && p.command !== command)) return;
    if (cat.appliesTo.get(index)?.has(role)) out.push({ index, policy: p });
  });
  return out;
}
