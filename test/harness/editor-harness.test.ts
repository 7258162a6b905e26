// The pure parts of the editor harness: VS Code's command line as @vscode/test-electron passes it, and the
// test-only product patch that makes code-server show the Chat view.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Parsed = { flags: Map<string, string[]>; bools: Set<string>; positional: string[] };
const root = join(__dirname, '..', '..');
const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(join(root, rel)).href)) as T;

describe('launcher: parseCodeArgs', () => {
  it('reads the flags runTests passes, in both --flag=value and --flag value forms', async () => {
    const { parseCodeArgs } = await load<{ parseCodeArgs(a: string[]): Parsed }>('scripts/editor/launcher.mjs');
    const p = parseCodeArgs([
      '/tmp/ws', '--user-data-dir=/tmp/ud', '--extensions-dir', '/tmp/ext', '--enable-proposed-api=a.b',
      '--no-sandbox', '--disable-gpu-sandbox', '--disable-updates', '--skip-welcome', '--skip-release-notes',
      '--disable-workspace-trust', '--extensionTestsPath=/r/out/test/suite/index',
      '--extensionDevelopmentPath=/r', '--extensionDevelopmentPath=/r/test/editor/lm-helper', '--disable-extensions',
    ]);
    assert.deepEqual(p.positional, ['/tmp/ws']);
    assert.deepEqual(p.flags.get('extensionDevelopmentPath'), ['/r', '/r/test/editor/lm-helper']);
    assert.deepEqual(p.flags.get('extensionTestsPath'), ['/r/out/test/suite/index']);
    assert.deepEqual(p.flags.get('user-data-dir'), ['/tmp/ud']);
    assert.deepEqual(p.flags.get('extensions-dir'), ['/tmp/ext']);
    assert.deepEqual(p.flags.get('enable-proposed-api'), ['a.b']);
    for (const b of ['no-sandbox', 'disable-extensions', 'disable-workspace-trust']) assert.ok(p.bools.has(b), b);
  });

  it('does not swallow a folder that follows a boolean flag', async () => {
    const { parseCodeArgs } = await load<{ parseCodeArgs(a: string[]): Parsed }>('scripts/editor/launcher.mjs');
    const p = parseCodeArgs(['--no-sandbox', '/tmp/ws', '--', '--not-a-flag']);
    assert.deepEqual(p.positional, ['/tmp/ws', '--not-a-flag']);
    assert.equal(p.flags.size, 0);
  });
});

describe('setup: patchDefaultChatAgent', () => {
  const bundle = 'var a=1;if(x){cp=y}else cp={nameShort:"code-server",nameLong:"code-server"};var Ui=cp;';
  const withFile = async (text: string, fn: (file: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'dbe-harness-test-'));
    try {
      const file = join(dir, 'workbench.js');
      writeFileSync(file, text);
      await fn(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  type Setup = { patchDefaultChatAgent(f: string): boolean; LM_HELPER_ID: string };

  it('adds a defaultChatAgent naming the lm-helper to the inlined product configuration, once', async () => {
    const { patchDefaultChatAgent, LM_HELPER_ID } = await load<Setup>('scripts/editor/setup-code-server.mjs');
    await withFile(bundle, async (file) => {
      assert.equal(patchDefaultChatAgent(file), true);
      const patched = readFileSync(file, 'utf8');
      const m = patched.match(/else cp=\{defaultChatAgent:(\{.*?\}),nameShort:"code-server"/);
      assert.ok(m, patched);
      assert.equal(JSON.parse(m[1]).chatExtensionId, LM_HELPER_ID);
      assert.equal(patchDefaultChatAgent(file), false, 'second run must leave the file alone');
      assert.equal(readFileSync(file, 'utf8'), patched);
    });
  });

  it('refuses a bundle whose layout it does not recognise', async () => {
    const { patchDefaultChatAgent } = await load<Setup>('scripts/editor/setup-code-server.mjs');
    await withFile('var cp={nameShort:"Code - OSS"};', async (file) => {
      assert.throws(() => patchDefaultChatAgent(file), /found 0/);
    });
  });
});
