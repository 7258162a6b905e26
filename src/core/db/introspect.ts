/**
 * The live database's schema from pg_catalog: tables with columns, primary/foreign keys, indexes, row level
 * security and policies. One round of catalog queries (no per-table loop), so a schema of hundreds of tables
 * costs the same five queries. System schemas (pg_catalog, information_schema, pg_toast, pg_temp_*) are skipped.
 */
import type { QueryFn } from './explainTarget';

/**
 * Schemas a platform manages (Supabase's auth, storage, realtime …; extension schemas). Their tables are real and
 * can be asked for by name, but they are left out of "all tables" listings so the project's own tables come first.
 */
export const MANAGED_SCHEMAS = new Set([
  'auth', 'storage', 'realtime', '_realtime', 'supabase_functions', 'supabase_migrations', 'extensions', 'graphql', 'graphql_public',
  'pgsodium', 'pgsodium_masks', 'vault', 'net', '_analytics', 'cron', 'pgbouncer', 'pgtle', 'repack', 'topology', 'tiger', 'tiger_data',
]);

export const isManagedSchema = (schema: string): boolean => MANAGED_SCHEMAS.has(schema);

export interface LiveColumn {
  name: string;
  type: string;
  notNull: boolean;
  default?: string;
  identity?: boolean;
}

export interface LivePolicy {
  name: string;
  command: string;
  roles: string[];
  permissive: boolean;
  using?: string;
  withCheck?: string;
}

export interface LiveTable {
  schema: string;
  name: string;
  kind: 'table' | 'partitioned' | 'view' | 'materialized view' | 'foreign table';
  columns: LiveColumn[];
  primaryKey: string[];
  /** `pg_get_constraintdef` of each foreign key, e.g. `FOREIGN KEY (user_id) REFERENCES users(id)`. */
  foreignKeys: { name: string; definition: string }[];
  /** `pg_get_indexdef` of each index. */
  indexes: { name: string; definition: string }[];
  rlsEnabled: boolean;
  rlsForced: boolean;
  policies: LivePolicy[];
  /** The planner's row estimate (reltuples; -1 when never analysed). */
  estimatedRows: number;
}

export interface LiveSchema {
  tables: LiveTable[];
  serverVersion: string;
}

const SYSTEM = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname !~ '^pg_(temp|toast_temp)_'`;

/** Reads the schema through `q` (any session; read-only is fine). `schemas` limits it to those schemas. */
export async function introspect(q: QueryFn, opts: { schemas?: string[] } = {}): Promise<LiveSchema> {
  const schemaFilter = opts.schemas?.length ? ` and n.nspname = any($1::text[])` : '';
  const args = opts.schemas?.length ? [opts.schemas] : undefined;
  const version = String((await q(`select current_setting('server_version') as v`))[0]?.v ?? '');
  const rels = await q(
    `select c.oid::int8 as oid, n.nspname as schema, c.relname as name, c.relkind as kind, c.relrowsecurity as rls,
            c.relforcerowsecurity as forced, c.reltuples::float8 as rows
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r','p','v','m','f') and ${SYSTEM}${schemaFilter}
      order by n.nspname, c.relname`, args);
  const cols = await q(
    `select a.attrelid::int8 as oid, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull,
            pg_get_expr(d.adbin, d.adrelid) as def, a.attidentity <> '' as identity
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attnum > 0 and not a.attisdropped and c.relkind in ('r','p','v','m','f') and ${SYSTEM}${schemaFilter}
      order by a.attrelid, a.attnum`, args);
  const cons = await q(
    `select con.conrelid::int8 as oid, con.conname as name, con.contype as type, pg_get_constraintdef(con.oid) as def,
            (select array_agg(a.attname::text order by k.i) from unnest(con.conkey) with ordinality k(n, i)
               join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n) as cols
       from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      where con.contype in ('p','f') and ${SYSTEM}${schemaFilter}
      order by con.conrelid, con.conname`, args);
  const idx = await q(
    `select i.indrelid::int8 as oid, ic.relname as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class c on c.oid = i.indrelid
       join pg_namespace n on n.oid = c.relnamespace
      where ${SYSTEM}${schemaFilter}
      order by i.indrelid, ic.relname`, args);
  const pols = await q(
    `select p.polrelid::int8 as oid, p.polname as name, p.polcmd as cmd, p.polpermissive as permissive,
            coalesce((select array_agg(case when r = 0 then 'public' else pg_get_userbyid(r) end::text) from unnest(p.polroles) r), '{}') as roles,
            pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as check
       from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      where ${SYSTEM}${schemaFilter}
      order by p.polrelid, p.polname`, args);

  const byOid = new Map<string, LiveTable>();
  const kinds: Record<string, LiveTable['kind']> = { r: 'table', p: 'partitioned', v: 'view', m: 'materialized view', f: 'foreign table' };
  const tables: LiveTable[] = [];
  for (const r of rels) {
    const t: LiveTable = {
      schema: String(r.schema), name: String(r.name), kind: kinds[String(r.kind)] ?? 'table',
      columns: [], primaryKey: [], foreignKeys: [], indexes: [],
      rlsEnabled: r.rls === true, rlsForced: r.forced === true, policies: [], estimatedRows: Number(r.rows ?? -1),
    };
    byOid.set(String(r.oid), t);
    tables.push(t);
  }
  for (const c of cols) {
    const t = byOid.get(String(c.oid));
    if (!t) continue;
    t.columns.push({
      name: String(c.name), type: String(c.type), notNull: c.notnull === true,
      ...(c.def != null ? { default: String(c.def) } : {}),
      ...(c.identity === true ? { identity: true } : {}),
    });
  }
  for (const c of cons) {
    const t = byOid.get(String(c.oid));
    if (!t) continue;
    if (c.type === 'p') t.primaryKey = toArray(c.cols);
    else t.foreignKeys.push({ name: String(c.name), definition: String(c.def) });
  }
  for (const i of idx) byOid.get(String(i.oid))?.indexes.push({ name: String(i.name), definition: String(i.def) });
  const commands: Record<string, string> = { r: 'select', a: 'insert', w: 'update', d: 'delete', '*': 'all' };
  for (const p of pols) {
    byOid.get(String(p.oid))?.policies.push({
      name: String(p.name), command: commands[String(p.cmd)] ?? String(p.cmd), roles: toArray(p.roles), permissive: p.permissive !== false,
      ...(p.using != null ? { using: String(p.using) } : {}),
      ...(p.check != null ? { withCheck: String(p.check) } : {}),
    });
  }
  return { tables, serverVersion: version };
}

/** pg returns text[] as a JS array; PGlite may too — but a `{a,b}` literal is handled as well. */
function toArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v.startsWith('{')) return v.slice(1, -1).split(',').filter(Boolean).map((s) => s.replace(/^"|"$/g, ''));
  return [];
}

/** One table as compact text for a model: columns, keys, indexes, RLS and policies. */
export function describeLiveTable(t: LiveTable): string {
  const lines = [`${t.schema}.${t.name}${t.kind !== 'table' ? ` (${t.kind})` : ''}${t.estimatedRows >= 0 ? ` ~${Math.round(t.estimatedRows)} rows` : ''}`];
  for (const c of t.columns) {
    const notes = [t.primaryKey.includes(c.name) ? 'PK' : '', c.notNull && !t.primaryKey.includes(c.name) ? 'not null' : '',
      c.identity ? 'identity' : '', c.default !== undefined ? `default ${c.default}` : ''].filter(Boolean);
    lines.push(`  ${c.name} ${c.type}${notes.length ? ` (${notes.join(', ')})` : ''}`);
  }
  for (const f of t.foreignKeys) lines.push(`  FK ${f.name}: ${f.definition}`);
  for (const i of t.indexes) lines.push(`  index ${i.definition}`);
  if (t.kind === 'table' || t.kind === 'partitioned') {
    lines.push(`  row level security: ${t.rlsEnabled ? 'enabled' : 'DISABLED'}${t.rlsForced ? ' (forced)' : ''}`);
  }
  for (const p of t.policies) {
    lines.push(`  policy "${p.name}" ${p.permissive ? '' : 'restrictive '}${p.command.toUpperCase()} to ${p.roles.join(', ')}`
      + `${p.using ? ` using (${p.using})` : ''}${p.withCheck ? ` with check (${p.withCheck})` : ''}`);
  }
  return lines.join('\n');
}
