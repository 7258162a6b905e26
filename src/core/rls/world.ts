/**
 * Synthetic tenants: a small multi-tenant world seeded into a private copy of the embedded database.
 *
 * - Users: A (the caller the matrix runs as), B (another tenant) and C (A's teammate, so "A's own rows" and "A's
 *   tenant's rows" can be told apart) in `auth.users`.
 * - Ownership is read from the schema: a *user table* is `auth.users` or one keyed by a foreign key to a user table
 *   (profiles); a *user column* references a user table, or is compared with `auth.uid()` by a policy; a *tenant root*
 *   is a table a membership table (a user column and a foreign key under one key, or a name like `memberships`) points
 *   at; a table belongs to a tenant through its foreign keys towards a root.
 * - Every exposed table (and every table they reference) gets rows by class: `own` (A's, in A's tenant), `team`
 *   (C's, in A's tenant), `other` (B's, in B's tenant) and `nobody` (no owner, no tenant) where the schema has those
 *   notions and allows them. A foreign key takes the parent row of the same class, so the world is consistent.
 * - Rows go in with triggers and foreign-key triggers off (session_replication_role = replica) after the tables are
 *   emptied: the seed data of the migrations would blur who owns what.
 */
import type { PGlite } from '../db/pgliteRuntime';
import { checkedValue, order, valueFor } from '../db/synthetic';
import { quoteIdent as quote } from '../sql/ddl';
import type { Catalog, CatalogTable } from './catalog';
import type { RowClass, SeedReport } from './types';

export const USER_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
export const USER_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
export const USER_C = 'cccccccc-0000-4000-8000-00000000000c';
const USER_OF: Record<RowClass, string | null> = { own: USER_A, team: USER_C, other: USER_B, nobody: null };

export interface Ownership {
  /** Columns holding the owner (user id). */
  userColumns: string[];
  /** FK child columns from this table towards its tenant root, first hop first (empty for a root). */
  tenantPath?: string[];
  /** The same path as single-column hops, for writing a tenant condition (absent when a hop has several columns). */
  tenantHops?: { child: string; parent: number; parentColumn: string }[];
  /** No owner column here, but a foreign key to a table that has an owner (chunks of a document). */
  ownerVia?: { child: string; parent: number; parentColumn: string };
  /** For a tenant root: the membership table that points at it. */
  membership?: { table: number; userColumn: string; tenantColumn: string };
  tenantRoot: boolean;
  userTable: boolean;
}

export interface SeededRow {
  cls: RowClass;
  ctid: string;
  /** The row as JSON (to_jsonb), for re-inserting it in INSERT probes. */
  json: Record<string, unknown>;
}

export interface World {
  ownership: Map<number, Ownership>;
  rows: Map<number, SeededRow[]>;
  report: SeedReport;
}

const FALLBACK: Record<RowClass, RowClass[]> = { own: ['own', 'team'], team: ['team', 'own'], other: ['other'], nobody: ['nobody'] };

/** Reads who owns what (see the file comment). */
export function analyzeOwnership(cat: Catalog): Map<number, Ownership> {
  const tables = cat.tables;
  // Columns the policies compare with auth.uid().
  const uidColumns = new Map<number, Set<string>>();
  for (const p of cat.policies) {
    const t = tables.get(p.table);
    if (!t) continue;
    for (const c of uidComparedColumns(`${p.using ?? ''} ${p.withCheck ?? ''}`)) {
      if (t.columns.some((x) => x.name === c && x.base === 'uuid')) {
        if (!uidColumns.has(t.oid)) uidColumns.set(t.oid, new Set());
        uidColumns.get(t.oid)!.add(c);
      }
    }
  }
  // User tables: auth.users, and tables keyed by a user id (profiles.id → auth.users.id, or an id policies compare
  // with auth.uid()), to a fixpoint.
  const users = new Set<number>();
  for (const t of tables.values()) {
    if (t.key === 'auth.users' || (t.primaryKey.length === 1 && uidColumns.get(t.oid)?.has(t.primaryKey[0]!))) users.add(t.oid);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const t of tables.values()) {
      if (users.has(t.oid) || t.primaryKey.length !== 1) continue;
      if (t.fks.some((fk) => users.has(fk.parent) && fk.pairs.length === 1 && fk.pairs[0]!.child === t.primaryKey[0])) {
        users.add(t.oid);
        changed = true;
      }
    }
  }
  const userColumns = new Map<number, string[]>();
  for (const t of tables.values()) {
    const cols = new Set<string>(uidColumns.get(t.oid) ?? []);
    if (t.key === 'auth.users') cols.add('id');
    for (const fk of t.fks) if (users.has(fk.parent) && fk.pairs.length === 1) cols.add(fk.pairs[0]!.child);
    userColumns.set(t.oid, [...cols]);
  }
  // Tenant roots: what membership tables point at.
  const roots = new Set<number>();
  const memberships = new Map<number, Ownership['membership']>();
  for (const t of tables.values()) {
    if (users.has(t.oid)) continue;
    const ucols = userColumns.get(t.oid) ?? [];
    if (ucols.length === 0) continue;
    for (const fk of t.fks) {
      if (users.has(fk.parent) || fk.parent === t.oid) continue;
      const childCols = fk.pairs.map((p) => p.child);
      const keyed = t.keys.some((k) => ucols.some((u) => k.includes(u)) && childCols.every((c) => k.includes(c)));
      if (keyed || /member|participant|collaborator|team_user|user_team|org_user|user_org/i.test(t.name)) {
        roots.add(fk.parent);
        if (!memberships.has(fk.parent) && fk.pairs.length === 1) memberships.set(fk.parent, { table: t.oid, userColumn: ucols[0]!, tenantColumn: fk.pairs[0]!.child });
      }
    }
  }
  // Owned through a parent: the first NOT NULL single-column foreign key to an owned table (to a fixpoint).
  const ownerVia = new Map<number, NonNullable<Ownership['ownerVia']>>();
  const owned = (oid: number) => (userColumns.get(oid)?.length ?? 0) > 0 || ownerVia.has(oid);
  for (let changed = true; changed;) {
    changed = false;
    for (const t of tables.values()) {
      if (owned(t.oid) || roots.has(t.oid)) continue;
      const fk = t.fks.find((f) => f.parent !== t.oid && f.pairs.length === 1 && owned(f.parent) && !roots.has(f.parent)
        && t.columns.find((c) => c.name === f.pairs[0]!.child)?.notNull);
      if (fk) {
        ownerVia.set(t.oid, { child: fk.pairs[0]!.child, parent: fk.parent, parentColumn: fk.pairs[0]!.parent });
        changed = true;
      }
    }
  }
  const out = new Map<number, Ownership>();
  for (const t of tables.values()) {
    const via = ownerVia.get(t.oid);
    const m = memberships.get(t.oid);
    out.set(t.oid, { userColumns: userColumns.get(t.oid) ?? [], tenantRoot: roots.has(t.oid), userTable: users.has(t.oid), ...(m ? { membership: m } : {}), ...(via ? { ownerVia: via } : {}), ...tenantPathOf(t, tables, users, roots) });
  }
  return out;
}

/** Shortest chain of foreign keys (not through user tables) to a tenant root. */
function tenantPathOf(t: CatalogTable, tables: Map<number, CatalogTable>, users: Set<number>, roots: Set<number>): Pick<Ownership, 'tenantPath' | 'tenantHops'> {
  if (roots.has(t.oid)) return { tenantPath: [], tenantHops: [] };
  type Hop = NonNullable<Ownership['tenantHops']>[number];
  const seen = new Set([t.oid]);
  let frontier: { oid: number; path: string[]; hops?: Hop[] }[] = [{ oid: t.oid, path: [], hops: [] }];
  while (frontier.length) {
    const next: typeof frontier = [];
    for (const f of frontier) {
      for (const fk of tables.get(f.oid)?.fks ?? []) {
        if (users.has(fk.parent) || seen.has(fk.parent)) continue;
        seen.add(fk.parent);
        const path = [...f.path, fk.pairs.map((p) => p.child).join(',')];
        const hops = f.hops && fk.pairs.length === 1 ? [...f.hops, { child: fk.pairs[0]!.child, parent: fk.parent, parentColumn: fk.pairs[0]!.parent }] : undefined;
        if (roots.has(fk.parent)) return { tenantPath: path, ...(hops ? { tenantHops: hops } : {}) };
        next.push({ oid: fk.parent, path, ...(hops ? { hops } : {}) });
      }
    }
    frontier = next;
  }
  return {};
}

/** Columns a policy expression compares with auth.uid(), as PostgreSQL deparses it. */
export function uidComparedColumns(expr: string): string[] {
  const uid = String.raw`\(?\s*(?:\(\s*SELECT\s+)?auth\.uid\(\)(?:\s+AS\s+\w+)?\s*\)?`;
  const col = String.raw`"?([a-z_][\w$]*)"?`;
  const out = new Set<string>();
  for (const m of expr.matchAll(new RegExp(`${uid}\\s*=\\s*${col}`, 'gi'))) out.add(m[1]!);
  for (const m of expr.matchAll(new RegExp(`${col}\\s*=\\s*${uid}`, 'gi'))) out.add(m[1]!);
  return [...out].filter((c) => !/^(select|auth|uid|as)$/i.test(c));
}

/** The row classes a table gets, given what it knows about owners and tenants. */
function classesOf(o: Ownership): RowClass[] {
  if (o.userTable) return ['own', 'team', 'other'];
  if (o.tenantRoot) return ['own', 'other'];
  const user = o.userColumns.length > 0 || o.ownerVia !== undefined;
  const tenant = o.tenantPath !== undefined;
  if (user && tenant) return ['own', 'team', 'other', 'nobody'];
  if (user) return ['own', 'other', 'nobody'];
  if (tenant) return ['team', 'other', 'nobody'];
  return ['nobody', 'nobody'];
}

/** Empties the exposed tables (and what they reference) and seeds the world. Runs on a private copy only. */
export async function seedWorld(db: PGlite, cat: Catalog, ownership: Map<number, Ownership>): Promise<World> {
  // The exposed tables and every table they reference, parents first.
  const wanted = new Map<number, CatalogTable>();
  const add = (t: CatalogTable) => {
    if (wanted.has(t.oid)) return;
    wanted.set(t.oid, t);
    for (const fk of t.fks) {
      const p = cat.tables.get(fk.parent);
      if (p) add(p);
    }
  };
  cat.exposed.forEach(add);
  const ordered = order(wanted) as CatalogTable[];
  const report: SeedReport = { users: { a: USER_A, b: USER_B, teammate: USER_C }, tables: {}, problems: [], notes: [] };
  const rows = new Map<number, SeededRow[]>();
  if (ordered.length === 0) return { ownership, rows, report };
  await db.exec(`truncate ${ordered.map((t) => t.qualified).join(', ')} cascade`);
  await db.exec(`set session_replication_role = replica`);
  let g = 1;
  try {
    for (const t of ordered) {
      const o = ownership.get(t.oid)!;
      const seeded: SeededRow[] = [];
      rows.set(t.oid, seeded);
      const counts: Partial<Record<RowClass, number>> = {};
      for (const cls of classesOf(o)) {
        const built = buildInsert(t, cls, o, wanted, rows, g++);
        if (typeof built === 'string') {
          (cls === 'nobody' ? report.notes : report.problems).push(`${t.key}: no ${describeClass(cls)} row — ${built}`);
          continue;
        }
        try {
          const r = await db.query<{ ctid: string; row: Record<string, unknown> }>(built.sql, built.params);
          seeded.push({ cls, ctid: r.rows[0]!.ctid, json: r.rows[0]!.row });
          counts[cls] = (counts[cls] ?? 0) + 1;
        } catch (err) {
          report.problems.push(`${t.key}: no ${describeClass(cls)} row — ${(err as Error).message}`);
        }
      }
      report.tables[t.key] = counts;
      if (o.tenantRoot && !report.tenants) {
        const key = t.primaryKey[0];
        const a = seeded.find((r) => r.cls === 'own')?.json[key ?? ''];
        const b = seeded.find((r) => r.cls === 'other')?.json[key ?? ''];
        if (a !== undefined && b !== undefined) report.tenants = { table: t.key, a: String(a), b: String(b) };
      }
    }
  } finally {
    await db.exec(`reset session_replication_role`);
  }
  return { ownership, rows, report };
}

export function describeClass(cls: RowClass): string {
  return cls === 'own' ? "A's" : cls === 'team' ? "A's tenant's" : cls === 'other' ? "B's" : 'unowned';
}

/** The INSERT for one seeded row, or why it cannot exist. */
function buildInsert(t: CatalogTable, cls: RowClass, o: Ownership, tables: Map<number, CatalogTable>, rows: Map<number, SeededRow[]>, g: number): { sql: string; params: unknown[] } | string {
  const fkValue = new Map<string, unknown>();
  for (const fk of t.fks) {
    const parentRows = rows.get(fk.parent) ?? [];
    const parent = tables.get(fk.parent);
    // Reference data (a parent whose rows have no owner) serves every class.
    const unowned = parentRows.length > 0 && parentRows.every((r) => r.cls === 'nobody');
    const pick = unowned ? parentRows[0] : FALLBACK[cls].map((c) => parentRows.find((r) => r.cls === c)).find(Boolean);
    if (fk.parent === t.oid || !pick) {
      const required = fk.pairs.filter((p) => t.columns.find((c) => c.name === p.child)?.notNull);
      if (required.length > 0) {
        return `${required.map((p) => p.child).join(', ')} must reference ${parent?.key ?? 'another table'}, which has no ${describeClass(cls)} row`;
      }
      for (const p of fk.pairs) fkValue.set(p.child, null);
      continue;
    }
    for (const p of fk.pairs) fkValue.set(p.child, pick.json[p.parent]);
  }
  const names: string[] = [];
  const exprs: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown, type: string) => {
    params.push(v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));
    return `$${params.length}::${type}`;
  };
  for (const c of t.columns) {
    if (c.generated || c.identity === 'a') continue;
    let expr: string | undefined;
    if (fkValue.has(c.name)) expr = param(fkValue.get(c.name), c.type);
    else if (o.userColumns.includes(c.name)) {
      const user = USER_OF[cls];
      if (user === null && c.notNull) return `${c.name} (the owner) is NOT NULL`;
      expr = param(user, c.type);
    } else if (!c.hasDefault) {
      const v = checkedValue(c, t.checks.get(c.name) ?? []) ?? valueFor(c, t.qualified);
      if (v !== undefined) expr = `(${v})::${c.type}`;
    }
    if (expr === undefined) continue;
    names.push(quote(c.name));
    exprs.push(expr);
  }
  const body = names.length ? `(${names.join(', ')}) select ${exprs.join(', ')} from (select ${g}::int as g) s` : 'default values';
  return { sql: `insert into ${t.qualified} as r ${body} returning r.ctid::text as ctid, to_jsonb(r) as row`, params };
}
