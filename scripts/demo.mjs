#!/usr/bin/env node
// `npm run demo`: the extension as a user gets it, in a real VS Code in the browser.
// Packages the .vsix (`npm run package`), sets up code-server (shared cache with the editor tests), installs
// the .vsix into a fresh extensions dir, opens a copy of examples/supabase-app, and serves it on a free
// loopback port until Ctrl-C.
//
// The workspace is a temp copy, not the repo folder: quick fixes and agents write files, and a copy keeps
// the repo clean and every demo starting from the same state. `--in-place` opens the repo's folder instead.
// code-server's chat refuses requests ("Language model unavailable") unless a language model is registered,
// so the test-only lm-helper (test/editor/lm-helper: a placeholder default model) is packaged and installed
// with `--install-extension` like our own .vsix. It must be: code-server keeps only extensions recorded in
// the extensions folder's extensions.json, and drops a folder merely linked in beside them at its next start.
// Our participants answer through Claude: set ANTHROPIC_API_KEY (or run "Set Anthropic API Key").
// `--no-chat-helper` leaves the helper out.
// `--check`: start, verify /healthz, the workbench page, that both extensions are installed, and (unless
// --no-browser) in headless Chromium that ours activates and that one chat turn works end to end: a local
// Messages API server (test/support/fake-anthropic.ts) scripts a get_schema call and an answer, the question
// is typed into the Chat view, and the check passes only when the streamed answer renders there and the tool
// ran on the workspace. Then it stops everything and exits 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, LM_HELPER_ID } from './editor/setup-code-server.mjs';
import { startCodeServer, stopGroup, freePort, writeQuietSettings } from './editor/launcher.mjs';
import { makeWorkspace, repoRoot, exampleApp } from './editor/workspace.mjs';
import { openBrowser, openWorkbench, waitForActivation, askInChat } from './editor/workbench.mjs';

const check = process.argv.includes('--check');
const inPlace = process.argv.includes('--in-place');
const chatHelper = !process.argv.includes('--no-chat-helper');
const say = (msg) => process.stdout.write(`[demo] ${msg}\n`);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const extensionId = `${pkg.publisher}.${pkg.name}`;
const vsix = join(repoRoot, 'dist', `${pkg.name}.vsix`);

function run(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? repoRoot, stdio: opts.capture ? 'pipe' : 'inherit', encoding: 'utf8', env: opts.env ?? process.env });
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal})${opts.capture ? `:\n${r.stdout}${r.stderr}` : ''}`);
  }
  return r.stdout;
}

const lmHelperDir = join(repoRoot, 'test', 'editor', 'lm-helper');
const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');

/** The chat helper as a .vsix, so it is installed (and kept) the way our extension is. */
function packageChatHelper(outDir) {
  const out = join(outDir, 'lm-helper.vsix');
  run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--allow-star-activation', '--skip-license', '--out', out],
    'packaging the chat helper (test/editor/lm-helper)', { capture: true, cwd: lmHelperDir });
  return out;
}

// The one chat turn `--check` sends: the model first reads the schema, then answers.
const CHECK_KEY = 'sk-ant-demo-check-0000';
const CHECK_QUESTION = '@database-engineer Which tables hold documents?';
const CHECK_ANSWER = 'Checked with get_schema: public.documents holds them, owned by owner_id.';

/** A local Messages API server with the check's turn scripted (loaded through tsx: it is the tests' fake). */
async function startScriptedModel() {
  const { tsImport } = await import('tsx/esm/api');
  const { startFakeAnthropic, reply } = await tsImport('../test/support/fake-anthropic.ts', import.meta.url);
  const fake = await startFakeAnthropic({ apiKey: CHECK_KEY });
  fake.enqueue(
    reply.toolUse([{ name: 'get_schema', input: { tables: ['documents'] } }], { text: 'Reading the schema first.' }),
    reply.text(CHECK_ANSWER),
  );
  return fake;
}

/** The tool result the model received in its second request, or a clear error saying what went wrong. */
function toolResultSeen(fake) {
  const second = fake.requests[1];
  if (!second) {
    const seen = fake.requests.map((r) => r.answeredWith).join(', ') || 'no request at all';
    throw new Error(`the model was not asked again after its get_schema call (requests: ${seen}): the tool round did not complete`);
  }
  const blocks = second.body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
  const result = blocks.find((b) => b.type === 'tool_result');
  const text = typeof result?.content === 'string' ? result.content : JSON.stringify(result?.content ?? '');
  if (!result || result.is_error || !/documents/.test(text)) {
    throw new Error(`get_schema did not return the workspace's documents table: ${text.slice(0, 300) || 'no tool_result'}`);
  }
  return text;
}

/** Activation, then (with the chat helper) the scripted chat turn through the Chat view; a one-line summary. */
async function checkInBrowser(url, userDataDir, fake) {
  const { browser, page } = await openBrowser();
  try {
    await openWorkbench(page, url);
    await waitForActivation(userDataDir, extensionId);
    if (!fake) return 'activated (chat not checked: --no-chat-helper)';
    const escaped = CHECK_ANSWER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await askInChat(page, CHECK_QUESTION, new RegExp(escaped));
    const result = toolResultSeen(fake);
    return `activated; chat answered through the Chat view after get_schema (${result.length} characters of schema)`;
  } catch (err) {
    const shot = join(repoRoot, 'out', 'demo-check-failure.png');
    await page.screenshot({ path: shot }).catch(() => {});
    throw new Error(`${err.message}\n(screenshot of the editor: ${shot})`);
  } finally {
    await browser.close();
  }
}

function helperVersion() {
  return JSON.parse(readFileSync(join(lmHelperDir, 'package.json'), 'utf8')).version;
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
  let fake;
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    await stopGroup(server?.child);
    await fake?.close();
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    process.exit(code);
  };
  process.on('SIGINT', () => { say('stopping'); stop(0); });
  process.on('SIGTERM', () => stop(143));

  try {
    say(`installing ${vsix}`);
    const cli = [paths.entry, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
    run(process.execPath, [...cli, '--install-extension', vsix, '--force'], 'installing the .vsix', { capture: true, env });
    if (chatHelper) {
      say('installing the chat helper (test/editor/lm-helper)');
      run(process.execPath, [...cli, '--install-extension', packageChatHelper(scratch), '--force'], 'installing the chat helper', { capture: true, env });
    }
    writeQuietSettings(dirs.userData);
    const browserCheck = check && !process.argv.includes('--no-browser');
    if (browserCheck && chatHelper) {
      fake = await startScriptedModel();
      // Only the check talks to the scripted model; a normal demo keeps the user's own key and endpoint.
      process.env.ANTHROPIC_API_KEY = CHECK_KEY;
      process.env.ANTHROPIC_BASE_URL = fake.url;
    }

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
      const wanted = [`${extensionId}@${pkg.version}`, ...(chatHelper ? [`${LM_HELPER_ID}@${helperVersion()}`] : [])];
      const missing = wanted.filter((id) => !listed.split('\n').some((l) => l.trim() === id));
      if (missing.length) throw new Error(`${missing.join(', ')} not installed; code-server lists:\n${listed}`);
      let inBrowser = 'not opened (--no-browser)';
      if (browserCheck) inBrowser = await checkInBrowser(url, dirs.userData, fake);
      say(`check passed: /healthz ${health.status}, workbench page ${page.status}, ${wanted.join(' + ')} installed, in the browser: ${inBrowser}`);
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
