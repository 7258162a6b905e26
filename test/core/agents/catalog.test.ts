import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog, agentFolders, loadAgentFile } from '../../../src/core/agents';
import { tree } from './helpers';

const agent = (name: string, prompt: string, extra = '') => `---\nname: ${name}\ndescription: ${name} agent\n${extra}---\n${prompt}\n`;

test('sources apply in order: bundled < user < workspace (.claude, .github/agents, .github/chatmodes) < setting < --dir', () => {
  const root = tree({
    'bundled/db.md': agent('db', 'bundled db'),
    'bundled/perf.md': agent('perf', 'bundled perf'),
    'home/.claude/agents/db.md': agent('db', 'user db'),
    'home/.claude/agents/mine.md': agent('mine', 'user mine'),
    'ws/.claude/agents/db.md': agent('db', 'workspace db'),
    'ws/.github/agents/mine.agent.md': '---\ndescription: gh mine\n---\ngithub mine\n',
    'ws/.github/agents/README.md': 'not an agent: wrong suffix',
    'ws/.github/chatmodes/plan.chatmode.md': '---\ndescription: plan mode\ntools: [codebase]\n---\nchatmode plan\n',
    'setting/perf.md': agent('perf', 'setting perf'),
    'extra/db.md': agent('db', 'dir db'),
  });
  const catalog = loadCatalog({
    bundledDir: join(root, 'bundled'),
    home: join(root, 'home'),
    workspaceFolders: [join(root, 'ws')],
    settingFolders: [join(root, 'setting')],
    dirs: [join(root, 'extra')],
  });
  const active = Object.fromEntries(catalog.active().map((a) => [a.id, a.prompt]));
  assert.deepEqual(active, { db: 'dir db', perf: 'setting perf', mine: 'github mine', plan: 'chatmode plan' });
  assert.equal(catalog.get('db')!.source, 'dir');
  assert.equal(catalog.get('mine')!.source, 'workspace');
  assert.equal(catalog.get('nope'), undefined);

  const dbEntries = catalog.entries.filter((e) => e.agent.id === 'db');
  assert.deepEqual(dbEntries.map((e) => [e.agent.source, e.active]), [['bundled', false], ['user', false], ['workspace', false], ['dir', true]]);
  assert.equal(dbEntries[3]!.shadows, join(root, 'ws/.claude/agents/db.md'), 'shadows the file it overrides directly');
  assert.ok(dbEntries.slice(0, 3).every((e) => e.shadows === undefined));
  // Participants exist for bundled ids: the bundled entry and whoever answers for it now.
  assert.deepEqual(dbEntries.map((e) => e.participant), ['database-engineer.db', null, null, 'database-engineer.db']);
  assert.equal(catalog.entries.find((e) => e.agent.id === 'mine' && e.active)!.participant, null);
  assert.equal(catalog.entries.find((e) => e.agent.id === 'mine' && e.active)!.shadows, join(root, 'home/.claude/agents/mine.md'));
  assert.equal(catalog.entries.length, 9, 'README.md in .github/agents is not an agent');
});

test('a broken file never stops the others and never shadows a working agent', () => {
  const root = tree({
    'bundled/db.md': agent('db', 'bundled db'),
    'ws/.claude/agents/db.md': Buffer.from([0xff, 0x00, 0xfe, 0x00]),
    'ws/.claude/agents/ok.md': agent('ok', 'fine'),
    'ws/.claude/agents/yaml.md': '---\nname: yaml\ndescription: broken: yes: really\n---\nstill loads\n',
  });
  symlinkSync(join(root, 'missing-target.md'), join(root, 'ws/.claude/agents/dangling.md'));
  mkdirSync(join(root, 'ws/.claude/agents/folder.md'));
  const catalog = loadCatalog({ bundledDir: join(root, 'bundled'), workspaceFolders: [join(root, 'ws')] });
  assert.deepEqual(catalog.active().map((a) => a.id).sort(), ['db', 'ok', 'yaml']);
  assert.equal(catalog.get('db')!.prompt, 'bundled db', 'the unreadable override does not take over');
  const broken = catalog.entries.filter((e) => e.agent.loadError);
  assert.deepEqual(broken.map((e) => [e.agent.id, e.active]).sort(), [['dangling', false], ['db', false]]);
  assert.match(broken.find((e) => e.agent.id === 'dangling')!.agent.warnings[0]!.message, /ENOENT/);
  assert.equal(catalog.entries.find((e) => e.active && e.agent.id === 'db')!.shadows, undefined);
  assert.match(catalog.get('yaml')!.warnings[0]!.message, /not valid YAML/);
  assert.match(loadAgentFile(join(root, 'ws/.claude/agents/folder.md'), 'dir').loadError ?? '', /EISDIR|not a regular file/);
});

test('two files with the same id in one folder: the later one (by file name) wins; the same folder twice counts once', () => {
  const root = tree({ 'a/1-db.md': agent('db', 'first'), 'a/2-db.md': agent('db', 'second') });
  const catalog = loadCatalog({ dirs: [join(root, 'a'), join(root, 'a')] });
  assert.equal(catalog.entries.length, 2);
  assert.equal(catalog.get('db')!.prompt, 'second');
  assert.equal(catalog.entries[1]!.shadows, join(root, 'a/1-db.md'));
});

test('missing folders are simply empty; workspace folders each contribute their three locations', () => {
  const folders = agentFolders({ bundledDir: '/b', home: '/h', workspaceFolders: ['/w1', '/w2'], settingFolders: ['/s'], dirs: ['/d'] });
  assert.deepEqual(folders.map((f) => [f.dir, f.source, f.suffix]), [
    ['/b', 'bundled', '.md'],
    ['/h/.claude/agents', 'user', '.md'],
    ['/w1/.claude/agents', 'workspace', '.md'],
    ['/w1/.github/agents', 'workspace', '.agent.md'],
    ['/w1/.github/chatmodes', 'workspace', '.chatmode.md'],
    ['/w2/.claude/agents', 'workspace', '.md'],
    ['/w2/.github/agents', 'workspace', '.agent.md'],
    ['/w2/.github/chatmodes', 'workspace', '.chatmode.md'],
    ['/s', 'setting', '.md'],
    ['/d', 'dir', '.md'],
  ]);
  const catalog = loadCatalog({ bundledDir: '/nonexistent/agents', home: '/nonexistent', workspaceFolders: ['/nonexistent/ws'] });
  assert.deepEqual(catalog.entries, []);
  assert.deepEqual(catalog.active(), []);
});

test('model alias overrides reach every agent in the catalog', () => {
  const root = tree({ 'd/a.md': agent('a', 'p', 'model: sonnet\n'), 'd/b.md': agent('b', 'p') });
  const catalog = loadCatalog({ dirs: [join(root, 'd')], modelAliases: { sonnet: 'claude-sonnet-4-6', inherit: 'claude-haiku-4-5' } });
  assert.equal(catalog.get('a')!.modelId, 'claude-sonnet-4-6');
  assert.equal(catalog.get('b')!.modelId, 'claude-haiku-4-5');
});
