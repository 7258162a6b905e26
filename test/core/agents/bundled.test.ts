import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog, manifestWithParticipants, chatParticipantsFor } from '../../../src/core/agents';
import { SLASH_COMMANDS } from '../../../src/core/assist/slashCommands';
import { bundledDir, repoRoot } from './helpers';

const catalog = loadCatalog({ bundledDir });
const REQUIRED = ['database-engineer', 'rls-security', 'query-performance', 'migrations', 'prisma', 'vector-search'];

test('every bundled agent loads without warnings, with a long prompt, examples, triggers and a Claude model', () => {
  const files = readdirSync(bundledDir).filter((f) => f.endsWith('.md'));
  assert.equal(catalog.entries.length, files.length);
  for (const id of REQUIRED) assert.ok(catalog.get(id), `bundled agent ${id} exists`);
  for (const { agent, active, participant } of catalog.entries) {
    const where = agent.file;
    assert.deepEqual(agent.warnings, [], where);
    assert.ok(active, where);
    assert.equal(participant, `database-engineer.${agent.id}`);
    assert.equal(`${agent.id}.md`, agent.file.split('/').pop(), `${where}: file named after its id`);
    assert.ok(agent.prompt.length > 4000, `${where}: prompt is ${agent.prompt.length} chars`);
    assert.ok(agent.examples.length >= 2 && agent.examples.length <= 3, `${where}: ${agent.examples.length} examples`);
    assert.ok(agent.triggers.filePatterns.length > 0 && agent.triggers.keywords.length > 0, where);
    assert.ok(agent.tools && agent.tools.length > 0, where);
    assert.ok(agent.category && agent.color && agent.model && agent.tags.length > 0, where);
    assert.match(agent.modelId, /^claude-/);
    // The safety rules every agent carries.
    assert.match(agent.prompt, /explicit confirmation/i, `${where}: DDL/DML only after confirmation`);
    assert.match(agent.prompt, /rollback;/i, `${where}: EXPLAIN ANALYZE inside a rolled-back transaction`);
    assert.match(agent.prompt, /parameteri[sz]ed/i, `${where}: parameterised SQL`);
    assert.match(agent.prompt, /row level security|RLS/i, `${where}: RLS on exposed tables`);
    assert.match(agent.prompt, /## Output format/, `${where}: states its output format`);
  }
});

test('bundled agents carry the senior-level specifics they are known for', () => {
  const p = (id: string) => catalog.get(id)!.prompt;
  assert.match(p('database-engineer'), /\(select auth\.uid\(\)\)/);
  assert.match(p('database-engineer'), /security_invoker/);
  assert.match(p('database-engineer'), /set search_path = ''/);
  assert.match(p('rls-security'), /with check/);
  assert.match(p('rls-security'), /force row level security/);
  assert.match(p('query-performance'), /create index concurrently/);
  assert.match(p('query-performance'), /Rows Removed by Filter/);
  assert.match(p('migrations'), /not valid/);
  assert.match(p('migrations'), /validate constraint/);
  assert.match(p('migrations'), /lock_timeout/);
  assert.match(p('migrations'), /ACCESS EXCLUSIVE/);
  assert.match(p('prisma'), /migrate dev --create-only/);
  assert.match(p('vector-search'), /ef_construction/);
  assert.match(p('vector-search'), /hnsw\.ef_search/);
  assert.match(p('vector-search'), /vector_cosine_ops/);
});

test('package.json chatParticipants match agents/ (run `npm run gen:manifest` when this fails)', () => {
  const text = readFileSync(join(repoRoot, 'package.json'), 'utf8');
  assert.equal(manifestWithParticipants(text, catalog.active()), text);
});

test('the generated participants follow VS Code\'s contribution shape', () => {
  const participants = chatParticipantsFor(catalog.active());
  assert.equal(participants[0]!.id, 'database-engineer.database-engineer', 'the generalist comes first');
  for (const p of participants) {
    assert.deepEqual(Object.keys(p).filter((k) => k !== 'commands'), ['id', 'name', 'fullName', 'description', 'isSticky', 'disambiguation']);
    assert.equal(p.id, `database-engineer.${p.name}`);
    assert.match(p.name, /^[a-z0-9-]+$/);
    assert.equal(p.isSticky, true);
    assert.ok(!p.description.includes('<example>') && p.description.length < 300, p.description);
    assert.equal(p.disambiguation.length, 1);
    assert.deepEqual(p.disambiguation[0]!.examples, catalog.get(p.name)!.examples);
  }
  const generalist = participants.find((p) => p.name === 'database-engineer')!;
  // /agents, then the slash commands the editor implements (src/core/assist/slashCommands.ts), with the same text.
  assert.deepEqual(generalist.commands, [
    { name: 'agents', description: "List all agents, including your workspace's" },
    ...Object.values(SLASH_COMMANDS).map((c) => ({ name: c.name, description: c.description })),
  ]);
});

test('the manifest generator merges frontmatter commands and drops unreadable agents', () => {
  const base = JSON.stringify({ name: 'x', contributes: { commands: [], chatParticipants: [] }, scripts: {} }, null, 2);
  const extra = { ...catalog.get('prisma')!, commands: [{ name: 'schema', description: 'Review schema.prisma' }] };
  const broken = { ...catalog.get('migrations')!, id: 'broken', loadError: 'nope' };
  const out = JSON.parse(manifestWithParticipants(base, [extra, broken]));
  assert.deepEqual(Object.keys(out), ['name', 'contributes', 'scripts'], 'key order kept');
  assert.deepEqual(out.contributes.chatParticipants.map((p: { name: string }) => p.name), ['prisma']);
  assert.deepEqual(out.contributes.chatParticipants[0].commands, [{ name: 'schema', description: 'Review schema.prisma' }]);
});
