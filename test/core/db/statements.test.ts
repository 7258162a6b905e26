import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { findPlaceholders, loadParser, splitStatements, stripNonSql } from '../../../src/core/db/statements';
import { prepareExplain, ExplainError } from '../../../src/core/db/explain';
import { scrub, mapConnectError } from '../../../src/core/db/errors';
import { resolveProfile } from '../../../src/core/db/profile';

before(() => loadParser());

test('splitting uses byte offsets correctly after multi-byte text and reports each statement line', () => {
  const sql = `-- café ☕ header\ninsert into t values ('naïve ☕');\n\n/* block\n comment */\ncreate table é (a int);\nselect 'x;y'`;
  const r = splitStatements(sql);
  assert.ok(r.ok);
  assert.deepEqual(r.statements.map((s) => [s.line, s.kind, s.text]), [
    [2, 'InsertStmt', `insert into t values ('naïve ☕')`],
    [6, 'CreateStmt', 'create table é (a int)'],
    [7, 'SelectStmt', `select 'x;y'`],
  ]);
});

test('a syntax error comes back with its line', () => {
  const r = splitStatements('select 1;\nselect 2;\nselec 3;');
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.line, 3);
});

test('psql meta-commands and COPY FROM stdin blocks are blanked, keeping line numbers', () => {
  const { sql, skippedCopies } = stripNonSql('\\set ON_ERROR_STOP on\ncopy t (a) from stdin;\n1\n2\n\\.\nselect 1;');
  assert.equal(skippedCopies, 1);
  assert.equal(sql, '\n\n\n\n\nselect 1;');
});

test('placeholders: $n and :name, not casts, slices, strings, dollar quotes or comments', () => {
  const sql = `select a[1:2], b::int, ':x $5', $$ :y $$, e'\\':z' from t where id = $1 and name = :name and c = (:other) -- :w $7\n/* :v */`;
  const found = findPlaceholders(sql).map((p) => [p.key, sql.slice(p.start, p.end)]);
  assert.deepEqual(found, [[1, '$1'], ['name', ':name'], ['other', ':other']]);
  const utf = `select 'é' , :p`;
  const [p] = findPlaceholders(utf);
  assert.equal(utf.slice(p!.start, p!.end), ':p', 'UTF-16 positions after multi-byte text');
});

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
