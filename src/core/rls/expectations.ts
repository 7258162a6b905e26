/**
 * RLS expectations from `.dbe.json`:
 * ```json
 * "rls": { "public.patients": { "anon": "none", "authenticated": { "select": "tenant", "delete": "none" } } }
 * ```
 * A role maps to one level for every command, or to levels per command. A table name without a schema means
 * `public`. `none` and `denied` both mean "reaches no row", so either satisfies the other; every other level must
 * match exactly.
 */
import { RLS_COMMANDS, type ExpectationResult, type RlsCommand, type RowsReached, type TableReport } from './types';

const LEVELS: readonly RowsReached[] = ['none', 'own', 'tenant', 'all', 'denied'];

export interface Expectation {
  table: string;
  role: string;
  command: RlsCommand;
  expected: RowsReached;
}

/** Validates the `"rls"` value. Throws an Error whose message names the key and what to write instead. */
export function parseExpectations(value: unknown, source = '.dbe.json'): Expectation[] {
  const fail = (msg: string): never => { throw new Error(`${source}: "rls"${msg}`); };
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(' must be an object: {"public.patients": {"anon": "none"}}');
  const out: Expectation[] = [];
  const level = (v: unknown, where: string): RowsReached => {
    if (typeof v !== 'string' || !LEVELS.includes(v as RowsReached)) fail(`${where} is ${JSON.stringify(v)}; use one of ${LEVELS.map((l) => `"${l}"`).join(', ')}`);
    return v as RowsReached;
  };
  for (const [rawTable, roles] of Object.entries(value as Record<string, unknown>)) {
    const table = rawTable.includes('.') ? rawTable : `public.${rawTable}`;
    if (typeof roles !== 'object' || roles === null || Array.isArray(roles)) fail(`["${rawTable}"] must map roles to a level or to {command: level}`);
    for (const [role, spec] of Object.entries(roles as Record<string, unknown>)) {
      if (typeof spec === 'string') {
        const l = level(spec, `["${rawTable}"]["${role}"]`);
        for (const command of RLS_COMMANDS) out.push({ table, role, command, expected: l });
      } else if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
        for (const [command, v] of Object.entries(spec as Record<string, unknown>)) {
          if (!RLS_COMMANDS.includes(command as RlsCommand)) fail(`["${rawTable}"]["${role}"] has command "${command}"; use select, insert, update or delete`);
          out.push({ table, role, command: command as RlsCommand, expected: level(v, `["${rawTable}"]["${role}"]["${command}"]`) });
        }
      } else {
        fail(`["${rawTable}"]["${role}"] must be a level ("none", "own", …) or {"select": "own", …}`);
      }
    }
  }
  return out;
}

const satisfies = (expected: RowsReached, actual: RowsReached) =>
  expected === actual || ((expected === 'none' || expected === 'denied') && (actual === 'none' || actual === 'denied'));

/** Checks expectations against the tables' matrices; results are attached to each table (and returned). */
export function checkExpectations(expectations: Expectation[], tables: TableReport[]): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  const byName = new Map(tables.map((t) => [t.table, t]));
  for (const e of expectations) {
    const t = byName.get(e.table);
    const cell = t?.access.find((c) => c.role === e.role && c.command === e.command);
    const actual = cell?.rows ?? 'missing';
    const ok = actual !== 'missing' && satisfies(e.expected, actual);
    const why = cell?.policies.length ? ` (policies: ${cell.policies.map((p) => `"${p}"`).join(', ')})` : cell?.detail ? ` (${cell.detail})` : '';
    const message = !t
      ? `${e.table}: no such table in the exposed schemas (tables: ${[...byName.keys()].slice(0, 8).join(', ')}${byName.size > 8 ? ', …' : ''})`
      : !cell
        ? `${e.table}: role "${e.role}" was not simulated (roles: ${[...new Set(t.access.map((c) => c.role))].join(', ')})`
        : ok ? `${e.table}: ${e.role} ${e.command} is ${actual}, as expected`
          : `${e.table}: ${e.role} ${e.command} is expected to be ${e.expected}, but the simulation gives ${actual}${why}`;
    const r: ExpectationResult = { table: e.table, role: e.role, command: e.command, expected: e.expected, actual, ok, message };
    results.push(r);
    if (t) (t.expectations ??= []).push(r);
  }
  return results;
}
