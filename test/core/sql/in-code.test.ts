import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCodePath, sqlInCode } from '../../../src/core/sql/inCode';

/** The SQL texts taken from a source, each trimmed, in order. */
const taken = (src: string) => {
  const { sql, literals } = sqlInCode(src);
  assert.equal(sql.length, literals.length ? src.length : 0, 'same length as the source');
  if (literals.length) assert.deepEqual(sql.split('\n').map((l) => l.length), src.split('\n').map((l) => l.length), 'same line layout');
  return literals.map((l) => sql.slice(l.start, l.end).trim());
};

test('tagged templates, Prisma raw calls with type arguments, and x.query(...) first arguments are SQL', () => {
  assert.deepEqual(taken([
    'const a = sql`select 1`;',
    'const b = Prisma.sql`SELECT 2`;',
    'const c = await prisma.$queryRaw<{ n: number }[]>`select 3`;',
    'const d = await prisma.$executeRaw `update t set x = 1`;',
    "const e = await db.query('select 4', []);",
    'const f = await pool . query ( "select 5" );',
    'const g = await prisma.$queryRawUnsafe(`select 6`);',
  ].join('\n')), ['select 1', 'SELECT 2', 'select 3', 'update t set x = 1', 'select 4', 'select 5', 'select 6']);
});

test('other strings, fragments, comments and regular expressions are left alone; the scan is not fooled by their quotes', () => {
  assert.deepEqual(taken([
    "// db.query('select 1') in a comment",
    "/* sql`select 2` in a block comment, with a ' quote */",
    "const re = /['`]/g, half = total / 2; const s = 'it\\'s';",
    "const frag = sql`lower(${x})`; const other = html`select 3`; query('select 4'); obj.query({ text: 'select 5' });",
    'const t = `${sql`select 6`}`;',
    "db.query('select 7')",
  ].join('\n')), ['select 6', 'select 7']);
  assert.equal(sqlInCode('export const x = 1;\n').sql, '', 'no SQL: nothing to parse');
});

test('interpolations become padded placeholders, escapes keep their width, CRLF line breaks stay', () => {
  const src = 'sql`select a\r\n  from t where id = ${\r\n  id\r\n} and n = \'it\\\'s\'`;';
  const { sql, literals } = sqlInCode(src);
  assert.equal(sql.length, src.length);
  assert.deepEqual(literals.map((l) => l.interpolated), [true]);
  assert.equal(sql, "    select a\r\n  from t where id = $1\r\n    \r\n  and n = 'it 's'; ");
  // A statement inside another's interpolation is part of it, not a second one.
  assert.deepEqual(taken('sql`select * from t where x in (${sql`select 1`})`'), ['select * from t where x in ($1              )']);
});

test('which files are code', () => {
  for (const p of ['a.ts', 'a.tsx', 'a.mts', 'a.cjs', 'a.mjs', 'a.js', 'a.jsx']) assert.ok(isCodePath(p), p);
  for (const p of ['a.d.ts', 'a.d.mts', 'a.sql', 'a.json', 'a.prisma']) assert.ok(!isCodePath(p), p);
});

test('a file over 512 KB (a bundle, minified code) is not scanned', () => {
  const line = 'a>b`x`;c=1/2;d.query("select 1");';
  assert.equal(sqlInCode(line.repeat(1000)).literals.length, 1000);
  assert.equal(sqlInCode(line.repeat(20000)).literals.length, 0);
});
