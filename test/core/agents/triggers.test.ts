import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadAgentFile, suggestAgents, matchesFilePattern, containsWord, type Agent } from '../../../src/core/agents';
import { tree } from './helpers';

/** Agents read from real files, the way the catalog reads a workspace's .claude/agents. */
function agents(files: Record<string, string>): Agent[] {
  const root = tree(files);
  return Object.keys(files).map((name) => loadAgentFile(join(root, name), 'workspace'));
}

const team = () => agents({
  'dana-database.md': [
    '---',
    'name: Dana-Database',
    'description: Our DBA persona',
    'priority: high',
    'maxConcurrentTasks: 3',
    'triggers:',
    '  file_patterns: ["supabase/migrations/*.sql", "**/*.prisma"]',
    '  keywords: [vacuum, "connection pool", RLS]',
    '---',
    'You are Dana.',
  ].join('\n'),
  'frontend.md': [
    '---',
    'name: frontend',
    'description: React things',
    'priority: 1',
    'triggers:',
    '  filePatterns: "*.tsx, src/components/**"',
    '  keywords: [react]',
    '---',
    'You do React.',
  ].join('\n'),
  'loose.md': '---\nname: loose\ndescription: keywords as a bare list\ntriggers: [pgvector, embedding]\n---\nVectors.',
});

test('Claude Code variants load without warnings: priority as a word, maxConcurrentTasks, triggers in three spellings', () => {
  const [dana, frontend, loose] = team();
  assert.deepEqual(dana!.warnings, []);
  assert.equal(dana!.priority, 3, 'high is 3 on the low(1)…critical(4) scale');
  assert.deepEqual(dana!.triggers, { filePatterns: ['supabase/migrations/*.sql', '**/*.prisma'], keywords: ['vacuum', 'connection pool', 'RLS'] });
  assert.deepEqual(frontend!.warnings, []);
  assert.deepEqual(frontend!.triggers.filePatterns, ['*.tsx', 'src/components/**']);
  assert.deepEqual(loose!.warnings, []);
  assert.deepEqual(loose!.triggers.keywords, ['pgvector', 'embedding']);
  const [odd] = agents({ 'odd.md': '---\nname: odd\ndescription: d\npriority: soonish\n---\nBody.' });
  assert.equal(odd!.priority, undefined);
  assert.match(odd!.warnings[0]!.message, /priority 'soonish' is neither a number nor one of lowest, low, normal/);
  assert.equal(odd!.warnings[0]!.line, 4);
});

test('a keyword in the prompt suggests its agent; whole words only, any case, multi-word keywords across spaces', () => {
  const all = team();
  const ids = (prompt: string, file?: string) => suggestAgents(all, { prompt, file }).map((s) => s.agent.id);
  assert.deepEqual(ids('Should I VACUUM the orders table?'), ['dana-database']);
  assert.deepEqual(ids('our connection\n pool runs out'), ['dana-database']);
  assert.deepEqual(ids('is rls on?'), ['dana-database']);
  assert.deepEqual(ids('the curls are broken'), [], 'rls inside "curls" is not the keyword');
  assert.deepEqual(ids('store an embedding per row'), ['loose']);
  assert.deepEqual(ids('hello'), []);
  const [hit] = suggestAgents(all, { prompt: 'vacuum?' });
  assert.deepEqual(hit!.match, { kind: 'keyword', keyword: 'vacuum' });
});

test('file patterns match the active file; keyword hits rank first, then priority; the answering agent is left out', () => {
  const all = team();
  const ids = (ctx: { prompt?: string; file?: string }, exclude?: string) => suggestAgents(all, ctx, exclude).map((s) => s.agent.id);
  assert.deepEqual(ids({ file: 'supabase/migrations/20240101_init.sql' }), ['dana-database']);
  assert.deepEqual(ids({ file: 'supabase\\migrations\\20240101_init.sql' }), ['dana-database'], 'Windows separators');
  assert.deepEqual(ids({ file: '/home/me/app/supabase/migrations/1_a.sql' }), ['dana-database'], 'absolute paths match by their tail');
  assert.deepEqual(ids({ file: 'supabase/migrations/old/1_a.sql' }), [], '* stays inside one folder');
  assert.deepEqual(ids({ file: 'prisma/schema.prisma' }), ['dana-database']);
  assert.deepEqual(ids({ file: 'web/src/App.tsx' }), ['frontend'], 'a pattern without a slash matches the name in any folder');
  assert.deepEqual(ids({ file: 'src/components/deep/Button.ts' }), ['frontend']);
  // A keyword match beats a file match even against a higher priority.
  assert.deepEqual(ids({ file: 'prisma/schema.prisma', prompt: 'a react hook' }), ['frontend', 'dana-database']);
  assert.deepEqual(ids({ file: 'prisma/schema.prisma', prompt: 'vacuum' }, 'dana-database'), []);
  assert.deepEqual(suggestAgents(all, { file: 'x.prisma' })[0]!.match, { kind: 'file', pattern: '**/*.prisma' });
});

test('glob and word helpers', () => {
  assert.ok(matchesFilePattern('db/queries/a.sql', 'db/**/*.{sql,psql}'));
  assert.ok(matchesFilePattern('db/a.psql', 'db/**/*.{sql,psql}'), '** may be no folder at all');
  assert.ok(!matchesFilePattern('db/a.txt', 'db/**/*.{sql,psql}'));
  assert.ok(matchesFilePattern('a/b.sql', './a/?.sql'));
  assert.ok(!matchesFilePattern('a/bc.sql', 'a/?.sql'));
  assert.ok(!matchesFilePattern('a.sql', ''));
  assert.ok(containsWord('Index on (a, b)?', 'index'));
  assert.ok(!containsWord('reindexing', 'index'));
  assert.ok(containsWord('use C++ here', 'C++'), 'regex characters in keywords are literal');
  assert.ok(!containsWord('anything', '  '));
});
