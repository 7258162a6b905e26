#!/usr/bin/env node
// `npm run demo`: the extension as a user gets it, in a real VS Code in the browser.
// Packages the .vsix (`npm run package`), sets up code-server (shared cache with the editor tests), installs
// the .vsix into a fresh extensions dir, opens a copy of examples/supabase-app, and serves it on a free
// loopback port until Ctrl-C.
//
// The workspace is a temp copy, not the repo folder: quick fixes and agents write files, and a copy keeps
// the repo clean and every demo starting from the same state. `--in-place` opens the repo's folder instead.
// code-server's chat refuses requests unless a language model is registered, so the test-only lm-helper is
// installed beside the extension (it adds a placeholder model; our participants answer through Claude and
// need ANTHROPIC_API_KEY in the environment). `--no-chat-helper` leaves it out.
// `--check`: start, verify /healthz, the workbench page, that our extension is installed and (unless
// --no-browser) that it activates when the workbench opens in headless Chromium, then stop and exit 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, LM_HELPER_ID } from './editor/setup-code-server.mjs';
import { startCodeServer, stopGroup, freePort, linkIntoExtensionsDir, writeQuietSettings, chromiumPath, CHROMIUM_ARGS } from './editor/launcher.mjs';
import { makeWorkspace, repoRoot, exampleApp } from './editor/workspace.mjs';

const check = process.argv.includes('--check');
const inPlace = process.argv.includes('--in-place');
const chatHelper = !process.argv.includes('--no-chat-helper');
const say = (msg) => process.stdout.write(`[demo] ${msg}\n`);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const extensionId = `${pkg.publisher}.${pkg.name}`;
const vsix = join(repoRoot, 'dist', `${pkg.name}.vsix`);

function run(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: opts.capture ? 'pipe' : 'inherit', encoding: 'utf8', env: opts.env ?? process.env });
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal})${opts.capture ? `:\n${r.stdout}${r.stderr}` : ''}`);
  }
  return r.stdout;
}

/** Opens the workbench in headless Chromium and waits for the packaged extension's activation log line. */
async function activatesInBrowser(url, userDataDir) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    const deadline = Date.now() + 90000;
    const suffix = join(extensionId, 'Database Engineer.log');
    while (Date.now() < deadline) {
      const hit = findFiles(join(userDataDir, 'logs'), suffix).find((f) => /activated/.test(readFileSync(f, 'utf8')));
      if (hit) return 'activated';
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the installed extension did not log its activation within 90 s (looked for .../${suffix} under ${userDataDir}/logs)`);
  } finally {
    await browser.close();
  }
}

function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? findFiles(p, suffix) : p.endsWith(suffix) ? [p] : [];
  });
}

async function main() {
  say('packaging the extension (npm run package)');
  rmSync(vsix, { force: true });
  run('npm', ['run', '--silent', 'package'], 'npm run package');
  if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);

  const paths = ensureCodeServer();
  const scratch = mkdtempSync(join(tmpdir(), 'dbe-demo-'));
  const dirs = { userData: join(scratch, 'user-data'), extensions: join(scratch, 'extensions'), xdg: join(scratch, 'xdg') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const env = { ...process.env, XDG_CONFIG_HOME: join(dirs.xdg, 'config'), XDG_DATA_HOME: join(dirs.xdg, 'data') };
  let server;
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    await stopGroup(server?.child);
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    process.exit(code);
  };
  process.on('SIGINT', () => { say('stopping'); stop(0); });
  process.on('SIGTERM', () => stop(143));

  try {
    say(`installing ${vsix}`);
    const cli = [paths.entry, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
    run(process.execPath, [...cli, '--install-extension', vsix, '--force'], 'installing the .vsix', { capture: true, env });
    if (chatHelper) linkIntoExtensionsDir(join(repoRoot, 'test', 'editor', 'lm-helper'), dirs.extensions);
    writeQuietSettings(dirs.userData);

    const folder = inPlace && existsSync(exampleApp) ? exampleApp : makeWorkspace(scratch);
    const port = await freePort();
    server = await startCodeServer({
      entry: paths.entry, port, userDataDir: dirs.userData, extensionsDir: dirs.extensions, folder,
      proposedApi: chatHelper ? [LM_HELPER_ID] : [], xdg: dirs.xdg,
    });
    const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;

    if (check) {
      const health = await (await fetch(`${server.url}/healthz`)).json();
      if (!health?.status) throw new Error(`/healthz answered ${JSON.stringify(health)}`);
      const page = await fetch(url);
      const html = await page.text();
      if (!page.ok || !/workbench/i.test(html)) throw new Error(`the workbench page answered ${page.status}`);
      const listed = run(process.execPath, [...cli, '--list-extensions', '--show-versions'], 'listing extensions', { capture: true, env });
      if (!listed.split('\n').some((l) => l.trim() === `${extensionId}@${pkg.version}`)) {
        throw new Error(`${extensionId}@${pkg.version} is not installed; code-server lists:\n${listed}`);
      }
      const activated = process.argv.includes('--no-browser') ? 'not opened (--no-browser)' : await activatesInBrowser(url, dirs.userData);
      say(`check passed: /healthz ${health.status}, workbench page ${page.status}, ${extensionId}@${pkg.version} installed, in the browser: ${activated}`);
      await stop(0);
      return;
    }

    process.stdout.write([
      '',
      '  Database Engineer demo is running in code-server (VS Code 1.100 in the browser):',
      '',
      `      ${url}`,
      '',
      `  workspace: ${folder}${inPlace ? '' : ' (a temp copy; removed on exit)'}`,
      `  chat: ${process.env.ANTHROPIC_API_KEY || process.env.ANTHROPIC_BASE_URL ? 'Claude credentials found in the environment' : 'set ANTHROPIC_API_KEY before starting for agent answers'}`,
      '  Loopback only: from another machine, forward the port (ssh -L).  Ctrl-C stops it.',
      '',
    ].join('\n'));
    server.child.on('exit', (code) => { if (!stopping) { say(`code-server exited (${code}):\n${server.tail.join('')}`); stop(1); } });
  } catch (err) {
    process.stderr.write(`[demo] ${err.message}\n`);
    await stop(1);
  }
}

main().catch((err) => {
  process.stderr.write(`[demo] ${err.message}\n`);
  process.exit(1);
});
