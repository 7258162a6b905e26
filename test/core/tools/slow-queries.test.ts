// find_slow_queries on a PostgreSQL 15 with pg_stat_statements preloaded and installed.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { connect, type LiveConnection } from '../../../src/core/db/connect';
import { findSlowQueries, runTool } from '../../../src/core/tools';
import { liveDatabase } from '../../../src/core/db/database';
import { toolContext } from './workspace';

let pg: TestPostgres;
let conn: LiveConnection;
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dbe-slow-'));
  pg = await startPostgres({ conf: [`shared_preload_libraries = 'pg_stat_statements'`] });
  const admin = await pg.superuser(pg.database);
  try {
    await admin.query('create extension pg_stat_statements');
    await admin.query(`grant pg_read_all_stats to ${pg.user}`);
  } finally {
    await admin.end();
  }
  conn = await connect({ id: 't', name: 'stats', url: pg.url }, { readOnlyPolicy: 'never' });
  await conn.client.query('create table t (id int primary key, v text)');
  await conn.client.query(`insert into t select g, md5(g::text) from generate_series(1, 30000) g`);
  for (let i = 0; i < 3; i++) await conn.client.query(`select count(*) from t where v like '%ab%'`);
});

after(async () => {
  await conn?.close();
  pg?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('the slowest statements come back ranked, with calls, times and the query text', async () => {
  const r = await runTool(findSlowQueries, { limit: 5 }, toolContext(root, { database: liveDatabase(conn, 'stats') }));
  assert.equal(r.isError, undefined, r.content);
  assert.match(r.content, /^Top \d statements by total time on stats \(Local\) \(pg_stat_statements\):\n1\. [\d.]+ ms total/);
  assert.match(r.content, /3 calls[^\n]*\n\s+select count\(\*\) from t where v like \$1/);
  assert.doesNotMatch(r.content, /pg_stat_statements where/);
  const byMean = await runTool(findSlowQueries, { orderBy: 'mean', limit: 1 }, toolContext(root, { database: liveDatabase(conn, 'stats') }));
  assert.match(byMean.content, /^Top 1 statement by mean time/);
});
