import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseCache, ensureParser, parseFile, type ParsedFile } from '../../../src/core/sql/parse';
import { bodyRange, statementAt, statementNear } from '../../../src/core/sql/cursor';
import type { Position } from '../../../src/core/sql/positions';

// The one "statement at the cursor" that Explain, Optimize and the chat's attached statement all use.
before(() => ensureParser());

const parse = (text: string): ParsedFile => parseFile('/w/q.sql', text, new ParseCache());
/** The text of the statement the cursor means, or undefined. */
const near = (file: ParsedFile, line: number, column: number): string | undefined => statementNear(file, { line, column })?.text;

const FILE = [
  '-- header comment', //                         0
  'select * from orders', //                      1
  '  where id = 1;  -- trailing note', //         2
  '', //                                           3
  '/* between */', //                             4
  'select 2; select 3;', //                       5
  'selec 4;', //                                   6 (broken)
  'update t set a = 1;', //                        7
  '', //                                           8
].join('\n');

test('the cursor inside a statement, on its `;`, or after it on the same line means that statement', () => {
  const f = parse(FILE);
  assert.equal(near(f, 1, 3), 'select * from orders\n  where id = 1;');
  assert.equal(near(f, 2, 15), 'select * from orders\n  where id = 1;', 'just after the `;`');
  assert.equal(near(f, 2, 25), 'select * from orders\n  where id = 1;', 'in the trailing comment on its last line');
  assert.equal(near(f, 5, 2), 'select 2;');
  assert.equal(near(f, 5, 9), 'select 2;', 'on the space right after `select 2;` the statement just ended wins');
  assert.equal(near(f, 5, 12), 'select 3;');
});

test('between statements, in a comment on its own line, or on a broken statement: no statement', () => {
  const f = parse(FILE);
  assert.equal(near(f, 0, 5), undefined, 'the header comment before the first statement');
  assert.equal(near(f, 3, 0), undefined, 'the blank line between two statements');
  assert.equal(near(f, 4, 4), undefined, 'a block comment between two statements');
  assert.equal(near(f, 6, 2), undefined, 'a statement that does not parse (Explain falls back to its text to show the error)');
  assert.equal(statementAt(f, { line: 3, column: 0 }), undefined);
});

test('after the last statement (the empty last line, a closing comment) the last statement is meant', () => {
  const one = parse('select count(*) from orders;\n');
  assert.equal(near(one, 1, 0), 'select count(*) from orders;', 'the empty last line of a one-statement file');
  assert.equal(statementAt(one, { line: 1, column: 0 }), undefined, 'statementAt itself is exact');
  const f = parse(FILE + '-- done\n');
  assert.equal(near(f, 8, 3), 'update t set a = 1;');
  assert.equal(near(parse(''), 0, 0), undefined);
  assert.equal(near(parse('select 1;\nselec 2\n'), 2, 0), undefined, 'a broken statement after the last good one is what the cursor means');
});

test('bodyRange is the statement without its `;`, on UTF-16 columns', () => {
  const f = parse("select 'é☕😀' as x ;\n");
  const st = statementNear(f, { line: 0, column: 3 } as Position)!;
  const r = bodyRange(f, st);
  assert.deepEqual([r.start, r.end], [{ line: 0, column: 0 }, { line: 0, column: 18 }]);
  assert.equal(f.text.slice(0, r.end.column), "select 'é☕😀' as x");
});
