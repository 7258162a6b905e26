/**
 * Leaks named from what the probes measured: A reaching B's rows (cross-tenant), `anon` reaching user data
 * (anon-access), RLS off on an exposed table (rls-disabled), a policy trusting `user_metadata` (user-metadata). Each
 * names the policy responsible (from the probes' attribution) and carries a concrete fix: the policy rewritten with
 * the owner or tenant condition the schema implies, or the statement that enables RLS.
 */
import { quoteIdent } from '../sql/ddl';
import type { Catalog, CatalogPolicy, CatalogTable } from './catalog';
import { isOwned, type TableProbe } from './probe';
import type { Ownership } from './world';
import type { AccessCell, Leak, RlsCommand } from './types';

export interface LeakContext {
  cat: Catalog;
  table: CatalogTable;
  ownership: Map<number, Ownership>;
  probe: TableProbe;
  /** Where a policy of this table was written (workspace-relative file, 1-based line). */
  policyAt(name: string): { file: string; line: number } | undefined;
  /** Where the table was created. */
  tableAt?: { file: string; line: number };
}

const USER_CLASSES = new Set(['own', 'team', 'other']);

export function findLeaks(ctx: LeakContext): Leak[] {
  const { table, probe } = ctx;
  const o = ctx.ownership.get(table.oid)!;
  const owned = isOwned(o);
  const leaks: Leak[] = [];
  const at = (name: string) => ctx.policyAt(name) ?? {};
  const name = `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;

  if (!table.rls) {
    const open = probe.cells.filter((c) => (c.role === 'anon' || c.role === 'authenticated') && c.rows !== 'none' && c.rows !== 'denied');
    if (open.length > 0) {
      const first = open.find((c) => c.role === 'anon') ?? open[0]!;
      const what = [...new Set(open.map((c) => `${c.role} ${c.command}`))].join(', ');
      leaks.push({
        role: first.role, command: first.command, kind: 'rls-disabled', ...(ctx.tableAt ?? {}),
        message: `Row level security is off on ${table.key}, in an API-exposed schema: ${what} reach every row (any policy on it is ignored).`,
        fix: `alter table ${name} enable row level security;\n${suggestedPolicy(ctx, o, 'select', 'authenticated', `${tenantCondition(ctx, o) ? 'Members' : 'Owners'} can read ${table.name}`)}`,
      });
    }
    return leaks;
  }

  for (const c of probe.cells) {
    if (c.role === 'authenticated' && owned) {
      const b = (c.probes ?? []).filter((p) => p.row === 'other' && (p.outcome === 'reached' || p.outcome === 'blocked'));
      for (const p of b) {
        for (const pol of responsible(ctx, c, p.policies)) {
          leaks.push({
            role: c.role, command: c.command, kind: 'cross-tenant', policy: pol.name, ...at(pol.name),
            message: `User A can ${verb(c.command)} ${table.key} (another tenant's): policy "${pol.name}" lets it through${pol.permissive ? ', and as a permissive policy no other permissive policy can narrow it' : ''}.`,
            fix: rewrite(ctx, o, pol, c.command),
          });
        }
      }
    }
    if (c.role === 'anon' && owned) {
      const hit = (c.probes ?? []).filter((p) => USER_CLASSES.has(p.row) && (p.outcome === 'reached' || p.outcome === 'blocked'));
      if (hit.length > 0) {
        for (const pol of responsible(ctx, c, hit[0]!.policies)) {
          leaks.push({
            role: 'anon', command: c.command, kind: 'anon-access', policy: pol.name, ...at(pol.name),
            message: `anon (no sign-in, just the public anon key) can ${c.command} users' rows in ${table.key} through policy "${pol.name}".`,
            fix: rewrite(ctx, o, pol, c.command, 'authenticated'),
          });
        }
      }
    }
  }

  // Policies that read user_metadata: the user writes it (supabase.auth.updateUser), so it proves nothing.
  ctx.cat.policies.forEach((p) => {
    if (p.table !== table.oid || !/user_metadata|raw_user_meta_data/.test(`${p.using ?? ''} ${p.withCheck ?? ''}`)) return;
    const f = probe.forged;
    const gained = f ? f.rows.filter((r) => !f.baseline.includes(r)) : [];
    const evidence = f && gained.length > 0
      ? ` Simulated: with user_metadata ${JSON.stringify(f.claims.user_metadata)} in A's token — which A can set with supabase.auth.updateUser() — A's SELECT reaches ${f.rows.length} seeded row${f.rows.length === 1 ? '' : 's'} instead of ${f.baseline.length}${gained.includes('other') ? ", B's included" : ''}.`
      : '';
    const command: RlsCommand = p.command === 'all' ? 'select' : p.command;
    const fixed = (s?: string) => s?.replace(/raw_user_meta_data/g, 'raw_app_meta_data').replace(/user_metadata/g, 'app_metadata');
    leaks.push({
      role: p.roles.includes('anon') ? 'anon' : 'authenticated', command, kind: 'user-metadata', policy: p.name, ...at(p.name),
      message: `Policy "${p.name}" on ${table.key} trusts user_metadata, which every user can edit for themselves.${evidence}`,
      fix: policySql(table, p, p.roles, fixed(p.using), fixed(p.withCheck), 'app_metadata is set only by the server (service role); store roles there, or in a table the user cannot write'),
    });
  });
  return dedupe(leaks);
}

/** The permissive policies named by a probe, else every permissive policy that applies to the cell. */
function responsible(ctx: LeakContext, c: AccessCell, names: string[] | undefined): CatalogPolicy[] {
  const mine = ctx.cat.policies.filter((p, i) => p.table === ctx.table.oid && p.permissive && ctx.cat.appliesTo.get(i)?.has(c.role)
    && (p.command === 'all' || p.command === c.command || ((c.command === 'update' || c.command === 'delete') && p.command === 'select')));
  const named = names ? mine.filter((p) => names.includes(p.name) && (p.command === 'all' || p.command === c.command)) : [];
  return named.length > 0 ? named : mine.filter((p) => p.command === 'all' || p.command === c.command);
}

const verb = (command: RlsCommand) =>
  command === 'insert' ? "insert a row owned by user B into" : `${command === 'select' ? 'read' : command} user B's row in`;

/** The condition that ties a row to user A: the owner column, else the tenant through the memberships, else none. */
export function ownerCondition(ctx: Pick<LeakContext, 'cat' | 'table' | 'ownership'>, o: Ownership, command: RlsCommand): string | undefined {
  const uid = '(select auth.uid())';
  const tenant = tenantCondition(ctx, o);
  const user = o.userColumns[0];
  if (command === 'select' && tenant) return tenant;
  if (user) return `${quoteIdent(user)} = ${uid}`;
  const via = o.ownerVia;
  const parent = via ? ctx.cat.tables.get(via.parent) : undefined;
  const po = via ? ctx.ownership.get(via.parent) : undefined;
  const inner = parent && po ? ownerCondition({ ...ctx, table: parent }, po, 'insert') : undefined;
  if (via && parent && inner) return `${quoteIdent(via.child)} in (select p.${quoteIdent(via.parentColumn)} from ${parent.qualified} p where ${inner.replace(/^"/, 'p."')})`;
  return tenant;
}

function tenantCondition(ctx: Pick<LeakContext, 'cat' | 'table' | 'ownership'>, o: Ownership): string | undefined {
  const uid = '(select auth.uid())';
  const member = (root: number) => {
    const m = ctx.ownership.get(root)?.membership;
    const mt = m ? ctx.cat.tables.get(m.table) : undefined;
    return m && mt ? `select m.${quoteIdent(m.tenantColumn)} from ${mt.qualified} m where m.${quoteIdent(m.userColumn)} = ${uid}` : undefined;
  };
  if (o.tenantRoot) {
    const key = ctx.table.primaryKey[0];
    const q = member(ctx.table.oid);
    return key && q ? `${quoteIdent(key)} in (${q})` : undefined;
  }
  const hops = o.tenantHops;
  if (!hops || hops.length === 0) return undefined;
  const root = hops[hops.length - 1]!.parent;
  let inner = member(root);
  if (!inner) return undefined;
  // Innermost first: parent.key in (…) for each hop after the first.
  for (let i = hops.length - 1; i >= 1; i--) {
    const h = hops[i]!;
    const parent = ctx.cat.tables.get(hops[i - 1]!.parent);
    if (!parent) return undefined;
    inner = `select p${i}.${quoteIdent(hops[i - 1]!.parentColumn)} from ${parent.qualified} p${i} where p${i}.${quoteIdent(h.child)} in (${inner})`;
  }
  return `${quoteIdent(hops[0]!.child)} in (${inner})`;
}

function rewrite(ctx: LeakContext, o: Ownership, p: CatalogPolicy, command: RlsCommand, toRole?: string): string {
  const cond = ownerCondition(ctx, o, p.command === 'all' ? command : p.command);
  const roles = toRole ? [toRole] : p.roles.filter((r) => r !== 'anon' && r !== 'public');
  if (!cond) {
    return `-- ${ctx.table.key} has no owner or tenant column the simulator could find: add one (e.g. user_id uuid references auth.users) and tie the policy to it.\n`
      + policySql(ctx.table, p, roles.length ? roles : ['authenticated'], p.command === 'insert' ? undefined : 'false /* replace with the owner condition */', p.command === 'select' || p.command === 'delete' ? undefined : 'false /* replace with the owner condition */');
  }
  const using = p.command === 'insert' ? undefined : cond;
  const check = p.command === 'select' || p.command === 'delete' ? undefined : (ownerCondition(ctx, o, 'insert') ?? cond);
  return policySql(ctx.table, p, roles.length ? roles : ['authenticated'], using, check);
}

function policySql(t: CatalogTable, p: CatalogPolicy, roles: string[], using: string | undefined, check: string | undefined, note?: string): string {
  const name = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
  return [
    ...(note ? [`-- ${note}`] : []),
    `drop policy ${quoteIdent(p.name)} on ${name};`,
    `create policy ${quoteIdent(p.name)} on ${name}${p.permissive ? '' : ' as restrictive'}`,
    `  for ${p.command} to ${roles.map((r) => (r === 'public' ? 'public' : quoteIdent(r))).join(', ')}`,
    ...(using ? [`  using (${using})`] : []),
    ...(check ? [`  with check (${check})`] : []),
  ].join('\n') + ';';
}

function suggestedPolicy(ctx: LeakContext, o: Ownership, command: RlsCommand, role: string, policyName: string): string {
  const cond = ownerCondition(ctx, o, command);
  const name = `${quoteIdent(ctx.table.schema)}.${quoteIdent(ctx.table.name)}`;
  return cond
    ? `create policy ${quoteIdent(policyName)} on ${name}\n  for ${command} to ${role}\n  using (${cond});`
    : `-- then add policies for what anon and authenticated may do (none: no access through the API).`;
}

function dedupe(leaks: Leak[]): Leak[] {
  const seen = new Set<string>();
  return leaks.filter((l) => {
    const k = `${l.kind}\0${l.role}\0${l.command}\0${l.policy ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
