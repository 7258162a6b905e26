import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint, applyEdits } from './lint-helpers';
import { ConfigError, allRuleIds, loadConfig, mergeConfig, parseConfig, defaultConfig } from '../../../src/core/analysis';
import { suppressStatementEdit } from '../../../src/core/editing/suppress';

const rules = (fs: { rule: string }[]) => fs.map((f) => f.rule).sort();

test('-- dbe-ignore silences the named rules on the next statement only', async () => {
  const { findings } = await lint(`
-- dbe-ignore rls-disabled, no-primary-key -- server-only scratch table
create table a (x int);
create table b (x int);
`);
  assert.deepEqual(rules(findings.filter((f) => f.message.includes(' a '))), []);
  assert.deepEqual(rules(findings.filter((f) => f.message.includes(' b '))), ['no-primary-key', 'rls-disabled']);
});

test('-- dbe-ignore without ids silences every rule on the next statement; ignore-file silences the file', async () => {
  const a = await lint('-- dbe-ignore\ncreate table a (x int);\ncreate table b (x int);');
  assert.ok(a.findings.every((f) => !f.message.includes(' a ')));
  const b = await lint('create table a (x int);\n-- dbe-ignore-file rls-disabled\ncreate table b (x int);');
  assert.deepEqual(rules(b.findings), ['no-primary-key', 'no-primary-key']);
});

test('config sets severities, turns rules off, and changes exposed schemas', async () => {
  const { findings } = await lint('create table a (x int); create schema api; create table api.b (id bigint primary key);', {
    rules: { 'no-primary-key': 'off', 'rls-disabled': 'warning' },
    exposedSchemas: ['api'],
  });
  assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.message.includes('api.b')]), [['rls-disabled', 'warning', true]]);
});

test('syntax errors can be configured too and never hide other findings', async () => {
  const { findings } = await lint('selec 1;\ncreate table a (id bigint primary key);');
  assert.deepEqual(rules(findings), ['rls-disabled', 'syntax-error']);
  const off = await lint('selec 1;', { rules: { 'syntax-error': 'off' } });
  assert.equal(off.findings.length, 0);
});

test('config validation names the file, the key and the fix', () => {
  const bad = (text: string, re: RegExp) => assert.throws(() => parseConfig(text, '/ws/.dbe.json', allRuleIds), (e: unknown) => e instanceof ConfigError && re.test((e as Error).message));
  bad('{"rules": {"rls-disable": "off"}}', /\/ws\/\.dbe\.json: unknown rule "rls-disable".*did you mean "rls-disabled"/);
  bad('{"rules": {"rls-disabled": "loud"}}', /rule "rls-disabled" has level "loud"; use one of "off", "error", "warning", "info"/);
  bad('{"exposedSchemas": "public"}', /"exposedSchemas" must be an array of non-empty strings/);
  bad('{"exposed": []}', /unknown key "exposed"/);
  bad('{"rules": {', /not valid JSON/);
  bad('[]', /must be a JSON object/);
  const ok = parseConfig('{"rules": {"prefer-text": "off"}, "exposedSchemas": ["public", "api"], "migrationFolders": ["db/migrations/"], "assumeInTransaction": true}', 'x', allRuleIds);
  assert.deepEqual(ok, { rules: { 'prefer-text': 'off' }, exposedSchemas: ['public', 'api'], migrationFolders: ['db/migrations'], assumeInTransaction: true });
});

test('loadConfig: defaults without a file, the root .dbe.json when present, a clear error for a missing explicit file', () => {
  const root = mkdtempSync(join(tmpdir(), 'dbe-cfg-'));
  assert.deepEqual(loadConfig(root, allRuleIds).config, defaultConfig());
  writeFileSync(join(root, '.dbe.json'), '{"rules": {"prefer-text": "error"}}');
  const loaded = loadConfig(root, allRuleIds);
  assert.equal(loaded.config.rules['prefer-text'], 'error');
  assert.equal(loaded.file, join(root, '.dbe.json'));
  assert.throws(() => loadConfig(root, allRuleIds, join(root, 'nope.json')), /nope\.json: config file not found/);
  const merged = mergeConfig(loaded.config, { rules: { 'rls-disabled': 'off' }, exposedSchemas: ['api'] });
  assert.deepEqual(merged.rules, { 'prefer-text': 'error', 'rls-disabled': 'off' });
  assert.deepEqual(merged.exposedSchemas, ['api']);
});

test('the suppression edit puts the directive above the statement (not the finding line) and extends an existing one', async () => {
  const text = 'create table a (\n  id int,\n  at timestamp\n);\n  -- dbe-ignore no-primary-key\n  create table b (x int); create table c (y timestamp);\n';
  const { analyzer, findings } = await lint({ '/ws/m/001.sql': text });
  const tz = findings.find((f) => f.rule === 'prefer-timestamptz' && f.range.start.line === 2)!;
  const fixed = applyEdits(text, [suppressStatementEdit(analyzer.parsed('/ws/m/001.sql')!, tz)]);
  assert.ok(fixed.startsWith('-- dbe-ignore prefer-timestamptz\ncreate table a (\n'));
  const b = findings.find((f) => f.rule === 'rls-disabled' && f.message.includes(' b '))!;
  const fixedB = applyEdits(text, [suppressStatementEdit(analyzer.parsed('/ws/m/001.sql')!, b)]);
  assert.match(fixedB, /\n {2}-- dbe-ignore no-primary-key, rls-disabled\n {2}create table b/);
  const c = findings.find((f) => f.rule === 'prefer-timestamptz' && f.message.includes('"y"'))!;
  const fixedC = applyEdits(text, [suppressStatementEdit(analyzer.parsed('/ws/m/001.sql')!, c)]);
  // Each fix really silences its finding and nothing else.
  for (const [t, gone] of [[fixed, tz], [fixedB, b], [fixedC, c]] as const) {
    const after = (await lint({ '/ws/m/001.sql': t })).findings.map((f) => `${f.rule}|${f.message}`);
    assert.ok(!after.includes(`${gone.rule}|${gone.message}`), t);
    assert.equal(after.length, findings.length - 1, t);
  }
});
