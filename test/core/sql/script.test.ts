import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScript } from '../../../src/core/sql/script';
import { findPlaceholders } from '../../../src/core/sql/split';

test('a script splits on UTF-16 offsets after multi-byte text and reports each statement line', async () => {
  const sql = `-- café ☕ header\ninsert into t values ('naïve ☕');\n\n/* block\n comment */\ncreate table é (a int);\nselect 'x;y'`;
  const r = await parseScript(sql);
  assert.ok(r.ok);
  assert.deepEqual(r.statements.map((s) => [s.line, s.kind, s.text]), [
    [2, 'InsertStmt', `insert into t values ('naïve ☕')`],
    [6, 'CreateStmt', 'create table é (a int)'],
    [7, 'SelectStmt', `select 'x;y'`],
  ]);
});

test('a syntax error fails the script with its line and UTF-16 column', async () => {
  const r = await parseScript('select 1;\nselect 2;\nselect \'😀\' selec 3;');
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && [r.line, r.column], [3, 19], 'the emoji takes two UTF-16 units');
});

test('psql meta-commands and COPY FROM stdin with its data are left out, and the copies counted', async () => {
  const r = await parseScript('\\set ON_ERROR_STOP on\ncopy t (a) from stdin;\n1\n2\n\\.\nselect 1;\ncopy t to stdout;');
  assert.ok(r.ok);
  assert.equal(r.skippedCopies, 1);
  assert.deepEqual(r.statements.map((s) => [s.line, s.text]), [[6, 'select 1'], [7, 'copy t to stdout']]);
});

test('placeholders: $n and :name, not casts, slices, strings, dollar quotes or comments', () => {
  const sql = `select a[1:2], b::int, ':x $5', $$ :y $$, e'\\':z', x$1 from t where id = $1 and name = :name and c = (:other) -- :w $7\n/* :v */`;
  const found = findPlaceholders(sql).map((p) => [p.key, sql.slice(p.start, p.end)]);
  assert.deepEqual(found, [[1, '$1'], ['name', ':name'], ['other', ':other']]);
  const utf = `select '☕' , :p, $12`;
  const holders = findPlaceholders(utf);
  assert.deepEqual(holders.map((p) => utf.slice(p.start, p.end)), [':p', '$12'], 'UTF-16 positions after multi-byte text');
  assert.equal(holders[1]!.key, 12);
});
