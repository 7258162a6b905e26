import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { suppressFileEdit, suppressStatementEdit } from '../../../src/core/editing/suppress';
import { configErrorRange, settingsOverlay } from '../../../src/core/editing/settings';
import { ruleDocsMarkdown } from '../../../src/core/editing/ruleDocs';
import { allRuleIds, mergeConfig, parseConfig, defaultConfig } from '../../../src/core/analysis';
import { applyEdits, lint } from '../lint/lint-helpers';

const POLICY = `create table public.t (id bigint primary key, user_id uuid);
alter table public.t enable row level security;

  create policy "own" on public.t
    for select to authenticated
    using (auth.uid() = user_id);
`;

test('suppress for this statement: comment above the statement (not the finding line), same indentation, finding gone', async () => {
  const { findings, analyzer } = await lint({ '/ws/m/001.sql': POLICY });
  const f = findings.find((x) => x.rule === 'auth-function-per-row')!;
  assert.ok(f, 'fixture must fire auth-function-per-row');
  assert.equal(f.range.start.line, 5);
  const edit = suppressStatementEdit(analyzer.parsed('/ws/m/001.sql')!, f);
  const out = applyEdits(POLICY, [edit]);
  assert.equal(out.split('\n')[3], '  -- dbe-ignore auth-function-per-row');
  assert.equal(out.split('\n')[4], '  create policy "own" on public.t');
  const again = await lint({ '/ws/m/001.sql': out });
  assert.equal(again.findings.filter((x) => x.rule === 'auth-function-per-row').length, 0);
});

test('suppress for this statement when the statement shares its line with an earlier one', async () => {
  const text = 'select 1; create table public.u (id bigint primary key);\n';
  const { findings, analyzer } = await lint({ '/ws/m/001.sql': text });
  const f = findings.find((x) => x.rule === 'rls-disabled')!;
  assert.ok(f);
  const out = applyEdits(text, [suppressStatementEdit(analyzer.parsed('/ws/m/001.sql')!, f)]);
  assert.equal(out, 'select 1; \n-- dbe-ignore rls-disabled\ncreate table public.u (id bigint primary key);\n');
  const again = await lint({ '/ws/m/001.sql': out });
  assert.deepEqual(again.findings.filter((x) => x.rule === 'rls-disabled'), []);
});

test('suppress in this file: first line, or appended to an existing dbe-ignore-file line', async () => {
  const text = 'create table public.a (id bigint primary key);\ncreate table public.b (id bigint primary key);\n';
  const { analyzer } = await lint({ '/ws/m/001.sql': text });
  const first = applyEdits(text, [suppressFileEdit(analyzer.parsed('/ws/m/001.sql')!, 'rls-disabled')]);
  assert.equal(first.split('\n')[0], '-- dbe-ignore-file rls-disabled');
  assert.deepEqual((await lint({ '/ws/m/001.sql': first })).findings.filter((x) => x.rule === 'rls-disabled'), []);

  const second = await lint({ '/ws/m/001.sql': first });
  const merged = applyEdits(first, [suppressFileEdit(second.analyzer.parsed('/ws/m/001.sql')!, 'prefer-identity')]);
  assert.equal(merged.split('\n')[0], '-- dbe-ignore-file rls-disabled, prefer-identity');
  const same = suppressFileEdit(second.analyzer.parsed('/ws/m/001.sql')!, 'rls-disabled');
  assert.equal(same.newText, '', 'a rule already listed adds nothing');
});

test('settingsOverlay keeps valid entries, reports bad ones, and merges over the file config', () => {
  const { overlay, problems } = settingsOverlay(
    { rules: { 'prefer-text': 'off', 'rls-disabledd': 'off', 'rls-disabled': 'fatal' }, exposedSchemas: ['public', 'api'], migrationFolders: ['db\\migrations/'] },
    allRuleIds,
  );
  assert.deepEqual(overlay.rules, { 'prefer-text': 'off' });
  assert.deepEqual(overlay.exposedSchemas, ['public', 'api']);
  assert.deepEqual(overlay.migrationFolders, ['db/migrations']);
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /unknown rule "rls-disabledd"/);
  assert.match(problems[1]!, /rule "rls-disabled" has level "fatal"/);

  const file = parseConfig('{"rules": {"prefer-text": "error", "no-primary-key": "off"}, "exposedSchemas": ["x"]}', '.dbe.json', allRuleIds);
  const merged = mergeConfig(file, settingsOverlay({ rules: { 'prefer-text': 'info' } }, allRuleIds).overlay);
  assert.deepEqual(merged.rules, { 'prefer-text': 'info', 'no-primary-key': 'off' });
  assert.deepEqual(merged.exposedSchemas, ['x'], 'unset settings leave the file value');
});

test('settingsOverlay rejects wrong shapes without throwing', () => {
  const { overlay, problems } = settingsOverlay({ rules: ['x'], exposedSchemas: 'public', migrationFolders: [''] }, allRuleIds);
  assert.deepEqual(overlay, {});
  assert.equal(problems.length, 3);
  assert.deepEqual(settingsOverlay({}, allRuleIds), { overlay: {}, problems: [] });
  assert.deepEqual(mergeConfig(defaultConfig(), {}), defaultConfig());
});

test('configErrorRange points at the JSON error position, else the first line', () => {
  const text = '{\n  "rules": {\n    "a": "off",\n  }\n}\n';
  let message = '';
  try {
    JSON.parse(text);
  } catch (err) {
    message = (err as Error).message;
  }
  const r = configErrorRange(text, message);
  if (/position/.test(message)) assert.equal(r.start.line, 3);
  else assert.equal(r.start.line, 0);
  assert.deepEqual(configErrorRange('{"rules": 1}', 'rules must be an object'), { start: { line: 0, column: 0 }, end: { line: 0, column: 12 } });
  assert.deepEqual(configErrorRange('{\n x', 'Unexpected end of JSON input (line 2 column 3)'), { start: { line: 1, column: 2 }, end: { line: 1, column: 3 } });
});

test('ruleDocsMarkdown: every rule has a page with its docs and how to configure or silence it', () => {
  for (const id of allRuleIds) {
    const md = ruleDocsMarkdown(id)!;
    assert.ok(md, id);
    assert.match(md, new RegExp(`^## ${id}`, 'm'));
    assert.match(md, new RegExp(`(--|//) dbe-ignore ${id}`)); // SQL comments, or // in .prisma files
    assert.match(md, /\.dbe\.json/);
  }
  assert.equal(ruleDocsMarkdown('no-such-rule'), undefined);
});
