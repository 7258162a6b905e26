/**
 * EXPLAIN (FORMAT JSON, VERBOSE, SETTINGS, BUFFERS [, ANALYZE]) over a live connection or the embedded database.
 *
 * Safety: everything runs inside BEGIN … ROLLBACK, so EXPLAIN ANALYZE of an INSERT/UPDATE/DELETE (or of a SELECT
 * calling a function that writes) changes nothing; `SET LOCAL statement_timeout` bounds it.
 *
 * Parameters: `$n` and `:name` placeholders (found by the SQL front end's lexer, so text in strings and comments is
 * ignored) are sent as bound protocol parameters — `:name` is rewritten to `$n` first. No value is ever spliced into
 * the SQL text, so there is nothing to quote or inject, and the server infers each parameter's type from context just
 * as it does for the application's own driver; with the values bound, the planner plans for them (a custom plan).
 */
import type { ExplainTarget, QueryFn } from './explainTarget';
import { findPlaceholders } from '../sql/split';
import { parseScript } from '../sql/script';
import { quoteIdent } from '../sql/ddl';

export type ParamValue = string | number | boolean | null | bigint | Date | Record<string, unknown> | unknown[];

export interface ExplainRequest {
  query: string;
  analyze?: boolean;
  /** Positional (`[v1, v2]` for $1, $2) or by key (`{ 1: v, user_id: v }` for $1 and :user_id). */
  params?: ParamValue[] | Record<string, ParamValue>;
  /**
   * Explain the generic plan (what a prepared statement gets after its first executions) with placeholders left
   * unbound: `EXPLAIN (GENERIC_PLAN)`, PostgreSQL 16+. No parameter values are needed; cannot be combined with ANALYZE.
   */
  genericPlan?: boolean;
  /** Run as this role with these JWT claims (Supabase RLS): `SET LOCAL ROLE` + `request.jwt.claims`. */
  runAs?: { role?: string; claims?: Record<string, unknown> };
  /** statement_timeout for the EXPLAIN, ms. Default 30 000. */
  statementTimeoutMs?: number;
  /**
   * On targets that cannot interrupt a running statement (the embedded PGlite), ANALYZE runs only when the planner's
   * estimated total cost is at most this; above it the plan comes back without ANALYZE and a note says why.
   * Default 50 000 (a few seconds in PGlite on this class of machine).
   */
  maxUninterruptibleCost?: number;
  signal?: AbortSignal;
}

export interface ExplainResult {
  /** The EXPLAIN JSON array as the server returned it. */
  plan: unknown[];
  analyzed: boolean;
  notes: string[];
  database: 'live' | 'embedded';
  /** The statement that was explained (after `:name` → `$n`). */
  query: string;
}

export type ExplainErrorKind =
  | 'empty' | 'syntax' | 'multiple-statements' | 'not-explainable' | 'missing-params' | 'unknown-role'
  | 'permission' | 'read-only' | 'timeout' | 'cancelled' | 'server';

export class ExplainError extends Error {
  /**
   * `line`/`column` (1-based; columns in UTF-16 units, the editor's) locate a syntax error in the query text as given (a leading `EXPLAIN …`
   * prefix included); `reason` is the parser's own message without the position.
   */
  constructor(readonly kind: ExplainErrorKind, message: string, readonly details: { missing?: string[]; line?: number; column?: number; reason?: string } = {}) {
    super(message);
    this.name = 'ExplainError';
  }
}

const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'ExecuteStmt', 'DeclareCursorStmt', 'CreateTableAsStmt']);
const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CreateTableAsStmt']);
/** Statement kinds PostgreSQL refuses inside a transaction block (and which EXPLAIN cannot take anyway). */
const NO_TRANSACTION: Record<string, string> = {
  VacuumStmt: 'VACUUM/ANALYZE', CreatedbStmt: 'CREATE DATABASE', DropdbStmt: 'DROP DATABASE', AlterSystemStmt: 'ALTER SYSTEM',
  CreateTableSpaceStmt: 'CREATE TABLESPACE', DropTableSpaceStmt: 'DROP TABLESPACE', CreateSubscriptionStmt: 'CREATE SUBSCRIPTION',
};

/** Prepares the statement: one statement, placeholders numbered, parameter values in order. */
export async function prepareExplain(req: Pick<ExplainRequest, 'query' | 'params' | 'genericPlan'>): Promise<{ sql: string; kind: string; writes: boolean; values: unknown[]; notes: string[] }> {
  const notes: string[] = [];
  let text = req.query.trim().replace(/;\s*$/, '');
  // A pasted `EXPLAIN (…) stmt` / `EXPLAIN ANALYZE stmt`: explain the statement itself with our options.
  const pasted = /^explain\s+(?:\([^)]*\)\s*|(?:analy[sz]e|verbose|costs|buffers|settings)\s+)*/i.exec(text);
  if (pasted && pasted[0].length > 0 && /^explain\b/i.test(text)) {
    text = text.slice(pasted[0].length);
    notes.push('The EXPLAIN options in the query were replaced by (FORMAT JSON, VERBOSE, SETTINGS, BUFFERS[, ANALYZE]).');
  }
  // Number `:name` placeholders after the highest `$n`, reusing one number per name.
  const holders = findPlaceholders(text);
  const maxPositional = Math.max(0, ...holders.filter((h) => typeof h.key === 'number').map((h) => h.key as number));
  const named = new Map<string, number>();
  for (const h of holders) if (typeof h.key === 'string' && !named.has(h.key)) named.set(h.key, maxPositional + named.size + 1);
  let sql = text;
  for (const h of [...holders].reverse()) {
    if (typeof h.key === 'string') sql = sql.slice(0, h.start) + `$${named.get(h.key)}` + sql.slice(h.end);
  }
  const split = await parseScript(sql);
  if (!split.ok) {
    // Back to the coordinates of the text as given: leading blanks and a stripped `EXPLAIN (…)` prefix come first.
    const prefix = text ? req.query.slice(0, Math.max(0, req.query.indexOf(text.slice(0, 40)))) : '';
    const prefixLines = prefix.split('\n');
    const line = split.line + prefixLines.length - 1;
    const column = split.line === 1 ? split.column + prefixLines[prefixLines.length - 1]!.length : split.column;
    throw new ExplainError('syntax', `${capitalize(split.message)} (line ${line}, column ${column})`, { line, column, reason: split.message });
  }
  if (split.statements.length === 0) throw new ExplainError('empty', 'There is no statement to explain.');
  if (split.statements.length > 1) {
    throw new ExplainError('multiple-statements', `The text holds ${split.statements.length} statements; select one statement to explain.`);
  }
  const st = split.statements[0]!;
  if (!EXPLAINABLE.has(st.kind)) {
    const noTx = NO_TRANSACTION[st.kind] ?? (st.kind === 'IndexStmt' && st.node.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined)
      ?? (st.kind === 'ReindexStmt' && /\bconcurrently\b/i.test(st.text) ? 'REINDEX CONCURRENTLY' : undefined);
    const what = noTx ?? st.text.split(/\s+/).slice(0, 2).join(' ').toUpperCase();
    throw new ExplainError('not-explainable', noTx
      ? `${what} cannot be explained: EXPLAIN takes only queries and data changes, and ${what} cannot run inside a transaction block, so it is never executed here. Nothing was run.`
      : `${what} statements cannot be explained: EXPLAIN takes SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, EXECUTE, DECLARE and CREATE TABLE … AS. Nothing was run.`);
  }
  const writes = WRITES.has(st.kind) || (st.kind === 'SelectStmt' && /"(InsertStmt|UpdateStmt|DeleteStmt|MergeStmt)"/.test(JSON.stringify(st.node)));

  // Values in $n order.
  const count = Math.max(maxPositional, ...[...named.values()], 0);
  const values: unknown[] = [];
  const missing: string[] = [];
  const given = req.params;
  const byName = new Map([...named].map(([k, v]) => [v, k]));
  for (let n = 1; n <= count; n++) {
    const name = byName.get(n);
    let v: unknown;
    let has = false;
    if (Array.isArray(given)) {
      has = n - 1 < given.length;
      v = given[n - 1];
    } else if (given) {
      for (const k of name ? [name, `:${name}`] : [String(n), `$${n}`]) {
        if (Object.prototype.hasOwnProperty.call(given, k)) { has = true; v = given[k]; break; }
      }
    }
    if (!has) {
      const used = holders.some((h) => h.key === n) || name;
      if (used) missing.push(name ? `:${name}` : `$${n}`);
      else v = null; // a gap ($1 and $3 used, $2 not): never referenced, so any value does
    }
    values.push(v instanceof Date ? v.toISOString() : v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
  }
  if (req.genericPlan) return { sql: st.text, kind: st.kind, writes, values: [], notes };
  if (missing.length > 0) {
    throw new ExplainError('missing-params', `Missing value${missing.length > 1 ? 's' : ''} for ${missing.join(', ')}. Give a value for every placeholder.`, { missing });
  }
  return { sql: st.text, kind: st.kind, writes, values, notes };
}

/** Explains one statement on a target. Errors are ExplainError with a specific kind and message. */
export async function explain(target: ExplainTarget, req: ExplainRequest): Promise<ExplainResult> {
  const prepared = await prepareExplain(req);
  const analyze = req.analyze === true;
  const notes = [...prepared.notes];
  const timeout = Math.max(1, Math.floor(req.statementTimeoutMs ?? 30_000));
  if (req.signal?.aborted) throw new ExplainError('cancelled', 'The EXPLAIN was cancelled before it started.');
  if (analyze && prepared.writes && target.readOnly) {
    throw new ExplainError('read-only', `EXPLAIN ANALYZE would execute this ${prepared.kind.replace(/Stmt$/, '').toUpperCase()} (and roll it back), but ${target.label} is connected read-only. Explain without ANALYZE, or turn off read-only mode for this connection.`);
  }
  if (analyze && req.genericPlan) throw new ExplainError('not-explainable', 'A generic plan cannot be run with ANALYZE (its parameters have no values). Explain the generic plan without ANALYZE, or give parameter values.');
  const role = req.runAs?.role ?? (typeof req.runAs?.claims?.role === 'string' ? (req.runAs.claims.role as string) : undefined);
  const maxCost = req.maxUninterruptibleCost ?? 50_000;
  let analyzed = analyze;
  try {
    const plan = await target.rolledBack(async (q: QueryFn) => {
      if (role) await setRole(q, role, target.label);
      if (req.runAs?.claims) await q(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(req.runAs.claims)]);
      await q(`select set_config('statement_timeout', $1, true)`, [String(timeout)]);
      // Options by server version: SETTINGS needs 12, BUFFERS without ANALYZE 13, GENERIC_PLAN 16.
      const version = Number((await q(`select current_setting('server_version_num') as v`))[0]?.v ?? 0);
      if (req.genericPlan && version < 160000) {
        throw new ExplainError('not-explainable', `Generic plans need PostgreSQL 16 or later; ${target.label} runs ${Math.floor(version / 10000)}. Give parameter values instead.`);
      }
      const options = ['FORMAT JSON', 'VERBOSE', ...(version >= 120000 ? ['SETTINGS'] : []), ...(analyze || version >= 130000 ? ['BUFFERS'] : []),
        ...(analyze ? ['ANALYZE'] : []), ...(req.genericPlan ? ['GENERIC_PLAN'] : [])];
      const run = async (opts: string[]) => {
        const rows = await q(`EXPLAIN (${opts.join(', ')}) ${prepared.sql}`, prepared.values.length ? prepared.values : undefined);
        const cell = rows[0] ? Object.values(rows[0])[0] : undefined;
        return (typeof cell === 'string' ? JSON.parse(cell) : cell) as unknown[];
      };
      if (analyze && !target.interruptible) {
        const estimate = await run(options.filter((o) => o !== 'ANALYZE'));
        const cost = Number((estimate[0] as { Plan?: { 'Total Cost'?: number } })?.Plan?.['Total Cost'] ?? 0);
        if (cost > maxCost) {
          analyzed = false;
          notes.push(`Not run with ANALYZE: the estimated cost ${Math.round(cost)} is above ${maxCost}, and the ${target.label} cannot stop a running statement (no statement_timeout there). This is the estimated plan; explain on a live connection to measure it.`);
          return estimate;
        }
      }
      return run(options);
    }, req.signal);
    if (analyzed) {
      notes.push(prepared.writes
        ? 'The statement was executed inside BEGIN … ROLLBACK: no rows were changed (sequence values taken by nextval() are not given back).'
        : 'The statement was executed inside BEGIN … ROLLBACK, so nothing it might write was kept.');
    }
    if (req.genericPlan) notes.push('Generic plan: placeholders stay unbound, as a prepared statement plans them after its first executions.');
    if (role) notes.push(`Ran as role ${role}${req.runAs?.claims ? ' with the given JWT claims' : ''}: row counts are what row-level security lets that user see.`);
    if (target.database === 'embedded') notes.push('Embedded database built from the migrations: table sizes and data are not production\'s.');
    return { plan, analyzed, notes, database: target.database, query: prepared.sql };
  } catch (err) {
    throw mapExplainError(err, target, timeout, req.signal);
  }
}

async function setRole(q: QueryFn, role: string, label: string): Promise<void> {
  const known = await q('select rolname from pg_roles where rolname = $1', [role]);
  if (known.length === 0) {
    const roles = (await q(`select rolname from pg_roles where rolname !~ '^pg_' order by rolname limit 20`)).map((r) => String(r.rolname));
    throw new ExplainError('unknown-role', `The role "${role}" does not exist in the ${label}. Roles there: ${roles.join(', ')}.`);
  }
  await q(`set local role ${quoteIdent(role)}`);
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);


function mapExplainError(err: unknown, target: ExplainTarget, timeout: number, signal?: AbortSignal): ExplainError {
  if (err instanceof ExplainError) return err;
  const e = err as { code?: string; message?: string };
  const msg = e?.message ?? String(err);
  switch (e?.code) {
    case '57014':
      return signal?.aborted
        ? new ExplainError('cancelled', 'The EXPLAIN was cancelled; its transaction was rolled back.')
        : new ExplainError('timeout', `The statement ran longer than the ${timeout} ms statement timeout and was stopped (rolled back). Explain without ANALYZE, or raise the timeout.`);
    case '25006':
      return new ExplainError('read-only', `${target.label} is read-only: ${msg}. Explain without ANALYZE, or turn off read-only mode for this connection.`);
    case '42501': {
      const role = /permission denied to set role "([^"]+)"/.exec(msg)?.[1];
      return new ExplainError('permission', role
        ? `This connection's user may not run as "${role}" on ${target.label}. Grant it (\`grant ${quoteIdent(role)} to <your user>\`) or connect as a user that is a member of that role.`
        : `Permission denied on ${target.label}: ${msg}.`);
    }
    case '42P02':
      return new ExplainError('missing-params', `${msg}. Give a value for every placeholder.`);
  }
  return new ExplainError('server', `${target.label}: ${msg}`);
}
