import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followupHints } from '../../../src/core/assist/followups';
import { SLASH_COMMANDS, findingsForSlash } from '../../../src/core/assist/slashCommands';
import { lint } from '../lint/lint-helpers';

test('follow-ups never repeat the command just run', () => {
  const afterSchemaRead = { hasSql: true, explained: false, proposals: 1, tools: ['get_schema', 'propose_migration'] };
  assert.deepEqual(followupHints(afterSchemaRead), ['explain', 'review', 'rls']);
  assert.deepEqual(followupHints({ ...afterSchemaRead, command: 'rls' }), ['explain', 'review'], 'after /rls, no "Check row level security" again');
  assert.deepEqual(followupHints({ ...afterSchemaRead, command: 'review' }), ['explain', 'rls']);
  assert.deepEqual(followupHints({ command: 'explain', hasSql: true, explained: false, proposals: 0, tools: [] }), ['migration']);
  assert.deepEqual(followupHints({ hasSql: false, explained: false, proposals: 0, tools: ['lint_sql'] }), []);
});

test('/rls lists only row level security and security findings; /review lists them all', async () => {
  const { findings } = await lint({
    'supabase/migrations/20240101000000_a.sql': 'create table public.events (id bigint primary key, at timestamp not null);',
  });
  const rules = (list: { rule: string }[]) => list.map((f) => f.rule).sort();
  assert.deepEqual(rules(findings), ['prefer-timestamptz', 'rls-disabled']);
  assert.deepEqual(rules(findingsForSlash(SLASH_COMMANDS.rls, findings)), ['rls-disabled'], 'prefer-timestamptz is not a security finding');
  assert.deepEqual(rules(findingsForSlash(SLASH_COMMANDS.review, findings)), ['prefer-timestamptz', 'rls-disabled']);
});
