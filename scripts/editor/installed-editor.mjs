// The extension as a user installs it, in code-server: package the .vsix, install it (and the test-only chat
// helper) with `--install-extension` into a fresh extensions dir, start code-server on a free loopback port.
// Shared by `npm run demo` (scripts/demo.mjs) and `scripts/screenshots.mjs`.
//
// Why the chat helper is packaged and installed rather than linked: code-server keeps only the extensions
// recorded in the extensions folder's extensions.json (written by --install-extension) and drops a folder
// merely linked in beside them at its next start; without the helper's model every chat request fails with
// "Language model unavailable".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCodeServer, LM_HELPER_ID } from './setup-code-server.mjs';
import { startCodeServer, stopGroup, freePort, writeQuietSettings } from './launcher.mjs';
import { repoRoot } from './workspace.mjs';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
export const extensionId = `${pkg.publisher}.${pkg.name}`;
export const extensionVersion = pkg.version;
export const lmHelperDir = join(repoRoot, 'test', 'editor', 'lm-helper');
export const lmHelperVersion = JSON.parse(readFileSync(join(lmHelperDir, 'package.json'), 'utf8')).version;
const vsix = join(repoRoot, 'dist', `${pkg.name}.vsix`);
const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');

/** Runs a command; throws with its output (when captured) on a non-zero exit. */
export function run(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? repoRoot, stdio: opts.capture ? 'pipe' : 'inherit', encoding: 'utf8', env: opts.env ?? process.env });
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal})${opts.capture ? `:\n${r.stdout}${r.stderr}` : ''}`);
  }
  return r.stdout;
}

/** `npm run package` → dist/database-engineer.vsix. */
export function packageExtension({ quiet = false } = {}) {
  rmSync(vsix, { force: true });
  run('npm', ['run', '--silent', 'package'], 'npm run package', { capture: quiet });
  if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
  return vsix;
}

/** The chat helper as a .vsix in `outDir`. */
function packageChatHelper(outDir) {
  const out = join(outDir, 'lm-helper.vsix');
  run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--allow-star-activation', '--skip-license', '--out', out],
    'packaging the chat helper (test/editor/lm-helper)', { capture: true, cwd: lmHelperDir });
  return out;
}

/**
 * Installs the packaged extension (and the chat helper) into fresh dirs under `scratch`.
 * Returns the dirs, the code-server CLI prefix and its environment.
 */
export function installExtensions({ scratch, chatHelper = true, say = () => {} }) {
  const paths = ensureCodeServer();
  const dirs = { userData: join(scratch, 'user-data'), extensions: join(scratch, 'extensions'), xdg: join(scratch, 'xdg') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const env = { ...process.env, XDG_CONFIG_HOME: join(dirs.xdg, 'config'), XDG_DATA_HOME: join(dirs.xdg, 'data') };
  const cli = [paths.entry, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  say(`installing ${vsix}`);
  run(process.execPath, [...cli, '--install-extension', vsix, '--force'], 'installing the .vsix', { capture: true, env });
  if (chatHelper) {
    say('installing the chat helper (test/editor/lm-helper)');
    run(process.execPath, [...cli, '--install-extension', packageChatHelper(scratch), '--force'], 'installing the chat helper', { capture: true, env });
  }
  writeQuietSettings(dirs.userData);
  return { paths, dirs, cli, env };
}

/** Starts code-server on `folder` with what installExtensions set up; `url` opens the folder. */
export async function startInstalledEditor({ install, folder, chatHelper = true }) {
  const port = await freePort();
  const server = await startCodeServer({
    entry: install.paths.entry, port, userDataDir: install.dirs.userData, extensionsDir: install.dirs.extensions, folder,
    proposedApi: chatHelper ? [LM_HELPER_ID] : [], xdg: install.dirs.xdg,
  });
  return { server, url: `${server.url}/?folder=${encodeURIComponent(folder)}`, stop: () => stopGroup(server.child) };
}

/** The tests' local Messages API server (test/support/fake-anthropic.ts, loaded through tsx). */
export async function loadFakeAnthropic() {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport('../../test/support/fake-anthropic.ts', import.meta.url);
}
