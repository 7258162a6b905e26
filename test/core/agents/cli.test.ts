import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tree, repoRoot, bundledDir } from './helpers';
import { ensureBuilt } from '../support/build';

const cli = join(repoRoot, 'dist', 'cli.js');
const KEYS = ['active', 'description', 'file', 'id', 'model', 'modelId', 'name', 'participant', 'prompt', 'shadows', 'source', 'warnings'];
// A home without ~/.claude/agents, so the machine's own agents never leak into the results.
const home = mkdtempSync(join(tmpdir(), 'dbe-home-'));


before(() => {
  ensureBuilt();
});

function dbe(args: string[], cwd: string, viaSource = false) {
  const argv = viaSource
    ? ['--import', join(repoRoot, 'node_modules/tsx/dist/loader.mjs'), join(repoRoot, 'src/cli/main.ts'), ...args]
    : [cli, ...args];
  return spawnSync('node', argv, { cwd, encoding: 'utf8', env: { ...process.env, HOME: home } });
}

const workspace = () =>
  tree({
    'ws/.claude/agents/database-engineer.md': '---\nname: database-engineer\ndescription: Ours: the team version\\n<example>user: "hello team" assistant: ok</example>\nmodel: opus\n---\nTeam prompt.\n',
    'ws/.github/chatmodes/plan.chatmode.md': '---\ndescription: Planning mode\ntools: [codebase]\nmodel: GPT-4.1\n---\nPlan things.\n',
    'extra/vector-search.md': '---\nname: vector-search\ndescription: local override\ntools: Read, Bash(psql:*)\n---\nLocal vectors.\n',
    'extra/garbage.md': Buffer.from([0x00, 0xff, 0x13, 0x37]),
  });

test('dbe agents --dir X --json: every agent, exact keys, active/shadows/participant per id', () => {
  const root = workspace();
  const r = dbe(['agents', '--dir', '../extra', '--json'], join(root, 'ws'));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['agents']);
  const agents = out.agents as Record<string, unknown>[];
  for (const a of agents) {
    assert.deepEqual(Object.keys(a).sort(), KEYS);
    for (const w of a.warnings as Record<string, unknown>[]) assert.deepEqual(Object.keys(w).sort(), ['line', 'message']);
  }
  const bundledCount = readdirSync(bundledDir).filter((f) => f.endsWith('.md')).length;
  assert.equal(agents.length, bundledCount + 4);

  const byId = (id: string) => agents.filter((a) => a.id === id);
  const [bundledDe, teamDe] = byId('database-engineer');
  assert.equal(bundledDe!.source, 'bundled');
  assert.equal(bundledDe!.active, false);
  assert.equal(bundledDe!.shadows, null);
  assert.equal(teamDe!.source, 'workspace');
  assert.equal(teamDe!.active, true);
  assert.equal(teamDe!.shadows, join(bundledDir, 'database-engineer.md'));
  assert.equal(bundledDe!.file, join(bundledDir, 'database-engineer.md'), 'each entry names the file it came from');
  assert.equal(teamDe!.file, join(root, 'ws', '.claude', 'agents', 'database-engineer.md'));
  assert.equal(teamDe!.participant, 'database-engineer.database-engineer');
  assert.equal(teamDe!.prompt, 'Team prompt.');
  assert.equal(teamDe!.model, 'opus');
  assert.match(teamDe!.modelId as string, /^claude-opus-/);
  assert.deepEqual((teamDe!.warnings as { line: number }[]).map((w) => w.line), [3]);

  const plan = byId('plan')[0]!;
  assert.equal(plan.participant, null);
  assert.equal(plan.active, true);
  assert.equal(plan.model, 'GPT-4.1');
  assert.match((plan.warnings as { message: string }[])[0]!.message, /GPT-4\.1/);

  const [, localVs] = byId('vector-search');
  assert.equal(localVs!.source, 'dir');
  assert.equal(localVs!.file, join(root, 'extra', 'vector-search.md'));
  assert.equal(localVs!.active, true);
  assert.equal(localVs!.shadows, join(bundledDir, 'vector-search.md'));

  const garbage = byId('garbage')[0]!;
  assert.equal(garbage.active, false);
  assert.equal(garbage.prompt, '');
  assert.match((garbage.warnings as { message: string }[])[0]!.message, /not a UTF-8 text file|NUL/);

  const untouched = byId('rls-security')[0]!;
  assert.equal(untouched.active, true);
  assert.equal(untouched.model, 'opus');
  assert.ok((untouched.prompt as string).length > 4000, 'the full prompt, not a summary');
});

test('dbe agents prints a readable list with sources, shadowing and warnings', () => {
  const root = workspace();
  const r = dbe(['agents', '--dir', join(root, 'extra')], join(root, 'ws'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\* database-engineer +workspace +opus → claude-opus-\S+ +\.claude\/agents\/database-engineer\.md$/m);
  assert.match(r.stdout, /^ {4}shadows .*agents\/database-engineer\.md$/m);
  assert.match(r.stdout, /^ {4}warning \(line 3\): frontmatter is not valid YAML/m);
  assert.match(r.stdout, /^! garbage +dir/m);
  assert.match(r.stdout, /active agents from \d+ files/);
});

test('a missing --dir folder exits 2 with a clear message', () => {
  const root = workspace();
  const r = dbe(['agents', '--dir', 'no-such-folder', '--json'], root);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^dbe agents: --dir no-such-folder: no such folder \(.*no-such-folder\)/);
  const file = dbe(['agents', '--dir', 'extra/garbage.md'], root);
  assert.equal(file.status, 2);
  assert.match(file.stderr, /is a file, not a folder/);
  const flag = dbe(['agents', '--bogus'], root);
  assert.equal(flag.status, 2);
});

test('run from source (tsx), dbe agents finds the same bundled agents', () => {
  const empty = mkdtempSync(join(tmpdir(), 'dbe-empty-'));
  const built = JSON.parse(dbe(['agents', '--json'], empty).stdout).agents;
  const source = dbe(['agents', '--json'], empty, true);
  assert.equal(source.status, 0, source.stderr);
  assert.deepEqual(JSON.parse(source.stdout).agents, built);
  assert.ok(built.length >= 6 && built.every((a: { source: string }) => a.source === 'bundled'));
});
