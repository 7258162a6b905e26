import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureParser, parseFile, ParseCache, locRange } from '../../../src/core/sql/parse';
import { splitStatements, stripNonSql } from '../../../src/core/sql/split';
import { LineMap, utf16OffsetOfByte, utf16OffsetOfCodePoint } from '../../../src/core/sql/positions';

before(() => ensureParser());

const parse = (text: string) => parseFile('/x.sql', text, new ParseCache());

test('byte offsets become UTF-16 columns after multi-byte characters (é, emoji)', () => {
  const text = "-- café ☕ 😀\nselect 'é😀', 1; create table \"Ünï\".\"t😀\" (id int);";
  const f = parse(text);
  assert.equal(f.statements.length, 2);
  const [sel, create] = f.statements;
  assert.deepEqual(sel!.range.start, { line: 1, column: 0 });
  assert.equal(sel!.kind, 'SelectStmt');
  // The CREATE starts after `select 'é😀', 1; ` — 17 UTF-16 units (the emoji counts 2).
  assert.deepEqual(create!.range.start, { line: 1, column: 17 });
  const rel = locRange(f, create!, create!.node.relation.location, 4);
  assert.equal(text.slice(new LineMap(text).offsetAt(rel.start), new LineMap(text).offsetAt(rel.start) + 5), '"Ünï"');
  assert.equal(create!.node.relation.schemaname, 'Ünï');
  assert.equal(create!.node.relation.relname, 't😀');
});

test('offset conversions agree on a mixed string', () => {
  const s = 'aé😀b';
  assert.equal(utf16OffsetOfByte(s, 1), 1);
  assert.equal(utf16OffsetOfByte(s, 3), 2); // after é (2 bytes)
  assert.equal(utf16OffsetOfByte(s, 7), 4); // after 😀 (4 bytes, 2 units)
  assert.equal(utf16OffsetOfCodePoint(s, 3), 4);
  assert.deepEqual(new LineMap('ab\ncd\n').positionAt(4), { line: 1, column: 1 });
});

test('a syntax error is reported where the parser stopped and the other statements are still parsed', () => {
  const text = "create table a (id int);\nselect 'ü😀' frm x;\ncreate table b (id int);";
  const f = parse(text);
  assert.deepEqual(f.statements.map((s) => s.kind), ['CreateStmt', 'CreateStmt']);
  assert.equal(f.syntaxErrors.length, 1);
  const e = f.syntaxErrors[0]!;
  assert.match(e.message, /syntax error at or near "x"/);
  // `x` sits at UTF-16 column 17 of line 2 (the emoji is two units, one code point).
  assert.deepEqual(e.range.start, { line: 1, column: 17 });
});

test('an unterminated string is one syntax error, earlier statements survive', () => {
  const f = parse("create table a (id int);\nselect 'oops;\n");
  assert.equal(f.statements.length, 1);
  assert.equal(f.syntaxErrors.length, 1);
  assert.equal(f.syntaxErrors[0]!.range.start.line, 1);
});

test('psql meta-commands and COPY … FROM stdin data are blanked, keeping offsets', () => {
  const text = "\\set ON_ERROR_STOP on\n\\c mydb\ncopy t (a, b) from stdin;\n1\tx;y\n2\t'z\n\\.\ncreate table t2 (id int);\n\\i other.sql\n";
  const clean = stripNonSql(text);
  assert.equal(clean.length, text.length);
  assert.equal(clean.split('\n').length, text.split('\n').length);
  assert.ok(!clean.includes('\\set') && !clean.includes("'z") && !clean.includes('\\i'));
  const f = parse(text);
  assert.deepEqual(f.statements.map((s) => s.kind), ['CopyStmt', 'CreateStmt']);
  assert.equal(f.syntaxErrors.length, 0);
  assert.deepEqual(f.statements[1]!.range.start, { line: 6, column: 0 });
});

test('semicolons inside literals, dollar bodies, comments and BEGIN ATOMIC do not split statements', () => {
  const text = [
    "select 'a;b', \"c;d\", E'\\';';",
    'create function f() returns int language plpgsql as $body$ begin return 1; end; $body$;',
    '/* a; /* nested; */ b; */ select 2;',
    'create function g() returns int language sql begin atomic select 1; select case when true then 2 end; end;',
    'select 3 -- trailing; comment',
  ].join('\n');
  const { chunks } = splitStatements(text);
  assert.equal(chunks.length, 5);
  const f = parse(text);
  assert.deepEqual(f.statements.map((s) => s.kind), ['SelectStmt', 'CreateFunctionStmt', 'SelectStmt', 'CreateFunctionStmt', 'SelectStmt']);
  assert.equal(f.syntaxErrors.length, 0);
});

test('the parse cache re-parses only statements whose text changed', () => {
  const cache = new ParseCache();
  const a = 'create table a (id int);\ncreate table b (id int);\ncreate table c (id int);';
  parseFile('/x.sql', a, cache);
  assert.equal(cache.parses, 3);
  const f = parseFile('/x.sql', '-- moved down\n' + a.replace('table b (id int)', 'table b (id bigint)'), cache);
  assert.equal(cache.parses, 4);
  assert.deepEqual(f.statements[2]!.range.start, { line: 3, column: 0 });
});

test(':name placeholders parse as parameters (query files, Explain binds them); positions stay; real errors stay errors', async () => {
  await ensureParser();
  const text = '-- by owner\nselect id from public.documents\nwhere owner_id = :owner and created_at > :since::timestamptz and tags[1:2] is not null;\n';
  const file = parseFile('/ws/queries/by_owner.sql', text, new ParseCache());
  assert.deepEqual(file.syntaxErrors, []);
  assert.equal(file.statements.length, 1);
  assert.equal(file.statements[0]!.kind, 'SelectStmt');
  assert.deepEqual(file.statements[0]!.range, { start: { line: 1, column: 0 }, end: { line: 2, column: 87 } }, 'the statement ends just past its own ;');
  const broken = parseFile('/ws/queries/broken.sql', 'select from where :owner;\n', new ParseCache());
  assert.equal(broken.syntaxErrors.length, 1, 'a statement that is wrong for other reasons still reports its error');
});
