import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixAllEdits, FIX_ALL_RULES, allRuleIds } from '../../../src/core/analysis';
import { lint, applyEdits } from './lint-helpers';

const FILE = '/ws/supabase/migrations/20240101000000_init.sql';

test('Fix all rewrites both auth.uid() calls of one policy in one go, and the result is clean', async () => {
  const text = [
    'create table public.docs (id bigint primary key, owner_id uuid, editor_id uuid);',
    'alter table public.docs enable row level security;',
    'create policy "own or edit" on public.docs for select to authenticated',
    '  using (auth.uid() = owner_id or auth.uid() = editor_id);',
    '',
  ].join('\n');
  const before = await lint({ [FILE]: text });
  assert.equal(before.findings.filter((f) => f.rule === 'auth-function-per-row').length, 2, 'one finding per call');
  const edits = fixAllEdits(before.findings, FILE);
  assert.equal(edits.length, 2);
  const fixed = applyEdits(text, edits);
  assert.match(fixed, /using \(\(select auth\.uid\(\)\) = owner_id or \(select auth\.uid\(\)\) = editor_id\)/);
  const after = await lint({ [FILE]: fixed });
  assert.deepEqual(after.findings.filter((f) => FIX_ALL_RULES.has(f.rule)).map((f) => f.message), []);
});

test('Fix all leaves out fixes that write a new migration or a starter policy, and findings of other files', async () => {
  const text = 'create table public.notes (id bigint primary key, user_id uuid);\n';
  const { findings } = await lint({ [FILE]: text, '/ws/supabase/migrations/20240102000000_b.sql': 'create policy p on public.notes using (auth.uid() = user_id);' });
  assert.ok(findings.some((f) => f.rule === 'rls-disabled' || f.rule === 'policy-without-rls'));
  assert.deepEqual(fixAllEdits(findings, FILE), [], 'RLS fixes need a person to choose the policy');
  assert.equal(fixAllEdits(findings, '/ws/supabase/migrations/20240102000000_b.sql').length, 1, 'the other file has its own fix-all edit');
  for (const id of FIX_ALL_RULES) assert.ok(allRuleIds.includes(id), `${id} is a rule`);
});
