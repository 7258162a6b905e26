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
import { quoteIdent } from '../sql/ddl';
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
  for (const role of roles) {
    const bypass = cat.bypass.has(role.name);
    const forged = role.identity && table.rls && !bypass ? forgedClaims(cat, table, role) : undefined;
    const plan = probeBlock(cat, table, role, rows, bypass, forged?.claims);
    let result: BlockResult;
    try {
      const res = await db.exec(`begin; select set_config('request.jwt.claims', ${lit(JSON.stringify(role.claims))}, true), `
        + `set_config('request.jwt.claim.sub', ${lit(String(role.claims.sub ?? ''))}, true), set_config('request.jwt.claim.role', ${lit(String(role.claims.role ?? role.name))}, true); `
        + `${plan}; select current_setting('rls.result') as result`);
      result = JSON.parse(String((res[res.length - 1]!.rows[0] as { result: string }).result)) as BlockResult;
    } finally {
      await db.exec('rollback');
    }
    const values = result.eval ? toValues(result.eval) : table.rls && !bypass ? undefined : new Map();
    for (const command of RLS_COMMANDS) {
      const probes = command === 'select' ? selectProbes(rows, result.probes.find((p) => p.k === 'select'))
        : rows.map((r, i) => rowProbe(r, result.probes.find((p) => p.k === command && p.i === i)));
      out.cells.push(cell(cat, table, ownership, role, command, command === 'update' && !updateColumn(table) ? [] : probes, rows, values, bypass, out.lets));
    }
    const f = result.probes.find((p) => p.k === 'forged');
    if (forged && f) {
      const baseline = out.cells.find((c) => c.role === role.name && c.command === 'select')?.probes?.filter((p) => p.outcome === 'reached').map((p) => p.row) ?? [];
      out.forged = { claims: forged.claims, rows: selectProbes(rows, f).filter((p) => p.outcome === 'reached').map((p) => p.row), baseline, policies: forged.policies };
    }
  }
  return out;
}

interface ProbeRecord { k: RlsCommand | 'forged'; i?: number; n?: number; seen?: string[]; code?: string; msg?: string }
interface BlockResult { eval?: Record<string, unknown>[] | null; probes: ProbeRecord[] }

const updateColumn = (table: CatalogTable) => table.columns.find((c) => !c.generated && c.identity !== 'a' && !table.primaryKey.includes(c.name))
  ?? table.columns.find((c) => !c.generated && c.identity !== 'a');

/**
 * One PL/pgSQL block runs every probe of a (table, role) in a single round trip: each probe is a sub-block whose
 * effects are undone by raising a private SQLSTATE at its end (a sub-block is a savepoint), and whose outcome (row
 * count, rows seen, or the error) is collected into JSON handed back through a transaction-local setting.
 */
function probeBlock(cat: Catalog, table: CatalogTable, role: RoleSpec, rows: SeededRow[], bypass: boolean, forged?: Record<string, unknown>): string {
  const T = table.qualified;
  const R = quoteIdent(role.name);
  const undo = `raise exception using errcode = 'RLSPR'; exception when sqlstate 'RLSPR' then null;`;
  const failed = (k: string, i?: number) => `when others then r := r || jsonb_build_object('k', '${k}'${i === undefined ? '' : `, 'i', ${i}`}, 'code', sqlstate, 'msg', sqlerrm);`;
  const parts: string[] = [];
  // Each applicable policy's USING (u<i>) and WITH CHECK (c<i>) per row, as the role, with RLS off on this table only.
  const exprs: string[] = [];
  if (table.rls && !bypass) {
    cat.policies.forEach((p, i) => {
      if (p.table !== table.oid || !cat.appliesTo.get(i)?.has(role.name)) return;
      if (p.using) exprs.push(`'u${i}', (${p.using})::boolean`);
      if (p.withCheck) exprs.push(`'c${i}', (${p.withCheck})::boolean`);
    });
    // jsonb_build_object takes at most 100 arguments: chunks of 40 pairs, merged.
    const objects: string[] = [];
    for (let j = 0; j < exprs.length; j += 40) objects.push(`jsonb_build_object(${exprs.slice(j, j + 40).join(', ')})`);
    const row = [`jsonb_build_object('ctid', ctid::text)`, ...objects].join(' || ');
    parts.push(`begin alter table ${T} disable row level security; set local role ${R}; `
      + `select coalesce(jsonb_agg(${row}), '[]') into ev from ${T}; ${undo} when others then ev := null; end;`);
  }
  parts.push(`set local role ${R};`);
  const select = (k: string) => `begin select coalesce(jsonb_agg(ctid::text), '[]') into v from ${T}; r := r || jsonb_build_object('k', '${k}', 'seen', v); exception ${failed(k)} end;`;
  parts.push(select('select'));
  const col = updateColumn(table);
  const cols = table.columns.filter((c) => !c.generated && c.identity !== 'a').map((c) => quoteIdent(c.name)).join(', ');
  rows.forEach((r, i) => {
    const count = (k: string) => `get diagnostics n = row_count; r := r || jsonb_build_object('k', '${k}', 'i', ${i}, 'n', n); ${undo} ${failed(k, i)} end;`;
    if (col) parts.push(`begin update ${T} set ${quoteIdent(col.name)} = ${quoteIdent(col.name)} where ctid = '${r.ctid}'; ${count('update')}`);
    parts.push(`begin delete from ${T} where ctid = '${r.ctid}'; ${count('delete')}`);
    // INSERT a row claiming this row's owner: the row itself, after deleting it as the table owner with triggers
    // (and so cascades) off, so its keys are free.
    parts.push(`begin set local role none; set local session_replication_role = replica; delete from ${T} where ctid = '${r.ctid}'; `
      + `set local session_replication_role = origin; set local role ${R}; `
      + `insert into ${T} (${cols}) select ${cols} from jsonb_populate_record(null::${T}, ${lit(JSON.stringify(r.json))}::jsonb); ${count('insert')}`);
  });
  if (forged) {
    parts.push(`perform set_config('request.jwt.claims', ${lit(JSON.stringify(forged))}, true);`, select('forged'));
  }
  const body = `declare r jsonb := '[]'; v jsonb; ev jsonb; n bigint; begin ${parts.join('\n')}\n`
    + `perform set_config('rls.result', jsonb_build_object('eval', ev, 'probes', r)::text, true); end`;
  // A dollar-quote tag that the body cannot contain.
  let tag = 'rls';
  while (body.includes(`$${tag}$`)) tag += '_';
  return `do $${tag}$ ${body} $${tag}$`;
}

function toValues(rows: Record<string, unknown>[]): Values {
  const values: Values = new Map();
  for (const row of rows) {
    const m = new Map<string, boolean | null>();
    for (const [k, v] of Object.entries(row)) if (k !== 'ctid') m.set(k, v as boolean | null);
    values.set(String(row.ctid), m);
  }
  return values;
}

function selectProbes(rows: SeededRow[], rec: ProbeRecord | undefined): RowProbe[] {
  if (!rec || rec.code) {
    const { outcome, message } = classifyError({ code: rec?.code, message: rec?.msg ?? 'not run' });
    return rows.map((r) => ({ row: r.cls, outcome, message }));
  }
  const seen = new Set(rec.seen ?? []);
  return rows.map((r) => ({ row: r.cls, outcome: seen.has(r.ctid) ? 'reached' : 'hidden' }));
}

function rowProbe(r: SeededRow, rec: ProbeRecord | undefined): RowProbe {
  if (!rec) return { row: r.cls, outcome: 'absent' };
  if (rec.code) return { row: r.cls, ...classifyError({ code: rec.code, message: rec.msg }) };
  return { row: r.cls, outcome: (rec.n ?? 0) > 0 ? 'reached' : 'hidden' };
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
    else if (p.outcome === 'rejected') parts.push(`${who} row: ${permissive === 0 ? 'refused (no policy allows it)' : `refused by WITH CHECK${by}`}`);
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
