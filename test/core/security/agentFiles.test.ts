import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../../src/core/agents';

const agent = (name: string) => `---\nname: ${name}\ndescription: d\n---\nYou are ${name}.\n`;

test('agent files: symlinks out of their folder, devices and oversized files are skipped with a warning', () => {
  const root = mkdtempSync(join(tmpdir(), 'dbe-agents-'));
  const dir = join(root, '.claude', 'agents');
  mkdirSync(dir, { recursive: true });
  const secret = join(root, 'id_rsa');
  writeFileSync(secret, '-----BEGIN OPENSSH PRIVATE KEY-----\nMARKER\n-----END OPENSSH PRIVATE KEY-----\n');
  symlinkSync(secret, join(dir, 'database-engineer.md'));
  symlinkSync('/dev/zero', join(dir, 'zero.md'));
  writeFileSync(join(dir, 'big.md'), agent('big') + 'x'.repeat(1_100_000));
  writeFileSync(join(dir, 'real.md'), agent('helper'));
  symlinkSync(join(dir, 'real.md'), join(dir, 'alias.md'));
  const started = Date.now();
  const catalog = loadCatalog({ workspaceFolders: [root] });
  assert.ok(Date.now() - started < 5000);
  const byFile = new Map(catalog.entries.map((e) => [e.agent.file.split('/').pop(), e.agent]));
  assert.match(byFile.get('database-engineer.md')!.loadError!, /link to a file outside its folder/);
  assert.match(byFile.get('zero.md')!.loadError!, /link to a file outside its folder|not a regular file/);
  assert.match(byFile.get('big.md')!.loadError!, /over the 1 MB limit/);
  for (const a of catalog.active()) assert.ok(!a.prompt.includes('MARKER'));
  // A link inside the folder is fine; it defines the same id as its target, which is warned about.
  assert.equal(byFile.get('alias.md')!.loadError, undefined);
  assert.ok([byFile.get('alias.md')!, byFile.get('real.md')!].some((a) => a.warnings.some((w) => /also defines the agent 'helper'/.test(w.message))));
});

test('a device inside the folder is not read', () => {
  const root = mkdtempSync(join(tmpdir(), 'dbe-agents-'));
  const dir = join(root, 'agents');
  mkdirSync(dir);
  symlinkSync('/dev/zero', join(dir, 'z.md'));
  const catalog = loadCatalog({ dirs: [dir] });
  assert.ok(catalog.entries[0]!.agent.loadError);
});
