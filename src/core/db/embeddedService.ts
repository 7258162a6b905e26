/**
 * The embedded database for long-lived hosts (the editor): PGlite in a worker thread, so building it never blocks the
 * host and a statement can be stopped — on timeout or cancel the worker is terminated (its transaction dies with it)
 * and the next request reopens the snapshot (about a second). Idle workers are terminated too; a change to the
 * migrations restarts the worker, which rebuilds or reopens the matching snapshot.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsKey, type EmbeddedBuildOptions, type MigrationIssue } from './embedded';
import { ExplainError, type ExplainErrorKind, type ExplainRequest, type ExplainResult } from './explain';
import type { WorkerMessage, WorkerRequest } from './embeddedWorker';

export interface EmbeddedServiceOptions extends EmbeddedBuildOptions {
  /** Close the database after this long unused (ms). Default 5 minutes. */
  idleMs?: number;
  /** The worker script; default: embeddedWorker.js beside this bundle, or the .ts source under tsx. */
  workerFile?: string;
}

interface Running {
  worker: Worker;
  key: string;
  ready: Promise<{ issues: MigrationIssue[]; files: string[]; fromCache: boolean }>;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>;
}

/** A throwaway copy of the embedded database with a migration applied, open while `withMigration`'s callback runs. */
export interface MigrationCopy {
  /** The migration's statements PostgreSQL refused (empty: all ran). */
  refused: MigrationIssue[];
  /** EXPLAIN on the copy (as `EmbeddedService.explain` on the embedded database). */
  explain(request: ExplainRequest): Promise<ExplainResult>;
}

export class EmbeddedService {
  private running?: Running;
  private nextId = 1;
  private timer?: NodeJS.Timeout;
  private active = 0;
  private lastIssues: MigrationIssue[] = [];
  /** How many workers were started (tests use it to see a restart). */
  starts = 0;

  constructor(private readonly options: EmbeddedServiceOptions) {}

  get isOpen(): boolean {
    return this.running !== undefined;
  }

  /** Failing migration statements of the last open. */
  issues(): MigrationIssue[] {
    return this.lastIssues;
  }

  /** Opens (or reuses) the worker; `onProgress` sees migration files if it has to build. */
  async open(onProgress?: EmbeddedBuildOptions['onProgress'], own = 0): Promise<{ issues: MigrationIssue[]; files: string[]; fromCache: boolean }> {
    const key = migrationsKey(this.options);
    // Changed migrations: restart, unless other requests are still running on the old worker (`own` = the caller's).
    if (this.running && this.running.key !== key && this.active - own === 0) await this.stop();
    if (!this.running) this.running = this.start(key, onProgress);
    const r = await this.running.ready;
    this.lastIssues = r.issues;
    return r;
  }

  /**
   * EXPLAIN on the embedded database. `statementTimeoutMs` and `signal` are enforced here by terminating the worker,
   * so ANALYZE needs no cost guard.
   */
  async explain(request: ExplainRequest, onProgress?: EmbeddedBuildOptions['onProgress']): Promise<ExplainResult> {
    if (request.signal?.aborted) throw new ExplainError('cancelled', 'The EXPLAIN was cancelled before it started.');
    const { signal, ...rest } = request;
    return this.call<ExplainResult>(
      (id) => ({ id, op: 'explain', request: { ...rest, maxUninterruptibleCost: Number.MAX_VALUE } }),
      { timeoutMs: request.statementTimeoutMs ?? 30_000, signal, what: 'EXPLAIN' }, onProgress);
  }

  /**
   * One statement on the embedded database inside a rolled-back transaction (READ ONLY when `readOnly`), at most
   * `maxRows` rows back (`total` counts them all). Timeout and `signal` terminate the worker, as for EXPLAIN.
   * Server errors come back as ExplainError 'server' with the SQLSTATE in `details.code`.
   */
  async query(sql: string, params: unknown[] | undefined, opts: { readOnly: boolean; maxRows: number; timeoutMs?: number; signal?: AbortSignal }): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    if (opts.signal?.aborted) throw new ExplainError('cancelled', 'The query was cancelled before it started.');
    return this.call((id) => ({ id, op: 'query', sql, ...(params ? { params } : {}), readOnly: opts.readOnly, maxRows: opts.maxRows }),
      { timeoutMs: opts.timeoutMs ?? 30_000, signal: opts.signal, what: 'query' });
  }

  /**
   * A throwaway copy of the embedded database with a proposed migration applied (see `openCopy`), for `use` to
   * EXPLAIN on; closed when `use` settles. `refused`: the statements PostgreSQL refused. Opening the copy may take
   * up to `timeoutMs` (default 60 s); past it, or on `signal`, the worker is terminated, as for EXPLAIN.
   */
  async withMigration<T>(file: string, sql: string, use: (copy: MigrationCopy) => Promise<T>, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    if (opts.signal?.aborted) throw new ExplainError('cancelled', 'The trial was cancelled before it started.');
    const { copy, refused } = await this.call<{ copy: number; refused: MigrationIssue[] }>((id) => ({ id, op: 'openCopy', file, sql }),
      { timeoutMs: opts.timeoutMs ?? 60_000, signal: opts.signal, what: 'trial of the migration' });
    try {
      return await use({
        refused,
        explain: (request) => {
          const { signal, ...rest } = request;
          return this.call<ExplainResult>((id) => ({ id, op: 'explain', request: { ...rest, maxUninterruptibleCost: Number.MAX_VALUE }, copy }),
            { timeoutMs: request.statementTimeoutMs ?? 30_000, signal, what: 'EXPLAIN' });
        },
      });
    } finally {
      if (this.running) await this.call((id) => ({ id, op: 'closeCopy', copy }), { timeoutMs: 30_000, what: 'closing the copy' }).catch(() => {});
    }
  }

  private async call<T>(message: (id: number) => WorkerRequest, opts: { timeoutMs: number; signal?: AbortSignal; what: string }, onProgress?: EmbeddedBuildOptions['onProgress']): Promise<T> {
    this.active++;
    clearTimeout(this.timer);
    try {
      await this.open(onProgress, 1);
      const running = this.running!;
      const { signal, timeoutMs: timeout, what } = opts;
      const id = this.nextId++;
      return await new Promise<T>((resolve, reject) => {
        let settled = false;
        const finish = (fn: () => void) => { if (!settled) { settled = true; clearTimeout(timer); signal?.removeEventListener('abort', onAbort); fn(); } };
        const kill = (kind: ExplainErrorKind, message: string) => finish(() => {
          reject(new ExplainError(kind, message));
          void this.stop();
        });
        const onAbort = () => kill('cancelled', `The ${what} was cancelled; the embedded database was stopped and reopens on the next request.`);
        const timer = setTimeout(() => kill('timeout', `The statement ran longer than the ${timeout} ms statement timeout and was stopped (the embedded database reopens on the next request).${what === 'EXPLAIN' ? ' Explain without ANALYZE, or raise the timeout.' : ''}`), timeout + 1000);
        signal?.addEventListener('abort', onAbort, { once: true });
        running.pending.set(id, {
          resolve: (v) => finish(() => resolve(v as T)),
          reject: (e) => finish(() => reject(e)),
        });
        running.worker.postMessage(message(id) satisfies WorkerRequest);
      });
    } finally {
      this.active--;
      if (this.active === 0) this.armIdle();
    }
  }

  private start(key: string, onProgress?: EmbeddedBuildOptions['onProgress']): Running {
    this.starts++;
    const { onProgress: optionProgress, log, workerFile, ...data } = this.options;
    const file = workerFile ?? defaultWorkerFile();
    // Under tsx (tests, bench) the worker gets the TypeScript source through tsx's require hook; bundles use the .js.
    const worker = file.endsWith('.ts')
      ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`, { eval: true, workerData: data })
      : new Worker(file, { workerData: data });
    worker.unref();
    const pending: Running['pending'] = new Map();
    let readyResolve!: (v: { issues: MigrationIssue[]; files: string[]; fromCache: boolean }) => void;
    let readyReject!: (e: unknown) => void;
    const ready = new Promise<{ issues: MigrationIssue[]; files: string[]; fromCache: boolean }>((res, rej) => { readyResolve = res; readyReject = rej; });
    // A worker that failed to open is dropped, so the next request tries again rather than failing forever.
    ready.catch(() => {
      if (this.running?.worker === worker) this.running = undefined;
      void worker.terminate().catch(() => 0);
    });
    const progress = onProgress ?? optionProgress;
    worker.on('message', (m: WorkerMessage) => {
      if (m.op === 'progress') progress?.({ index: m.index, total: m.total, file: m.file });
      else if (m.op === 'ready') { log?.info(`embedded database ready (${m.fromCache ? 'from snapshot' : 'built'}, ${m.issues.length} issue(s))`); readyResolve(m); }
      else if (m.op === 'failed') readyReject(new Error(`The embedded database could not start: ${m.message}`));
      else {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.op === 'result') p?.resolve(m.value);
        else p?.reject(new ExplainError(m.kind as ExplainErrorKind, m.message, (m.details ?? {}) as ExplainError['details']));
      }
    });
    const onGone = (why: string) => {
      readyReject(new Error(`The embedded database stopped: ${why}`));
      for (const p of pending.values()) p.reject(new ExplainError('server', `The embedded database stopped: ${why}`));
      pending.clear();
      if (this.running?.worker === worker) this.running = undefined;
    };
    worker.on('error', (err) => onGone(err.message));
    worker.on('exit', (code) => onGone(`exit ${code}`));
    return { worker, key, ready, pending };
  }

  private armIdle(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { if (this.active === 0) void this.stop(); }, this.options.idleMs ?? 5 * 60_000);
    this.timer.unref();
  }

  /** Terminates the worker (its database is in memory only; the snapshot on disk stays). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    const r = this.running;
    this.running = undefined;
    if (r) await r.worker.terminate().catch(() => 0);
  }

  dispose(): Promise<void> {
    return this.stop();
  }
}

function defaultWorkerFile(): string {
  const js = join(__dirname, 'embeddedWorker.js');
  if (existsSync(js)) return js;
  return join(__dirname, 'embeddedWorker.ts');
}
