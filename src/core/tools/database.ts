/**
 * The database behind the tools, one shape for a live `pg` connection and the embedded PGlite worker. Everything
 * here runs inside a rolled-back transaction; queries from `run_query` also run READ ONLY with a statement_timeout.
 * An AbortSignal stops a running statement: pg_cancel_backend from a side connection (live) or terminating the
 * embedded worker.
 */
import type { LiveConnection } from '../db/connect';
import type { EmbeddedService } from '../db/embeddedService';
import { explain, ExplainError, type ExplainRequest, type ExplainResult } from '../db/explain';
import { liveTarget, type QueryFn } from '../db/explainTarget';
import { decideAgentRole, readBounded, type RoleDecision } from '../db/guarded';
import { introspect, type LiveSchema } from '../db/introspect';
import { PROVIDER_LABELS, type Provider } from '../db/provider';
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

export interface ToolDatabase {
  kind: 'live' | 'embedded';
  /** What the user calls it: the connection's name, or "embedded database". Never a URL or credentials. */
  name: string;
  /** Masks the connection's password and other credentials; every tool result passes through it. */
  redact?: Redactor;
  /** The hosting provider (live only). */
  provider?: Provider;
  explain(req: ExplainRequest): Promise<ExplainResult>;
  /** One statement in a READ ONLY transaction that is rolled back; at most `maxRows` rows come back. */
  query(sql: string, opts: { maxRows: number; timeoutMs: number; signal?: AbortSignal; params?: unknown[] }): Promise<QueryOutcome>;
  /** The schema from the catalog. */
  schema(signal?: AbortSignal): Promise<LiveSchema>;
}

export interface LiveToolOptions {
  /** Role the agents' statements run as (`SET LOCAL ROLE`), e.g. one granted pg_read_all_data. */
  agentRole?: string;
  /** The user allowed the agents this connection's full powers (superuser and all). */
  fullPowers?: boolean;
}

/**
 * A live connection as the tools' database. The connection stays open; its owner closes it. Every statement goes
 * through the agents' guarded transaction (core/db/guarded.ts): READ ONLY, single statement, timeouts, the agents'
 * role, read through a cursor within caps.
 */
export function liveToolDatabase(conn: LiveConnection, name: string, options: LiveToolOptions = {}): ToolDatabase {
  let decided: Promise<RoleDecision> | undefined;
  const role = () => (decided ??= decideAgentRole(conn.client, { ...(options.agentRole ? { agentRole: options.agentRole } : {}), ...(options.fullPowers ? { fullPowers: true } : {}) })
    .catch((err) => { decided = undefined; throw err; }));
  const target = liveTarget(conn, { role });
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

/** The embedded database (PGlite in a worker) as the tools' database. */
export function embeddedToolDatabase(service: EmbeddedService): ToolDatabase {
  const q = (signal?: AbortSignal): QueryFn => async (sql, params) =>
    (await service.query(sql, params, { readOnly: true, maxRows: Number.MAX_SAFE_INTEGER, ...(signal ? { signal } : {}) })).rows;
  return {
    kind: 'embedded',
    name: 'embedded database (built from the migrations)',
    explain: (req) => service.explain(req),
    query: (sql, opts) => service.query(sql, opts.params, { readOnly: true, maxRows: opts.maxRows, timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) }),
    schema: (signal) => introspect(q(signal)),
  };
}

/** "prod (Supabase)" / "embedded database …", for prompts and progress lines. */
export function describeDatabase(db: ToolDatabase): string {
  return db.kind === 'live' && db.provider ? `${db.name} (${PROVIDER_LABELS[db.provider]})` : db.name;
}

/** The SQLSTATE of a database error, whichever side it came from. */
export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; details?: { code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  if (err instanceof ExplainError && typeof (e.details as { code?: unknown })?.code === 'string') return (e.details as { code: string }).code;
  return undefined;
}
