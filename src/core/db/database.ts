/**
 * The `Database` port: one shape for a live `pg` connection and the embedded PGlite worker, used by every face
 * (the EXPLAIN commands, the agents' tools, the CLI). Everything here runs inside a rolled-back transaction;
 * `query` also runs READ ONLY with a statement_timeout.
 * An AbortSignal stops a running statement: pg_cancel_backend from a side connection (live) or terminating the
 * embedded worker.
 */
import type { LiveConnection } from './connect';
import type { EmbeddedService, MigrationCopy } from './embeddedService';
import { explain, ExplainError, type ExplainRequest, type ExplainResult } from './explain';
import { liveTarget, type QueryFn } from './explainTarget';
import { decideAgentRole, readBounded, type RoleDecision } from './guarded';
import { introspect, type LiveSchema } from './introspect';
import { PROVIDER_LABELS, type Provider } from './provider';
import type { Redactor } from '../security/redact';

export interface QueryOutcome {
  rows: Record<string, unknown>[];
  /** Rows the statement produced (may exceed `rows.length`); with `moreRows`, at least this many. */
  total: number;
  /** Column names in order (rows may be empty). */
  columns?: string[];
  /** Reading stopped at the row cap: more rows exist. */
  moreRows?: boolean;
  /** Reading stopped at the byte cap. */
  bytesCapped?: boolean;
  /** Values cut to the value cap. */
  cutValues?: number;
  /** What the user and model should know about how it ran (the agents' role). */
  notes?: string[];
}

/** What a database is, known without opening it (for progress lines and prompts). */
export interface DatabaseInfo {
  kind: 'live' | 'embedded';
  /** What the user calls it: the connection's name, or "embedded database". Never a URL or credentials. */
  name: string;
  /** Masks the connection's password and other credentials; every tool result passes through it. */
  redact?: Redactor;
  /** The hosting provider (live only). */
  provider?: Provider;
}

export interface Database extends DatabaseInfo {
  /** EXPLAIN (ANALYZE inside BEGIN … ROLLBACK); `onProgress` sees the embedded database's first build. */
  explain(req: ExplainRequest, onProgress?: BuildProgress): Promise<ExplainResult>;
  /** One statement in a READ ONLY transaction that is rolled back; at most `maxRows` rows come back. */
  query(sql: string, opts: { maxRows: number; timeoutMs: number; signal?: AbortSignal; params?: unknown[] }): Promise<QueryOutcome>;
  /** The schema from the catalog. */
  schema(signal?: AbortSignal): Promise<LiveSchema>;
  /**
   * The embedded database only: a throwaway copy of it with a proposed migration applied, open while `use` runs
   * (`copy.refused`: the statements PostgreSQL refused; `copy.explain`: EXPLAIN on the copy). Never offered by a
   * live connection.
   */
  withMigration?<T>(file: string, sql: string, use: (copy: MigrationCopy) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export type BuildProgress = (p: { index: number; total: number; file: string }) => void;

export interface LiveDatabaseOptions {
  /** Role the agents' statements run as (`SET LOCAL ROLE`), e.g. one granted pg_read_all_data. */
  agentRole?: string;
  /** The user allowed the agents this connection's full powers (superuser and all). */
  fullPowers?: boolean;
}

/**
 * A live connection as a Database. The connection stays open; its owner closes it. Every statement goes through
 * the guarded transaction (core/db/guarded.ts): single statement over the extended protocol, standard_conforming_strings
 * on, timeouts. Queries, the schema and agents' EXPLAINs also run READ ONLY (unless the user allowed a write) as the
 * agents' role, read through a cursor within caps; an EXPLAIN the user asked for (`byUser`) runs as the session user.
 */
export function liveDatabase(conn: LiveConnection, name: string, options: LiveDatabaseOptions = {}): Database {
  let decided: Promise<RoleDecision> | undefined;
  const role = () => (decided ??= decideAgentRole(conn.client, { ...(options.agentRole ? { agentRole: options.agentRole } : {}), ...(options.fullPowers ? { fullPowers: true } : {}) })
    .catch((err) => { decided = undefined; throw err; }));
  const target = liveTarget(conn, { role });
  const userTarget = liveTarget(conn);
  const roleNotes = async () => {
    const d = await role();
    return d.ok && d.note ? [d.note] : [];
  };
  return {
    kind: 'live',
    name,
    redact: conn.redact,
    provider: conn.target.provider,
    explain: async (req) => {
      if (req.byUser) return explain(userTarget, req);
      const result = await explain(target, req);
      return { ...result, notes: [...result.notes, ...(await roleNotes())] };
    },
    query: async (sql, opts) => {
      const read = await target.rolledBack(async (q, client) => {
        await q(`select set_config('statement_timeout', $1, true)`, [String(Math.max(1, Math.floor(opts.timeoutMs)))]);
        return readBounded(client!, sql, opts.params?.length ? opts.params : undefined, { maxRows: opts.maxRows });
      }, opts.signal);
      const notes = await roleNotes();
      return {
        rows: read.rows, total: read.rows.length, columns: read.columns,
        ...(read.moreRows ? { moreRows: true } : {}), ...(read.bytesCapped ? { bytesCapped: true } : {}),
        ...(read.cutValues ? { cutValues: read.cutValues } : {}), ...(notes.length ? { notes } : {}),
      };
    },
    schema: (signal) => target.rolledBack(async (q) => introspect(q), signal),
  };
}

/** The embedded database (PGlite in a worker) as a Database. */
export function embeddedDatabase(service: EmbeddedService): Database {
  const q = (signal?: AbortSignal): QueryFn => async (sql, params) =>
    (await service.query(sql, params, { readOnly: true, maxRows: Number.MAX_SAFE_INTEGER, ...(signal ? { signal } : {}) })).rows;
  return {
    kind: 'embedded',
    name: 'embedded database (built from the migrations)',
    explain: (req, onProgress) => service.explain(req, onProgress),
    query: (sql, opts) => service.query(sql, opts.params, { readOnly: true, maxRows: opts.maxRows, timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) }),
    schema: (signal) => introspect(q(signal)),
    withMigration: (file, sql, use, signal) => service.withMigration(file, sql, use, signal ? { signal } : {}),
  };
}

/** "prod (Supabase)" / "embedded database …", for prompts and progress lines. */
export function describeDatabase(db: DatabaseInfo): string {
  return db.kind === 'live' && db.provider ? `${db.name} (${PROVIDER_LABELS[db.provider]})` : db.name;
}

/** The SQLSTATE of a database error, whichever side it came from. */
export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; details?: { code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  if (err instanceof ExplainError && typeof (e.details as { code?: unknown })?.code === 'string') return (e.details as { code: string }).code;
  return undefined;
}
