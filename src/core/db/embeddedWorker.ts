/**
 * Worker-thread entry for the embedded database (see embeddedService.ts): PGlite's WASM runs synchronously for
 * seconds at a time (initdb, a long ANALYZE), which would freeze whatever thread hosts it. Here it freezes only this
 * worker, and the host can stop a runaway statement by terminating the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { defaultCacheDir, openCopy, openEmbedded, type EmbeddedDatabase, type EmbeddedBuildOptions } from './embedded';
import { explain, ExplainError, type ExplainRequest } from './explain';
import { embeddedTarget } from './explainTarget';

export type WorkerRequest =
  | { id: number; op: 'explain'; request: Omit<ExplainRequest, 'signal'>; copy?: number }
  | { id: number; op: 'query'; sql: string; params?: unknown[]; readOnly: boolean; maxRows: number }
  | { id: number; op: 'openCopy'; file: string; sql: string }
  | { id: number; op: 'closeCopy'; copy: number }
  | { id: number; op: 'close' };

export type WorkerMessage =
  | { op: 'progress'; index: number; total: number; file: string }
  | { op: 'ready'; issues: EmbeddedDatabase['issues']; files: string[]; fromCache: boolean; key: string }
  | { op: 'failed'; message: string }
  | { id: number; op: 'result'; value: unknown }
  | { id: number; op: 'error'; kind: string; message: string; details?: unknown };

if (parentPort) {
  const port = parentPort;
  const options = workerData as Omit<EmbeddedBuildOptions, 'onProgress' | 'log'>;
  const post = (m: WorkerMessage) => port.postMessage(m);
  openEmbedded({ ...options, onProgress: (p) => post({ op: 'progress', ...p }) }).then((e) => {
    post({ op: 'ready', issues: e.issues, files: e.files, fromCache: e.fromCache, key: e.key });
    const target = embeddedTarget(e.db);
    // Throwaway copies with a proposed migration applied (see openCopy), by id, until the host closes them.
    const copies = new Map<number, Awaited<ReturnType<typeof openCopy>>['db']>();
    let nextCopy = 1;
    const fail = (id: number) => (err: unknown) => post(err instanceof ExplainError
      ? { id, op: 'error', kind: err.kind, message: err.message, details: err.details }
      : { id, op: 'error', kind: 'server', message: (err as Error).message ?? String(err) });
    port.on('message', (msg: WorkerRequest) => {
      if (msg.op === 'close') {
        void e.close().finally(() => { post({ id: msg.id, op: 'result', value: null }); port.close(); });
        return;
      }
      if (msg.op === 'openCopy') {
        // A proposed migration on a throwaway copy: this worker's database is not touched.
        openCopy(e, options.cacheDir ?? defaultCacheDir(), msg.file, msg.sql).then(({ db, refused }) => {
          const copy = nextCopy++;
          copies.set(copy, db);
          post({ id: msg.id, op: 'result', value: { copy, refused } });
        }, fail(msg.id));
        return;
      }
      if (msg.op === 'closeCopy') {
        const db = copies.get(msg.copy);
        copies.delete(msg.copy);
        void (db ? db.close() : Promise.resolve()).catch(() => {}).then(() => post({ id: msg.id, op: 'result', value: null }));
        return;
      }
      if (msg.op === 'query') {
        // A statement in a rolled-back transaction (READ ONLY when asked): nothing it does is kept.
        target.rolledBack(async (q) => {
          if (msg.readOnly) await q('set transaction read only');
          const rows = await q(msg.sql, msg.params);
          return { rows: rows.slice(0, msg.maxRows), total: rows.length };
        }).then(
          (value) => post({ id: msg.id, op: 'result', value }),
          (err: unknown) => post({ id: msg.id, op: 'error', kind: 'server', message: (err as Error).message ?? String(err), details: { code: (err as { code?: string }).code } }),
        );
        return;
      }
      const copy = msg.copy === undefined ? undefined : copies.get(msg.copy);
      if (msg.copy !== undefined && !copy) {
        post({ id: msg.id, op: 'error', kind: 'server', message: 'The copy of the embedded database is gone (its worker restarted); run the comparison again.' });
        return;
      }
      explain(copy ? embeddedTarget(copy) : target, msg.request).then((value) => post({ id: msg.id, op: 'result', value }), fail(msg.id));
    });
  }, (err: unknown) => post({ op: 'failed', message: (err as Error).message ?? String(err) }));
}
