/**
 * `dbe rls --db URL`: the live database's schema as SQL, read from its catalog over a read-only session (no data,
 * nothing written there), to be applied to a fresh embedded database and simulated like migrations.
 *
 * Copied: the roles the schema's grants and policies name (as NOLOGIN roles), extensions, schemas, enums and
 * domains, functions (bodies unchecked at creation), tables with columns, defaults, identity and generated columns,
 * keys, CHECKs and foreign keys, triggers, row level security flags, policies, and the table grants of the API roles.
 * Supabase's own schemas (auth, storage, …) come from the embedded database's bootstrap instead. What does not
 * apply there is reported by the build, statement by statement.
 */
import type { Client } from 'pg';
import { quoteIdent } from '../sql/ddl';

const SUPABASE_SCHEMAS = ['auth', 'storage', 'extensions', 'graphql', 'graphql_public', 'realtime', 'vault', 'supabase_functions', 'supabase_migrations', 'pgbouncer', 'pgsodium', 'pgsodium_masks', 'net', 'cron', '_realtime', '_analytics', 'information_schema'];
const API_ROLES = ['anon', 'authenticated', 'service_role'];

type Row = Record<string, any>;

/** The schema of the copied schemas as one SQL script. */
export async function liveSchemaSql(client: Client, bootstrapRoles: Set<string>): Promise<string> {
  const q = async (sql: string, params: unknown[] = []): Promise<Row[]> => (await client.query(sql, params)).rows;
  const schemas = (await q(`select nspname from pg_namespace where nspname !~ '^pg_' and nspname <> all($1::text[]) order by 1`, [SUPABASE_SCHEMAS])).map((r) => String(r.nspname));
  const out: string[] = [`-- The schema of a live database, copied by dbe rls --db (no data).`, `set check_function_bodies = off;`];

  const roles = await q(`select rolname, rolbypassrls from pg_roles where rolname !~ '^pg_' and not rolsuper and rolname <> current_user order by 1`);
  for (const r of roles) if (!bootstrapRoles.has(r.rolname)) out.push(`create role ${quoteIdent(r.rolname)} nologin${r.rolbypassrls ? ' bypassrls' : ''};`);
  for (const s of schemas) out.push(`create schema if not exists ${quoteIdent(s)};`);
  for (const e of await q(`select e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql'`)) {
    out.push(`create extension if not exists ${quoteIdent(e.extname)} with schema ${quoteIdent(e.nspname)};`);
  }
  for (const t of await q(`select n.nspname, t.typname, array_agg(e.enumlabel order by e.enumsortorder) as labels from pg_type t join pg_namespace n on n.oid = t.typnamespace
      join pg_enum e on e.enumtypid = t.oid where n.nspname = any($1::text[]) group by 1, 2 order by 1, 2`, [schemas])) {
    out.push(`create type ${quoteIdent(t.nspname)}.${quoteIdent(t.typname)} as enum (${(t.labels as string[]).map(lit).join(', ')});`);
  }
  for (const d of await q(`select n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod) as base, t.typnotnull,
      array(select pg_get_constraintdef(c.oid) from pg_constraint c where c.contypid = t.oid) as checks
      from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.typtype = 'd' and n.nspname = any($1::text[]) order by 1, 2`, [schemas])) {
    out.push(`create domain ${quoteIdent(d.nspname)}.${quoteIdent(d.typname)} as ${d.base}${d.typnotnull ? ' not null' : ''}${(d.checks as string[]).map((c) => ` ${c}`).join('')};`);
  }
  for (const f of await q(`select pg_get_functiondef(p.oid) as def from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any($1::text[]) and p.prokind in ('f', 'p')
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') order by n.nspname, p.proname`, [schemas])) {
    out.push(`${String(f.def).trim()};`);
  }
  const tables = await q(`select c.oid, n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition and n.nspname = any($1::text[])
      and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e') order by 2, 3`, [schemas]);
  const name = (t: Row) => `${quoteIdent(t.nspname)}.${quoteIdent(t.relname)}`;
  const later: string[] = [];
  for (const t of tables) {
    const cols = await q(`select a.attname, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull, a.attidentity, a.attgenerated,
        pg_get_expr(d.adbin, d.adrelid) as def from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped order by a.attnum`, [t.oid]);
    const lines = cols.map((c) => {
      let l = `  ${quoteIdent(c.attname)} ${c.type}`;
      if (c.attgenerated === 's') l += ` generated always as (${c.def}) stored`;
      else if (c.attidentity) l += ` generated ${c.attidentity === 'a' ? 'always' : 'by default'} as identity`;
      else if (c.def) l += ` default ${c.def}`;
      return l + (c.attnotnull ? ' not null' : '');
    });
    out.push(`create table ${name(t)} (\n${lines.join(',\n')}\n);`);
    for (const c of await q(`select conname, contype, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = $1 and contype in ('p', 'u', 'c', 'f', 'x') order by contype = 'f', conname`, [t.oid])) {
      (c.contype === 'f' ? later : out).push(`alter table ${name(t)} add constraint ${quoteIdent(c.conname)} ${c.def};`);
    }
    for (const g of await q(`select pg_get_triggerdef(oid) as def from pg_trigger where tgrelid = $1 and not tgisinternal`, [t.oid])) later.push(`${g.def};`);
    if (t.relrowsecurity) later.push(`alter table ${name(t)} enable row level security;`);
    if (t.relforcerowsecurity) later.push(`alter table ${name(t)} force row level security;`);
    for (const p of await q(`select polname, polpermissive, polcmd, pg_get_expr(polqual, polrelid) as qual, pg_get_expr(polwithcheck, polrelid) as wc,
        array(select case when r = 0 then 'public' else quote_ident(pg_get_userbyid(r)) end from unnest(polroles) r) as roles from pg_policy where polrelid = $1`, [t.oid])) {
      const cmd = { r: 'select', a: 'insert', w: 'update', d: 'delete', '*': 'all' }[String(p.polcmd)] ?? 'all';
      later.push(`create policy ${quoteIdent(p.polname)} on ${name(t)} as ${p.polpermissive ? 'permissive' : 'restrictive'} for ${cmd} to ${(p.roles as string[]).join(', ')}`
        + `${p.qual ? ` using (${p.qual})` : ''}${p.wc ? ` with check (${p.wc})` : ''};`);
    }
  }
  // Grants as the live database has them: the embedded bootstrap's default grants are taken back first.
  if (tables.length) later.push(`revoke all on all tables in schema ${schemas.map(quoteIdent).join(', ')} from ${API_ROLES.join(', ')};`);
  const grantees = [...API_ROLES, ...roles.map((r) => String(r.rolname)).filter((r) => !bootstrapRoles.has(r))];
  for (const g of await q(`select grantee, table_schema, table_name, string_agg(privilege_type, ', ') as privs from information_schema.role_table_grants
      where table_schema = any($1::text[]) and grantee = any($2::text[]) group by 1, 2, 3 order by 1, 2, 3`, [schemas, grantees])) {
    later.push(`grant ${g.privs} on ${quoteIdent(g.table_schema)}.${quoteIdent(g.table_name)} to ${quoteIdent(g.grantee)};`);
  }
  for (const s of schemas) later.push(`grant usage on schema ${quoteIdent(s)} to ${grantees.map(quoteIdent).join(', ')};`);
  return [...out, ...later].join('\n') + '\n';
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
