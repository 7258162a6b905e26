import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lastSqlBlock, parseOptimizeAnswer, sqlBlocks } from '../../../src/core/assist/sqlBlocks';
import { findingsMarkdown, SLASH_COMMANDS, slashCommand, slashPrompt } from '../../../src/core/assist/slashCommands';
import type { Finding } from '../../../src/core/analysis';
import { loadCatalog } from '../../../src/core/agents';
import { join } from 'node:path';

test('sqlBlocks finds sql / untagged fences and their -- labels; other languages are skipped', () => {
  const md = 'a\n```sql\n-- rewritten\nselect 1\n```\n```ts\nconst x = 1;\n```\n```\nselect 2;\n```\n```postgresql\n-- indexes:\ncreate index i on t (a);\n```';
  const blocks = sqlBlocks(md);
  assert.deepEqual(blocks.map((b) => b.label), ['rewritten', undefined, 'indexes']);
  assert.equal(blocks[1]!.text, 'select 2;');
  assert.equal(lastSqlBlock(md), '-- indexes:\ncreate index i on t (a);');
  assert.equal(lastSqlBlock('no code here'), undefined);
});

test('parseOptimizeAnswer reads the labelled format, and falls back to unlabelled blocks', () => {
  const labelled = parseOptimizeAnswer('x\n```sql\n-- rewritten\nselect a from t where b = 1\n```\n```sql\n-- indexes\ncreate index t_b on t (b);\n```');
  assert.deepEqual(labelled, { rewritten: 'select a from t where b = 1', indexes: 'create index t_b on t (b);' });
  const bare = parseOptimizeAnswer('```sql\nselect 1\n```\nand\n```sql\ncreate unique index u on t (a);\n```');
  assert.deepEqual(bare, { rewritten: 'select 1', indexes: 'create unique index u on t (a);' });
  assert.deepEqual(parseOptimizeAnswer('```sql\ncreate index only_idx on t (a);\n```'), { indexes: 'create index only_idx on t (a);' });
  assert.deepEqual(parseOptimizeAnswer('It is already optimal.'), { indexes: '' });
  // An ordinary leading comment is part of the query, not a label.
  assert.deepEqual(parseOptimizeAnswer('```sql\n-- latest first\nselect 1\n```'), { rewritten: '-- latest first\nselect 1', indexes: '' });
});

test('slash commands: known names only, prompts carry the task, findings and the user\'s words', () => {
  assert.equal(slashCommand('agents'), undefined, '/agents is handled by the core turn');
  assert.equal(slashCommand('toString'), undefined);
  assert.equal(slashCommand('rls')?.agentId, 'rls-security');
  const at = (file: string, line: number, column: number, severity: Finding['severity'], rule: string, message: string): Finding =>
    ({ rule, severity, category: 'security', message, file, range: { start: { line, column }, end: { line, column: column + 1 } }, fixes: [] });
  const findings = [
    at('/p/supabase/migrations/1_x.sql', 0, 13, 'error', 'rls-disabled', 'Table t has no RLS'),
    at('/p/a.sql', 1, 0, 'warning', 'unindexed-foreign-key', 'FK'),
    at('/p/a.sql', 2, 0, 'error', 'rls-disabled', 'again'),
  ];
  const prompt = slashPrompt(SLASH_COMMANDS.rls, ' only the comments table ', findings, (f) => f.replace('/p/', ''));
  assert.match(prompt, /propose_migration/);
  assert.match(prompt, /- supabase\/migrations\/1_x\.sql:1:14 error \[rls-disabled\]/);
  assert.match(prompt, /The user adds: only the comments table$/);
  assert.match(slashPrompt(SLASH_COMMANDS.review, '', []), /no findings/);
  assert.doesNotMatch(slashPrompt(SLASH_COMMANDS.optimize, ''), /findings/i);
  const md = findingsMarkdown('a.sql', findings);
  assert.match(md, /\*\*3 findings\*\* on `a\.sql`/);
  assert.match(md, /- `rls-disabled` \(error, line 1\): Table t has no RLS/);
  assert.match(findingsMarkdown('a.sql', []), /no findings/);
});

test('every slash command names a bundled agent', () => {
  const catalog = loadCatalog({ bundledDir: join(__dirname, '..', '..', '..', 'agents') });
  for (const spec of Object.values(SLASH_COMMANDS)) assert.ok(catalog.get(spec.agentId), `/${spec.name} → ${spec.agentId} is not a bundled agent`);
});
