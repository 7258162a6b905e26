/**
 * Synthetic rows for the embedded database, so plans are shaped by data rather than by empty tables.
 *
 * Tables fill parents before children (topological order of foreign keys); a foreign key column takes existing
 * parent keys (distinct ones first, so one-to-one keys stay unique); values follow the column type and are unique
 * per row where the type allows (g-based), so primary keys and unique constraints hold. Each table is one set-based
 * INSERT … SELECT over generate_series; if a CHECK or other constraint rejects that, the rows go in one by one and
 * the rejected ones are skipped. User triggers are off while filling (session_replication_role = replica), so a
 * trigger that inserts elsewhere cannot collide with rows we generate there.
 */
import type { PGlite } from './pgliteRuntime';
import { quoteIdent } from '../sql/ddl';

interface Column {
  name: string;
  type: string;
  base: string;
  category: string;
  notNull: boolean;
  hasDefault: boolean;
  identity: string;
  generated: string;
  enumValues: string[] | null;
}

interface Table {
  oid: number;
  qualified: string;
  columns: Column[];
  fks: { parent: number; pairs: { child: string; parent: string }[] }[];
  uniqueCols: Set<string>;
  /** Single-column CHECK constraint texts (pg_get_constraintdef), by column. */
  checks: Map<string, string[]>;
}

const SKIP_SCHEMAS = `('pg_catalog','information_schema','pg_toast','extensions','realtime','graphql_public')`;

/** Fills every user table with up to `rows` rows. Returns one message per table that could not be (fully) filled. */
export async function fillSyntheticRows(db: PGlite, opts: { rows: number }): Promise<string[]> {
  const tables = await introspect(db);
  const problems: string[] = [];
  await db.exec(`set session_replication_role = replica`);
  try {
    for (const t of order(tables)) {
      const msg = await fillTable(db, t, tables, opts.rows);
      if (msg) problems.push(msg);
    }
  } finally {
    await db.exec(`reset session_replication_role`);
  }
  return problems;
}

async function introspect(db: PGlite): Promise<Map<number, Table>> {
  const cols = await db.query<{ oid: number; qualified: string } & Record<string, unknown>>(`
    select c.oid::int as oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname) as qualified,
      a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
      coalesce(bt.typname, t.typname) as base, coalesce(bt.typcategory, t.typcategory)::text as category,
      a.attnotnull as "notNull", a.atthasdef as "hasDefault", a.attidentity::text as identity, a.attgenerated::text as generated,
      (select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = a.atttypid) as "enumValues"
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    join pg_type t on t.oid = a.atttypid left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
    where c.relkind in ('r', 'p') and not c.relispartition and n.nspname not in ${SKIP_SCHEMAS} and n.nspname not like 'pg_temp%'
    order by c.oid, a.attnum`);
  const tables = new Map<number, Table>();
  for (const r of cols.rows) {
    let t = tables.get(r.oid);
    if (!t) tables.set(r.oid, (t = { oid: r.oid, qualified: r.qualified, columns: [], fks: [], uniqueCols: new Set(), checks: new Map() }));
    t.columns.push(r as unknown as Column);
  }
  const fks = await db.query<{ con: number; child_rel: number; parent_rel: number; child: string; parent: string }>(`
    select con.oid::int as con, con.conrelid::int as child_rel, con.confrelid::int as parent_rel, ca.attname as child, pa.attname as parent
    from pg_constraint con
    cross join lateral unnest(con.conkey, con.confkey) with ordinality k(ck, pk, n)
    join pg_attribute ca on ca.attrelid = con.conrelid and ca.attnum = k.ck
    join pg_attribute pa on pa.attrelid = con.confrelid and pa.attnum = k.pk
    where con.contype = 'f' order by con.oid, k.n`);
  const byCon = new Map<number, Table['fks'][number]>();
  for (const r of fks.rows) {
    const t = tables.get(r.child_rel);
    if (!t) continue;
    let fk = byCon.get(r.con);
    if (!fk) { byCon.set(r.con, (fk = { parent: r.parent_rel, pairs: [] })); t.fks.push(fk); }
    fk.pairs.push({ child: r.child, parent: r.parent });
  }
  const uniq = await db.query<{ rel: number; name: string }>(`
    select i.indrelid::int as rel, a.attname as name from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indisunique and i.indnatts = 1`);
  for (const r of uniq.rows) tables.get(r.rel)?.uniqueCols.add(r.name);
  const checks = await db.query<{ rel: number; name: string; def: string }>(`
    select con.conrelid::int as rel, a.attname as name, pg_get_constraintdef(con.oid) as def from pg_constraint con
    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
    where con.contype = 'c' and array_length(con.conkey, 1) = 1`);
  for (const r of checks.rows) {
    const t = tables.get(r.rel);
    if (t) t.checks.set(r.name, [...(t.checks.get(r.name) ?? []), r.def]);
  }
  return tables;
}

/** Parents before children; self-references and cycles do not block (those FK columns get NULL where allowed). */
function order(tables: Map<number, Table>): Table[] {
  const out: Table[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (t: Table) => {
    if (state.get(t.oid)) return;
    state.set(t.oid, 'visiting');
    for (const fk of t.fks) {
      const p = tables.get(fk.parent);
      if (p && p.oid !== t.oid && !state.get(p.oid)) visit(p);
    }
    state.set(t.oid, 'done');
    out.push(t);
  };
  for (const t of tables.values()) visit(t);
  return out;
}

async function fillTable(db: PGlite, t: Table, tables: Map<number, Table>, wanted: number): Promise<string | undefined> {
  const existing = Number((await db.query<{ n: number }>(`select count(*)::int as n from ${t.qualified}`)).rows[0]!.n);
  if (existing > 0) return undefined; // seeded by a migration: keep it as it is
  let rows = wanted;
  const joins: string[] = [];
  const fkExpr = new Map<string, string>();
  for (let k = 0; k < t.fks.length; k++) {
    const fk = t.fks[k]!;
    const parent = tables.get(fk.parent);
    const nullable = fk.pairs.every((p) => !t.columns.find((c) => c.name === p.child)?.notNull);
    const count = parent && parent.oid !== t.oid ? Number((await db.query<{ n: number }>(`select count(*)::int as n from ${parent.qualified}`)).rows[0]!.n) : 0;
    if (count === 0) {
      if (!nullable) return `${t.qualified}: no rows — its foreign key to ${parent?.qualified ?? 'a table'} needs parent rows and none exist.`;
      for (const p of fk.pairs) fkExpr.set(p.child, 'null');
      continue;
    }
    // A unique FK (one-to-one) can take each parent once.
    if (fk.pairs.some((p) => t.uniqueCols.has(p.child))) rows = Math.min(rows, count);
    const alias = `fk${k}`;
    const cols = fk.pairs.map((p) => `p.${quoteIdent(p.parent)}`).join(', ');
    joins.push(`cross join lateral (select ${cols} from ${parent!.qualified} p offset ((g - 1 + ${k * 7}) % ${count}) limit 1) ${alias}`);
    for (const p of fk.pairs) fkExpr.set(p.child, `${alias}.${quoteIdent(p.parent)}`);
  }
  const names: string[] = [];
  const exprs: string[] = [];
  for (const c of t.columns) {
    if (c.generated || c.identity === 'a') continue;
    const fk = fkExpr.get(c.name);
    const expr = fk ?? (c.hasDefault ? undefined : checkedValue(c, t.checks.get(c.name) ?? []) ?? valueFor(c, t.qualified));
    if (expr === undefined) continue;
    names.push(quoteIdent(c.name));
    exprs.push(`(${expr})::${c.type}`);
  }
  const select = `select ${exprs.join(', ') || 'null'} from generate_series(1, ${rows}) g ${joins.join(' ')}`;
  const insert = names.length ? `insert into ${t.qualified} (${names.join(', ')}) ${select}` : `insert into ${t.qualified} select from generate_series(1, ${rows}) g`;
  try {
    await db.exec(insert);
    return undefined;
  } catch (setErr) {
    // Row by row, skipping rows a CHECK (or anything else) rejects.
    const oneByOne = `do $fill$ declare ok int := 0; begin for i in 1..${rows} loop begin
      ${insert.replace(`generate_series(1, ${rows}) g`, 'generate_series(i, i) g')}; ok := ok + 1;
      exception when others then null; end; end loop; end $fill$`;
    try {
      await db.exec(oneByOne);
    } catch {
      /* reported below */
    }
    const n = Number((await db.query<{ n: number }>(`select count(*)::int as n from ${t.qualified}`)).rows[0]!.n);
    return n === 0 ? `${t.qualified}: no rows — ${(setErr as Error).message}` : n < rows ? `${t.qualified}: ${n} of ${rows} rows — others broke a constraint (${(setErr as Error).message})` : undefined;
  }
}

/** A value expression of `g` (1..N) for a column without default or FK: distinct per row where the type allows. */
function valueFor(c: Column, table: string): string | undefined {
  if (c.enumValues && c.enumValues.length > 0) {
    return `(array[${c.enumValues.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}])[1 + (g - 1) % ${c.enumValues.length}]`;
  }
  const len = /\((\d+)\)/.exec(c.type)?.[1];
  switch (c.base) {
    case 'int2': return '(g % 32000)';
    case 'int4': case 'int8': case 'oid': return 'g';
    case 'numeric': case 'float4': case 'float8': case 'money': return '(g % 1000) + 0.5';
    case 'bool': return '(g % 2 = 0)';
    case 'uuid': return `md5('${table.replace(/'/g, "''")}' || g)::uuid`;
    case 'text': case 'varchar': case 'bpchar': case 'citext': case 'name': {
      const v = `'${c.name.replace(/'/g, "''")} ' || g`;
      return len ? `right(${v}, ${len})` : v;
    }
    case 'date': return `current_date - (g % 3650)`;
    case 'timestamp': case 'timestamptz': return `now() - g * interval '1 minute'`;
    case 'time': case 'timetz': return `time '00:00' + g * interval '1 second'`;
    case 'interval': return `g * interval '1 minute'`;
    case 'json': case 'jsonb': return `json_build_object('n', g)`;
    case 'bytea': return `decode(md5(g::text), 'hex')`;
    case 'inet': case 'cidr': return `'10.0.0.0'::inet + g`;
    case 'vector': {
      const dim = Number(len ?? 3);
      return `('[' || array_to_string(array_fill((g % 100) / 100.0, array[${dim}]), ',') || ']')`;
    }
  }
  if (c.category === 'A') return `'{}'`;
  return c.notNull ? undefined : 'null';
}

/**
 * Values inside the simple single-column CHECKs people write: numeric bounds (`between`, `>=`, `<`, …) and lists
 * (`in (…)`, which PostgreSQL shows as `= ANY (ARRAY[…])`). Anything else falls back to the type's generator.
 */
function checkedValue(c: Column, defs: string[]): string | undefined {
  if (defs.length === 0) return undefined;
  const col = c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let lo = -Infinity, hi = Infinity;
  let list: string[] | undefined;
  for (const def of defs) {
    for (const m of def.matchAll(new RegExp(`\\(?"?${col}"?\\)?\\s*(>=|>|<=|<)\\s*\\(?'?(-?\\d+(?:\\.\\d+)?)`, 'g'))) {
      const v = Number(m[2]);
      if (m[1] === '>=') lo = Math.max(lo, v);
      else if (m[1] === '>') lo = Math.max(lo, Math.floor(v) + 1);
      else if (m[1] === '<=') hi = Math.min(hi, v);
      else hi = Math.min(hi, Math.ceil(v) - 1);
    }
    const any = new RegExp(`"?${col}"?\\)?(?:::\\w+)?\\s*=\\s*ANY\\s*\\(\\(?ARRAY\\[(.*?)\\]`).exec(def);
    if (any) list = [...any[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!);
  }
  if (list && list.length > 0) return `(array[${list.map((v) => `'${v}'`).join(',')}])[1 + (g - 1) % ${list.length}]`;
  if (lo === -Infinity && hi === Infinity) return undefined;
  if (!['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(c.base)) return undefined;
  const from = lo === -Infinity ? Math.min(0, hi) : lo;
  const to = hi === Infinity ? from + 1_000_000 : hi;
  if (to < from) return undefined;
  return `${from} + (g - 1) % ${Math.floor(to - from) + 1}`;
}
