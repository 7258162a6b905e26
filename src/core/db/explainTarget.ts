import type { Client } from 'pg';
import type { LiveConnection } from './connect';
import { guardStatements, queryOne, type RoleDecision } from './guarded';
import type { PGlite } from './pgliteRuntime';
import { describeTarget } from './profile';

/** One query on the session the transaction holds. Rows come back as plain objects. */
export type QueryFn = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** What EXPLAIN runs against: a live `pg` connection or the embedded PGlite, behind one shape. */
export interface ExplainTarget {
  database: 'live' | 'embedded';
  /** `host:port/db` or `embedded (migrations)`, for messages. */
  label: string;
  /** Sessions are read-only (default_transaction_read_only = on). */
  readOnly: boolean;
  /**
   * Whether a running statement can be stopped (statement_timeout, cancel). PGlite runs in this thread and ignores
   * statement_timeout (measured: a 24 s query ran to its end), so EXPLAIN guards ANALYZE there by estimated cost.
   */
  interruptible: boolean;
  /**
   * Runs `fn` inside BEGIN … ROLLBACK on one session, never committing. `signal` cancels the running statement
   * where the backend can (live: pg_cancel_backend from a second connection).
   */
  rolledBack<T>(fn: (q: QueryFn, client?: Client) => Promise<T>, signal?: AbortSignal, opts?: TransactionOptions): Promise<T>;
}

export interface TransactionOptions {
  /** The user allowed this transaction to write (EXPLAIN ANALYZE of a write, rolled back). Agent targets are READ ONLY otherwise. */
  write?: boolean;
}

/** What makes a target the agents' own: their role, decided once per connection. */
export interface AgentGuard {
  role(): Promise<RoleDecision>;
}

/** The agents' role could not be settled (a superuser on PostgreSQL 13 with no agent role): nothing runs. */
export class AgentRoleError extends Error {
  readonly code = 'AGENT_ROLE';
}

/**
 * Transactions queued per connection, not per target: the EXPLAIN panel and the agent tools may each hold a target on
 * the same connection, and two BEGIN … ROLLBACK blocks interleaved on one client would corrupt each other.
 */
const queues = new WeakMap<LiveConnection, { tail: Promise<unknown> }>();

/**
 * A live connection as an explain target. The connection stays open; its owner closes it. Every transaction opens
 * with the guards of `guarded.ts` (standard_conforming_strings on, statement/lock/idle timeouts) and sends each
 * statement over the extended protocol. With `agent`, transactions are READ ONLY unless the user allowed a write,
 * and run as the agents' role.
 */
export function liveTarget(conn: LiveConnection, agent?: AgentGuard): ExplainTarget {
  let slot = queues.get(conn);
  if (!slot) queues.set(conn, (slot = { tail: Promise.resolve() }));
  const queue = slot;
  return {
    database: 'live',
    label: describeTarget(conn.target),
    readOnly: conn.readOnly,
    interruptible: true,
    rolledBack<T>(fn: (q: QueryFn, client?: Client) => Promise<T>, signal?: AbortSignal, opts?: TransactionOptions): Promise<T> {
      // One transaction at a time on the shared client.
      const run = async () => {
        // Aborted while waiting in the queue: never start (the abort listener below would come too late to cancel).
        if (signal?.aborted) throw Object.assign(new Error('canceling statement due to user request'), { code: '57014' });
        const client = conn.client;
        const pid = (client as unknown as { processID?: number }).processID;
        const onAbort = () => {
          // Cancel from the side: the busy connection cannot take another message until its query ends.
          void conn.openSibling().then(async (side) => {
            try { await side.query('select pg_cancel_backend($1)', [pid]); } finally { await side.end().catch(() => {}); }
          }).catch(() => {});
        };
        const readOnly = agent ? !(opts?.write && !conn.readOnly) : conn.readOnly;
        const decision = agent ? await agent.role() : undefined;
        if (decision && !decision.ok) throw new AgentRoleError(decision.message);
        signal?.addEventListener('abort', onAbort, { once: true });
        await client.query(readOnly ? 'begin read only' : 'begin');
        try {
          // Our own text (simple protocol, several SET LOCALs in one round trip): nothing in it comes from outside.
          await client.query(guardStatements({ statementTimeoutMs: 30_000, ...(decision?.ok && decision.role ? { role: decision.role } : {}) }));
          return await fn(async (sql, params) => {
            // A statement left with unbound `$n` (a generic plan) cannot go through Bind; it was parsed as one
            // statement and standard_conforming_strings is on, so the server reads it as the parser did.
            if (!agent && !params?.length && /\$\d/.test(sql)) return (await client.query(sql)).rows;
            return queryOne(client, sql, params);
          }, client);
        } finally {
          signal?.removeEventListener('abort', onAbort);
          await client.query('rollback').catch(() => {});
        }
      };
      const p = queue.tail.then(run, run);
      queue.tail = p.catch(() => {});
      return p;
    },
  };
}

/**
 * The embedded PGlite as an explain target. PGlite runs in this thread, so a running statement cannot be interrupted
 * from outside: cancellation takes effect between statements, and statement_timeout bounds the rest.
 */
export function embeddedTarget(db: PGlite): ExplainTarget {
  return {
    database: 'embedded',
    label: 'embedded database (built from migrations)',
    readOnly: false,
    interruptible: false,
    async rolledBack<T>(fn: (q: QueryFn) => Promise<T>, signal?: AbortSignal): Promise<T> {
      return db.transaction(async (tx) => {
        const q: QueryFn = async (sql, params) => {
          if (signal?.aborted) throw Object.assign(new Error('canceling statement due to user request'), { code: '57014' });
          if (params && params.length > 0) return (await tx.query<Record<string, unknown>>(sql, params)).rows;
          // Without values, the simple protocol (as pg does): an unbound $1 is then legal, e.g. for GENERIC_PLAN.
          const results = await tx.exec(sql);
          return (results[results.length - 1]?.rows ?? []) as Record<string, unknown>[];
        };
        const result = await fn(q);
        await tx.rollback();
        return result;
      });
    },
  };
}
