/**
 * The `Database` port: one shape for a live `pg` connection and the embedded PGlite worker, used by every face
 * (the EXPLAIN commands, the agents' tools, the CLI). Everything here runs inside a rolled-back transaction;
 * `query` also runs READ ONLY with a statement_timeout.
 * An AbortSignal stops a running statement: pg_cancel_backend from a side connection (live) or terminating the
 * embedded worker.
 */
import type { LiveConnection } from './connect';
import type { EmbeddedService } from './embeddedService';
import { explain, ExplainError, type ExplainRequest, type ExplainResult } from './explain';
import { liveTarget, type QueryFn } from './explainTarget';
import { introspect, type LiveSchema } from './introspect';
import { PROVIDER_LABELS, type Provider } from './provider';

export interface QueryOutcome {
  rows: Record<string, unknown>[];
  /** Rows the statement produced (may exceed `rows.length`). */
  total: number;
}

/** What a database is, known without opening it (for progress lines and prompts). */
export interface DatabaseInfo {
  kind: 'live' | 'embedded';
  /** What the user calls it: the connection's name, or "embedded database". Never a URL or credentials. */
  name: string;
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
}

export type BuildProgress = (p: { index: number; total: number; file: string }) => void;

/** A live connection as a Database. The connection stays open; its owner closes it. */
export function liveDatabase(conn: LiveConnection, name: string): Database {
  const target = liveTarget(conn);
  return {
    kind: 'live',
    name,
    provider: conn.target.provider,
    explain: (req) => explain(target, req),
    query: (sql, opts) => target.rolledBack(async (q) => {
      // READ ONLY whatever the connection's mode: this is the guard that holds, whatever the parser thought.
      await q('set transaction read only');
      await q(`select set_config('statement_timeout', $1, true)`, [String(Math.max(1, Math.floor(opts.timeoutMs)))]);
      const rows = await q(sql, opts.params?.length ? opts.params : undefined);
      return { rows: rows.slice(0, opts.maxRows), total: rows.length };
    }, opts.signal),
    schema: (signal) => target.rolledBack(async (q) => {
      await q('set transaction read only');
      return introspect(q);
    }, signal),
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
