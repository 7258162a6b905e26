import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseCache, ensureParser, parseFile } from '../../../src/core/sql/parse';
import { buildModel } from '../../../src/core/schema/build';
import { runRules } from '../../../src/core/lint/engine';
import { defaultConfig } from '../../../src/core/findings/config';

before(() => ensureParser());

test('a statement the model cannot apply is a visible warning, and the statements after it still apply', () => {
  const text = 'create table a (id int primary key);\ncreate table b (id int);\ncreate table c (id int);\n';
  const file = parseFile('/w/001.sql', text, new ParseCache());
  // A parse-tree shape the CREATE TABLE applier does not expect (no relation), as a future parser might produce.
  delete file.statements[1]!.node.relation;
  const model = buildModel([file]);
  assert.deepEqual([...model.tables.keys()], ['public.a', 'public.c']);
  assert.equal(model.warnings.length, 1);
  assert.equal(model.warnings[0]!.range.start.line, 1);
  assert.match(model.warnings[0]!.message, /could not apply this Create statement/);

  const findings = runRules({ files: [file], model, config: defaultConfig(), rules: [] });
  assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.range.start.line]), [['unapplied-statement', 'warning', 1]]);
  const off = runRules({ files: [file], model, config: { ...defaultConfig(), rules: { 'unapplied-statement': 'off' } }, rules: [] });
  assert.deepEqual(off, [], 'configurable like any rule');
});
