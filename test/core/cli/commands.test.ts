import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../../../src/cli/commands';
import type { Command } from '../../../src/cli/io';

const dir = join(__dirname, '../../../src/cli/commands');

// The command table repeats each summary so that `dbe --help` loads no command module; they must not drift,
// and every command module must be in the table.
test('the lazy command table lists every command module with the summary it declares', async () => {
  const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3));
  assert.deepEqual(Object.keys(commands).sort(), modules.sort());
  for (const name of modules) {
    const exported = Object.values(require(join(dir, name)) as Record<string, unknown>);
    const mod = exported.find((v): v is Command => typeof v === 'object' && v !== null && 'run' in v && 'summary' in v);
    assert.ok(mod, `src/cli/commands/${name}.ts exports no Command`);
    assert.equal(commands[name]!.summary, mod.summary, name);
  }
});

test('a lazy command runs its module: dbe lint --help prints the lint usage', async () => {
  let out = '';
  const code = await commands['lint']!.run(['--help'], { cwd: process.cwd(), env: {}, stdout: (t) => (out += t), stderr: () => {}, isTTY: false });
  assert.equal(code, 0);
  assert.match(out, /^usage: dbe lint /);
});
