/**
 * How the agents' statements meet a live server, so that the database itself enforces what our parser promises:
 *
 * - inside `BEGIN READ ONLY … ROLLBACK`, with `SET LOCAL standard_conforming_strings = on` (so the server reads
 *   string literals as libpg-query did: `'a\'` cannot swallow a quote and smuggle a second statement), a
 *   statement_timeout, a lock_timeout and an idle_in_transaction_session_timeout;
 * - over the extended query protocol (Parse/Bind/Execute), which carries exactly one statement: the server rejects a
 *   second one whatever our parser thought;
 * - as a role without the session user's dangerous powers (see `agentRole`);
 * - read through a cursor (node-postgres' own pg-cursor), stopping at a row cap and a byte cap, with every value cut
 *   on the server to a maximum length, so no result can exhaust this process's memory.
 */
import type { Client } from 'pg';
import Cursor from 'pg-cursor';
import { quoteIdent } from '../sql/ddl';

export interface GuardSettings {
  statementTimeoutMs: number;
  /** Default 5 000: a tool must never queue behind a migration's lock for long (nor hold one). */
  lockTimeoutMs?: number;
  /** Default 60 000: a session left inside the transaction is ended by the server. */
  idleTimeoutMs?: number;
  /** `SET LOCAL ROLE` to this role for the transaction. */
  role?: string;
}

const ms = (n: number) => String(Math.max(1, Math.floor(n)));

/** The `SET LOCAL` lines that open every guarded transaction (our own text: no value comes from outside). */
export function guardStatements(s: GuardSettings): string {
  return [
    'set local standard_conforming_strings = on',
    `set local statement_timeout = ${ms(s.statementTimeoutMs)}`,
    `set local lock_timeout = ${ms(s.lockTimeoutMs ?? 5000)}`,
    `set local idle_in_transaction_session_timeout = ${ms(s.idleTimeoutMs ?? 60_000)}`,
    ...(s.role ? [`set local role ${quoteIdent(s.role)}`] : []),
  ].join('; ');
}

/** One statement over the extended protocol: the server refuses a second statement in the text. */
export async function queryOne(client: Client, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]> {
  const config = { text: sql, values: params ?? [], queryMode: 'extended' } as unknown as { text: string; values: unknown[] };
  return (await client.query(config)).rows as Record<string, unknown>[];
}

export interface Caps {
  maxRows: number;
  /** Total characters of values read; default 1 000 000. */
  maxBytes?: number;
  /** Characters of one value; longer values are cut on the server. Default 2 000. */
  maxValueChars?: number;
}

export interface BoundedRows {
  columns: string[];
  rows: Record<string, unknown>[];
  /** Rows were left unread at the row cap. */
  moreRows: boolean;
  /** Reading stopped at the byte cap. */
  bytesCapped: boolean;
  /** Values cut to `maxValueChars`. */
  cutValues: number;
}

/** Statements that can stand as a subquery, so their values can be cut on the server. */
const WRAPPABLE = /^(?:\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:select|with|values|table|\()/i;

/**
 * Reads a statement's rows through a cursor within the caps. A SELECT is wrapped so the server sends at most
 * `maxValueChars + 1` characters of each value (as text); SHOW and EXPLAIN output is read as it is.
 */
export async function readBounded(client: Client, sql: string, params: unknown[] | undefined, caps: Caps): Promise<BoundedRows> {
  const maxValue = caps.maxValueChars ?? 2000;
  const maxBytes = caps.maxBytes ?? 1_000_000;
  let text = sql;
  let columns: string[] | undefined;
  if (WRAPPABLE.test(sql)) {
    // The statement's columns, without running it to completion; the newline ends a trailing `--` comment.
    const probe = await cursorRead(client, `select * from (\n${sql}\n) as q limit 0`, params, 0);
    columns = probe.columns;
    if (columns.length > 0) {
      const aliases = columns.map((_, i) => `c${i + 1}`);
      text = `select ${aliases.map((a) => `left(${a}::text, ${maxValue + 1})`).join(', ')} from (\n${sql}\n) as q(${aliases.join(', ')})`;
    }
  }
  const out: BoundedRows = { columns: columns ?? [], rows: [], moreRows: false, bytesCapped: false, cutValues: 0 };
  let bytes = 0;
  await cursorRead(client, text, params, caps.maxRows + 1, (names, batch) => {
    if (!columns) out.columns = names;
    const keys = uniqueKeys(out.columns);
    for (const raw of batch) {
      if (out.rows.length >= caps.maxRows) { out.moreRows = true; return false; }
      const row: Record<string, unknown> = {};
      let size = 0;
      raw.forEach((v, i) => {
        let value = v;
        if (typeof value === 'string' && value.length > maxValue) {
          value = `${value.slice(0, maxValue)}… [cut at ${maxValue} characters]`;
          out.cutValues++;
        }
        size += typeof value === 'string' ? value.length : 16;
        row[keys[i] ?? `column${i + 1}`] = value;
      });
      if (bytes + size > maxBytes && out.rows.length > 0) { out.bytesCapped = true; return false; }
      bytes += size;
      out.rows.push(row);
    }
    return true;
  });
  return { ...out, columns: uniqueKeys(out.columns) };
}

/** Runs `sql` through a pg-cursor, handing batches of array rows to `onBatch` until it returns false or rows end. */
async function cursorRead(client: Client, sql: string, params: unknown[] | undefined, limit: number,
  onBatch?: (columns: string[], rows: unknown[][]) => boolean): Promise<{ columns: string[] }> {
  const cursor = client.query(new Cursor(sql, params ?? [], { rowMode: 'array' }));
  let columns: string[] = [];
  try {
    let read = 0;
    do {
      const batch = (await cursor.read(Math.max(1, Math.min(100, limit - read)))) as unknown[][];
      columns = fieldNames(cursor);
      read += batch.length;
      if (batch.length === 0 || !onBatch || !onBatch(columns, batch)) break;
    } while (read < limit);
  } finally {
    await cursor.close().catch(() => {});
  }
  return { columns };
}

function fieldNames(cursor: Cursor): string[] {
  const fields = (cursor as unknown as { _result?: { fields?: { name: string }[] } })._result?.fields ?? [];
  return fields.map((f) => f.name);
}

/** Column names made unique for row objects: `id`, `id_2`. */
function uniqueKeys(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}_${k}`;
  });
}

/** What the agents run as on a connection (decided once per connection). */
export type RoleDecision =
  | { ok: true; role?: string; note?: string }
  | { ok: false; message: string };

/**
 * The role the agents' statements run as. An explicit agent role wins; full powers only when the user allowed them
 * for this connection. Otherwise a session user with powers that reach outside the database (superuser, reading
 * server files, signalling backends, replication) drops to `pg_read_all_data` on PostgreSQL 14+, or is refused.
 */
export async function decideAgentRole(client: Client, opts: { agentRole?: string; fullPowers?: boolean }): Promise<RoleDecision> {
  if (opts.agentRole) return { ok: true, role: opts.agentRole };
  if (opts.fullPowers) return { ok: true };
  const rows = await queryOne(client, `select r.rolsuper as super, r.rolreplication as repl,
      pg_has_role(r.oid, 'pg_read_server_files', 'member') as files, pg_has_role(r.oid, 'pg_signal_backend', 'member') as signal,
      pg_has_role(r.oid, 'pg_write_server_files', 'member') or pg_has_role(r.oid, 'pg_execute_server_program', 'member') as writes,
      current_setting('server_version_num')::int as version,
      exists (select 1 from pg_roles where rolname = 'pg_read_all_data') as has_read_all,
      (select pg_has_role(r.oid, 'pg_read_all_data', 'member') from pg_roles where rolname = 'pg_read_all_data') as can_read_all
    from pg_roles r where r.rolname = session_user`);
  const r = rows[0] ?? {};
  const powers = [r.super && 'superuser', r.files && 'pg_read_server_files', r.writes && 'server file or program access', r.signal && 'pg_signal_backend', r.repl && 'replication']
    .filter(Boolean) as string[];
  if (powers.length === 0) return { ok: true };
  const what = powers[0] === 'superuser' ? 'a superuser' : `a user with ${powers.join(', ')}`;
  if (Number(r.version) >= 140000 && r.has_read_all && (r.super || r.can_read_all)) {
    return { ok: true, role: 'pg_read_all_data', note: `The agents' queries ran as pg_read_all_data, not as ${what}: row level security applies to what they see. Set an agent role (databaseEngineer.agentRole / --agent-role) to choose another.` };
  }
  return {
    ok: false,
    message: `This connection logs in as ${what}, and the agents' queries never run with those powers (they reach the server's files and other sessions). `
      + `Create a read-only role and set it as the agent role (databaseEngineer.agentRole, or --agent-role on the CLI): `
      + `\`create role agent_reader nologin; grant pg_read_all_data to agent_reader;\` and grant it to the user you connect as `
      + `(on PostgreSQL 13 and older, grant select on the schemas instead). Or allow full powers for this connection explicitly.`,
  };
}
