import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, parseSync, parsePlPgSQLSync } from 'libpg-query';
import { loadPgWasm, parsePlpgsqlToJson, parseToJson } from '../../../src/core/sql/pgWasm';

// The lean binding must give exactly what libpg-query's own wrappers give: a libpg-query upgrade that
// changes the module's entry points or result layout fails here rather than in the rules.
before(async () => {
  await Promise.all([loadModule(), loadPgWasm()]);
});

const theirs = (sql: string) => {
  try {
    return { ok: true, tree: parseSync(sql) as unknown };
  } catch (err) {
    const d = (err as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
    return { ok: false, message: d?.message ?? (err as Error).message, cursor: d?.cursorPosition ?? 0 };
  }
};
const ours = (sql: string) => {
  const r = parseToJson(sql);
  return r.ok ? { ok: true, tree: JSON.parse(r.json) as unknown } : r;
};

test('parse trees and syntax errors match libpg-query parseSync, non-ASCII text included', () => {
  const cases = [
    'create table public.t (id bigint generated always as identity primary key, name text not null);',
    "select 'é😀' || naïve from \"ü\" where a = E'\\\\x' and b = $1;",
    'selec 1;',
    'create table t2 (x int,);',
    "select 'unterminated",
    'select 1; select 2; create index concurrently on t (x);',
    '-- only a comment',
    "create function f() returns int language sql as $$ select 1 $$;",
    'x'.repeat(5000) + ' int;',
  ];
  for (const sql of cases) assert.deepEqual(ours(sql), theirs(sql), sql.slice(0, 60));
  assert.deepEqual(ours(''), theirs(''));
  const err = ours('select 1 from;');
  assert.equal(err.ok, false);
  assert.match((err as { message: string }).message, /syntax error at or near ";"/);
});

test('large inputs survive the wasm heap growing during the parse', () => {
  const sql = Array.from({ length: 3000 }, (_, i) => `insert into t${i} (a, b) values (${i}, 'v${i}');`).join('\n');
  const r = ours(sql) as { ok: boolean; tree: { stmts: unknown[] } };
  assert.equal(r.ok, true);
  assert.equal(r.tree.stmts.length, 3000);
  assert.deepEqual(r, theirs(sql));
});

test('PL/pgSQL trees match parsePlPgSQLSync; a broken body throws', () => {
  const fn = 'create function f() returns trigger language plpgsql as $$ begin new.x := 1; execute format($q$select %I$q$, tg_table_name); return new; end $$;';
  assert.deepEqual(JSON.parse(parsePlpgsqlToJson(fn)), parsePlPgSQLSync(fn));
  assert.throws(() => parsePlpgsqlToJson('create function g() returns int language plpgsql as $$ begin retur 1; end $$;'));
});
