/**
 * The matrix: every (table, role) runs in one transaction that is rolled back, as that role with its JWT claims, and
 * every probe inside it in a savepoint that is rolled back too. SELECT reads the seeded rows; UPDATE and DELETE aim at
 * each seeded row (A's, the teammate's, B's, the unowned one) by ctid; INSERT re-inserts each seeded row after
 * deleting it as the owner (with triggers off, so nothing cascades), i.e. it inserts a row claiming that owner.
 *
 * Which policy decided: before the probes, the same transaction switches RLS off on the table (in a savepoint, as
 * the owner), becomes the role and evaluates every applicable policy's USING and WITH CHECK on every seeded row. The
 * expressions run exactly as inside the policy (same role, same claims, other tables' RLS applying), so each row gets
 * the truth value of each policy, and the outcome the probe measured is attributed to the policies that produced it.
 */
import type { PGlite } from '../db/pgliteRuntime';
import { quoteIdent } from '../db/explain';
import { policiesFor, type Catalog, type CatalogPolicy, type CatalogTable } from './catalog';
import { describeClass, type Ownership, type SeededRow, type World } from './world';
import { RLS_COMMANDS, type AccessCell, type ProbeOutcome, type RlsCommand, type RowClass, type RowProbe, type RowsReached } from './types';

export interface RoleSpec {
  name: string;
  /** request.jwt.claims for this role. */
  claims: Record<string, unknown>;
  /** True for `authenticated` as user A: own/tenant distinctions apply. */
  identity: boolean;
}

export interface TableProbe {
  cells: AccessCell[];
  /** policy index → (role, command) → row classes it let through. */
  lets: Map<number, Map<string, Set<RowClass>>>;
  /** SELECT as A with forged user_metadata: what it reached (only for tables whose policies read user_metadata). */
  forged?: { claims: Record<string, unknown>; rows: RowClass[]; baseline: RowClass[]; policies: string[] };
}

type Values = Map<string, Map<string, boolean | null>>; // ctid → column → value

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Runs the matrix of one table for every role. */
export async function probeTable(db: PGlite, cat: Catalog, world: World, table: CatalogTable, roles: RoleSpec[]): Promise<TableProbe> {
  const rows = world.rows.get(table.oid) ?? [];
  const ownership = world.ownership.get(table.oid)!;
  const out: TableProbe = { cells: [], lets: new Map() };
  const updateColumn = table.columns.find((c) => !c.generated && c.identity !== 'a' && !table.primaryKey.includes(c.name))
    ?? table.columns.find((c) => !c.generated && c.identity !== 'a');
  const insertColumns = table.columns.filter((c) => !c.generated && c.identity !== 'a').map((c) => quoteIdent(c.name));
  for (const role of roles) {
    await db.exec(`begin; select set_config('request.jwt.claims', ${lit(JSON.stringify(role.claims))}, true), `
      + `set_config('request.jwt.claim.sub', ${lit(String(role.claims.sub ?? ''))}, true), set_config('request.jwt.claim.role', ${lit(String(role.claims.role ?? role.name))}, true)`);
    try {
      const bypass = cat.bypass.has(role.name);
      const values = table.rls && !bypass ? await evaluatePolicies(db, cat, table, role.name) : undefined;
      await db.exec(`set local role ${quoteIdent(role.name)}`);
      for (const command of RLS_COMMANDS) {
        let probes: RowProbe[];
        if (command === 'select') probes = await probeSelect(db, table, rows);
        else if (command === 'update') probes = updateColumn ? await probeEach(db, rows, (r) => `update ${table.qualified} set ${quoteIdent(updateColumn.name)} = ${quoteIdent(updateColumn.name)} where ctid = '${r.ctid}'`) : [];
        else if (command === 'delete') probes = await probeEach(db, rows, (r) => `delete from ${table.qualified} where ctid = '${r.ctid}'`);
        else {
          probes = await probeEach(db, rows, (r) => `set local role none; set local session_replication_role = replica; delete from ${table.qualified} where ctid = '${r.ctid}'; `
            + `set local session_replication_role = origin; set local role ${quoteIdent(role.name)}; `
            + `insert into ${table.qualified} (${insertColumns.join(', ')}) select ${insertColumns.join(', ')} from jsonb_populate_record(null::${table.qualified}, ${lit(JSON.stringify(r.json))}::jsonb)`);
        }
        out.cells.push(cell(cat, table, ownership, role, command, probes, rows, values, bypass, out.lets));
      }
      if (role.identity && values) {
        const forged = forgedClaims(cat, table, role);
        if (forged) {
          await db.exec(`select set_config('request.jwt.claims', ${lit(JSON.stringify(forged.claims))}, true)`);
          const seen = (await probeSelect(db, table, rows)).filter((p) => p.outcome === 'reached').map((p) => p.row);
          const baseline = out.cells.find((c) => c.role === role.name && c.command === 'select')?.probes?.filter((p) => p.outcome === 'reached').map((p) => p.row) ?? [];
          out.forged = { claims: forged.claims, rows: seen, baseline, policies: forged.policies };
        }
      }
    } finally {
      await db.exec('rollback');
    }
  }
  return out;
}

/** Per seeded row, the truth value of each applicable policy's USING (`u<i>`) and WITH CHECK (`c<i>`) for the role. */
async function evaluatePolicies(db: PGlite, cat: Catalog, table: CatalogTable, role: string): Promise<Values | undefined> {
  const exprs: string[] = [];
  cat.policies.forEach((p, i) => {
    if (p.table !== table.oid || !cat.appliesTo.get(i)?.has(role)) return;
    if (p.using) exprs.push(`(${p.using})::boolean as u${i}`);
    if (p.withCheck) exprs.push(`(${p.withCheck})::boolean as c${i}`);
  });
  if (exprs.length === 0) return new Map();
  try {
    const res = await db.exec(`savepoint ex; alter table ${table.qualified} disable row level security; set local role ${quoteIdent(role)}; `
      + `select ctid::text as ctid, ${exprs.join(', ')} from ${table.qualified}; rollback to savepoint ex`);
    const values: Values = new Map();
    for (const row of res[3]!.rows as Record<string, unknown>[]) {
      const m = new Map<string, boolean | null>();
      for (const [k, v] of Object.entries(row)) if (k !== 'ctid') m.set(k, v as boolean | null);
      values.set(String(row.ctid), m);
    }
    return values;
  } catch {
    await db.exec('rollback to savepoint ex');
    return undefined; // a policy that cannot be evaluated per row (e.g. it reads a table the role may not): no attribution
  }
}

async function probeSelect(db: PGlite, table: CatalogTable, rows: SeededRow[]): Promise<RowProbe[]> {
  try {
    const res = await db.exec(`savepoint p; select ctid::text as ctid from ${table.qualified}; rollback to savepoint p`);
    const seen = new Set((res[1]!.rows as { ctid: string }[]).map((r) => r.ctid));
    return rows.map((r) => ({ row: r.cls, outcome: seen.has(r.ctid) ? 'reached' : 'hidden' }));
  } catch (err) {
    await db.exec('rollback to savepoint p');
    const { outcome, message } = classifyError(err);
    return rows.map((r) => ({ row: r.cls, outcome, message }));
  }
}

async function probeEach(db: PGlite, rows: SeededRow[], statement: (r: SeededRow) => string): Promise<RowProbe[]> {
  const out: RowProbe[] = [];
  for (const r of rows) {
    try {
      const res = await db.exec(`savepoint p; ${statement(r)}; rollback to savepoint p`);
      const affected = res[res.length - 2]!.affectedRows ?? 0;
      out.push({ row: r.cls, outcome: affected > 0 ? 'reached' : 'hidden' });
    } catch (err) {
      await db.exec('rollback to savepoint p');
      out.push({ row: r.cls, ...classifyError(err) });
    }
  }
  return out;
}

function classifyError(err: unknown): { outcome: ProbeOutcome; message: string } {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  if (e.code === '42501' && /row-level security/i.test(message)) return { outcome: 'rejected', message };
  if (e.code === '42501') return { outcome: 'no-privilege', message };
  return { outcome: 'blocked', message };
}

/** Builds one cell: the level reached, the policies that decided, and why. */
function cell(cat: Catalog, table: CatalogTable, o: Ownership, role: RoleSpec, command: RlsCommand, probes: RowProbe[], rows: SeededRow[],
  values: Values | undefined, bypass: boolean, lets: TableProbe['lets']): AccessCell {
  const own = policiesFor(cat, table.oid, role.name, command);
  const permissive = own.filter((p) => p.policy.permissive);
  const restrictive = own.filter((p) => !p.policy.permissive);
  // UPDATE and DELETE read the row (WHERE, SET x = x), so SELECT policies filter them too.
  const readers = command === 'update' || command === 'delete' ? policiesFor(cat, table.oid, role.name, 'select') : [];
  const granted = new Set<string>();
  const refused = new Set<string>();
  for (let i = 0; i < probes.length; i++) {
    const p = probes[i]!;
    const v = values?.get(rows[i]!.ctid);
    if (!table.rls || bypass || !v) continue;
    const usingOf = (x: { index: number; policy: CatalogPolicy }) => (command === 'insert' ? undefined : x.policy.using !== undefined ? v.get(`u${x.index}`) : undefined);
    const checkOf = (x: { index: number; policy: CatalogPolicy }) => {
      if (command === 'select' || command === 'delete') return undefined;
      if (x.policy.withCheck !== undefined) return v.get(`c${x.index}`);
      return x.policy.using !== undefined ? v.get(`u${x.index}`) : undefined;
    };
    const test = command === 'insert' ? checkOf : usingOf;
    if (p.outcome === 'reached' || p.outcome === 'blocked') {
      const by = permissive.filter((x) => test(x) === true && (command !== 'update' || checkOf(x) !== false));
      p.policies = [...by, ...restrictive].map((x) => x.policy.name);
      for (const x of by) {
        let m = lets.get(x.index);
        if (!m) lets.set(x.index, (m = new Map()));
        const key = `${role.name}\0${command}`;
        if (!m.has(key)) m.set(key, new Set());
        m.get(key)!.add(p.row);
      }
    } else if (p.outcome === 'hidden' || p.outcome === 'rejected') {
      const failingRestrictive = restrictive.filter((x) => (p.outcome === 'rejected' ? checkOf(x) : usingOf(x)) === false);
      const hiddenByRead = p.outcome === 'hidden' && readers.length > 0 && !readers.some((x) => x.policy.permissive && v.get(`u${x.index}`) === true);
      p.policies = failingRestrictive.length ? failingRestrictive.map((x) => x.policy.name)
        : hiddenByRead && permissive.some((x) => usingOf(x) === true) ? readers.map((x) => x.policy.name)
          : permissive.map((x) => x.policy.name);
    }
    for (const n of p.policies ?? []) (p.outcome === 'reached' || p.outcome === 'blocked' ? granted : refused).add(n);
  }
  const reached = probes.filter((p) => p.outcome === 'reached' || p.outcome === 'blocked').map((p) => p.row);
  let rowsReached: RowsReached = levelOf(reached, o, role.identity);
  if (reached.length === 0 && probes.some((p) => p.outcome === 'rejected' || p.outcome === 'no-privilege')) rowsReached = 'denied';
  if (reached.length === 0 && command === 'insert' && probes.length > 0) rowsReached = 'denied';
  // The policies that let rows through; when none got through, those that refused them.
  const policies = [...(granted.size ? granted : refused)];
  return { role: role.name, command, rows: rowsReached, policies, detail: explainCell(table, role, command, probes, permissive.length, bypass), probes };
}

/** Whether the table's rows belong to someone (a user or a tenant). */
export const isOwned = (o: Ownership): boolean => o.userTable || o.tenantRoot || o.userColumns.length > 0 || o.ownerVia !== undefined || o.tenantPath !== undefined;

/** none / own / tenant / all from the row classes reached (see types.ts). */
export function levelOf(reached: RowClass[], o: Ownership, identity: boolean): RowsReached {
  if (reached.length === 0) return 'none';
  const owned = isOwned(o);
  if (!owned || !identity || reached.includes('other')) return 'all';
  if (reached.includes('team') || (o.tenantRoot && reached.includes('own'))) return 'tenant';
  return 'own';
}

function explainCell(table: CatalogTable, role: RoleSpec, command: RlsCommand, probes: RowProbe[], permissive: number, bypass: boolean): string {
  if (probes.length === 0) return 'no seeded rows to aim at';
  if (bypass) return `${role.name} bypasses row level security`;
  if (!table.rls) return 'row level security is off: every granted role reaches every row';
  const priv = probes.find((p) => p.outcome === 'no-privilege');
  if (priv) return `no privilege: ${priv.message}`;
  const parts: string[] = [];
  if (permissive === 0) parts.push(`no policy grants ${role.name} ${command}`);
  for (const p of probes) {
    const who = describeClass(p.row);
    const by = p.policies?.length ? ` (${p.policies.map((n) => `"${n}"`).join(', ')})` : '';
    if (p.outcome === 'reached') parts.push(`${who} row: ${command === 'select' ? 'visible' : command === 'insert' ? 'accepted' : command === 'update' ? 'updated' : 'deleted'}${by}`);
    else if (p.outcome === 'rejected') parts.push(`${who} row: refused by WITH CHECK${by}`);
    else if (p.outcome === 'blocked') parts.push(`${who} row: allowed by RLS${by} but stopped: ${p.message}`);
    else if (p.outcome === 'hidden' && permissive > 0) parts.push(`${who} row: hidden${by}`);
  }
  return parts.join('; ');
}

/** Claims with user_metadata set to what the table's policies compare it with (a user can set their own metadata). */
function forgedClaims(cat: Catalog, table: CatalogTable, role: RoleSpec): { claims: Record<string, unknown>; policies: string[] } | undefined {
  const meta: Record<string, string> = {};
  const policies: string[] = [];
  cat.policies.forEach((p, i) => {
    if (p.table !== table.oid || !cat.appliesTo.get(i)?.has(role.name)) return;
    const text = `${p.using ?? ''} ${p.withCheck ?? ''}`;
    if (!/user_metadata|raw_user_meta_data/.test(text)) return;
    policies.push(p.name);
    for (const m of text.matchAll(/'(?:raw_)?user_meta(?:data|_data)'(?:::text)?\)?\s*->>?\s*'([^']+)'(?:::text)?\)*\s*=\s*'([^']*)'/g)) meta[m[1]!] = m[2]!;
  });
  if (policies.length === 0) return undefined;
  const claims = { ...role.claims, user_metadata: { ...(role.claims.user_metadata as object ?? {}), ...meta } };
  return { claims, policies };
}
