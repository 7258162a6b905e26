import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareExplain, ExplainError } from '../../../src/core/db/explain';
import { scrub, mapConnectError } from '../../../src/core/db/errors';
import { resolveProfile } from '../../../src/core/db/profile';

test('prepareExplain numbers :name after $n, keeps one number per name, and strips a pasted EXPLAIN', async () => {
  const r = await prepareExplain({ query: 'EXPLAIN (ANALYZE, BUFFERS) select * from t where a = :x and b = $1 and c = :x;', params: { 1: 5, x: 'v' } });
  assert.equal(r.sql, 'select * from t where a = $2 and b = $1 and c = $2');
  assert.deepEqual(r.values, [5, 'v']);
  assert.equal(r.notes.length, 1);
  const w = await prepareExplain({ query: 'with d as (delete from t returning *) select * from d' });
  assert.equal(w.writes, true);
  await assert.rejects(prepareExplain({ query: '  ' }), (e: unknown) => e instanceof ExplainError && e.kind === 'empty');
  await assert.rejects(prepareExplain({ query: 'select from where' }), (e: unknown) => e instanceof ExplainError && e.kind === 'syntax');
  await assert.rejects(prepareExplain({ query: 'select $2', params: [] }), (e: unknown) => e instanceof ExplainError && e.kind === 'missing-params' && /\$2/.test(e.message) && !/\$1/.test(e.message));
});

test('error messages never carry a password, even when the driver echoes one', () => {
  const t = resolveProfile({ id: 'x', name: 'x', url: 'postgres://u:hunter22@db.example.com:5432/app' });
  const e = mapConnectError(Object.assign(new Error('weird failure for postgres://u:hunter22@db.example.com/app with hunter22'), {}), t, ['hunter22']);
  assert.ok(!e.message.includes('hunter22'), e.message);
  assert.match(e.message, /db\.example\.com:5432\/app/);
  assert.equal(scrub('postgresql://a:b@h/d', []), 'postgresql://a:***@h/d');
});
