import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../../src/cli/commands';
import { agentsCommand } from '../../../src/cli/commands/agents';
import { lintCommand } from '../../../src/cli/commands/lint';
import { dbCommand } from '../../../src/cli/commands/db';

// The command table repeats each summary so that `dbe --help` loads no command module; they must not drift.
test('the lazy command table shows the summaries the command modules declare', () => {
  const modules: Record<string, { summary: string }> = { agents: agentsCommand, lint: lintCommand, db: dbCommand };
  assert.deepEqual(Object.keys(commands).sort(), Object.keys(modules).sort());
  for (const [name, mod] of Object.entries(modules)) assert.equal(commands[name]!.summary, mod.summary, name);
});

test('a lazy command runs its module: dbe lint --help prints the lint usage', async () => {
  let out = '';
  const code = await commands['lint']!.run(['--help'], { cwd: process.cwd(), env: {}, stdout: (t) => (out += t), stderr: () => {}, isTTY: false });
  assert.equal(code, 0);
  assert.match(out, /^usage: dbe lint /);
});
