import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedService } from '../../../src/core/db/embeddedService';
import { ExplainError } from '../../../src/core/db/explain';

let root: string;
let service: EmbeddedService;
const progress: string[] = [];

before(() => {
  root = mkdtempSync(join(tmpdir(), 'dbe-svc-'));
  mkdirSync(join(root, 'migrations'));
  writeFileSync(join(root, 'migrations/001_items.sql'), 'create table items (id int primary key, name text not null);\ninsert into items select g, \'item \' || g from generate_series(1, 500) g;\n');
  writeFileSync(join(root, 'migrations/002_bad.sql'), '\n\nalter table nope add column x int;\n');
  service = new EmbeddedService({ root, cacheDir: join(root, 'cache'), idleMs: 60_000 });
});

after(async () => {
  await service?.dispose();
  rmSync(root, { recursive: true, force: true });
});

test('builds in a worker thread with progress and issues, then explains', async () => {
  const r = await service.explain({ query: 'select * from items where id < $1', params: [10], analyze: true }, (p) => progress.push(`${p.index}/${p.total}`));
  assert.deepEqual(progress, ['1/2', '2/2']);
  assert.deepEqual(service.issues().map((i) => `${i.file}:${i.line}`), ['migrations/002_bad.sql:3']);
  assert.equal(r.analyzed, true);
  assert.equal((r.plan[0] as { Plan: Record<string, unknown> }).Plan['Actual Rows'], 9);
  await assert.rejects(service.explain({ query: 'select * from missing_table' }), (e: unknown) => e instanceof ExplainError && /missing_table/.test(e.message));
});

test('a runaway statement is stopped by the timeout (worker terminated), and the next request reopens from the snapshot', async () => {
  const startsBefore = service.starts;
  await assert.rejects(
    service.explain({ query: 'select count(*) from generate_series(1, 2000000000)', analyze: true, statementTimeoutMs: 300 }),
    (e: unknown) => e instanceof ExplainError && e.kind === 'timeout',
  );
  assert.equal(service.isOpen, false);
  const ac = new AbortController();
  const pending = service.explain({ query: 'select count(*) from generate_series(1, 2000000000)', analyze: true, signal: ac.signal });
  await service.open();
  setTimeout(() => ac.abort(), 200);
  await assert.rejects(pending, (e: unknown) => e instanceof ExplainError && e.kind === 'cancelled');
  const again = await service.explain({ query: 'select count(*) from items', analyze: true });
  assert.equal((again.plan[0] as { Plan: Record<string, unknown> }).Plan['Actual Rows'], 1);
  assert.equal(service.starts, startsBefore + 2);
  assert.equal((await service.open()).fromCache, true);
});

test('a changed migration restarts the worker on the next explain, which rebuilds with progress', async () => {
  await service.explain({ query: 'select 1' });
  const startsBefore = service.starts;
  writeFileSync(join(root, 'migrations/003_more.sql'), 'create table more_items (id int primary key);\n');
  const seen: string[] = [];
  const r = await service.explain({ query: 'select * from more_items' }, (p) => seen.push(`${p.index}/${p.total}`));
  assert.equal((r.plan[0] as { Plan: Record<string, unknown> }).Plan['Relation Name'], 'more_items');
  assert.deepEqual(seen, ['1/3', '2/3', '3/3']);
  assert.equal(service.starts, startsBefore + 1);
});
