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
// `--check`: start, verify /healthz, the workbench page, that both extensions are installed, that the installed
// README's pictures are all `https:`/`data:` (what the extension page can show), and (unless
// --no-browser) in headless Chromium that ours activates and that one chat turn works end to end: a local
// Messages API server (test/support/fake-anthropic.ts) scripts a get_schema call and an answer, the question
// is typed into the Chat view, and the check passes only when the streamed answer renders there and the tool
// ran on the workspace; then Explain Analyze on the README's first query and a window reload, after which the
// EXPLAIN panel must be back with the same plan. Then it stops everything and exits 0.
import { mkdtempSync, rmSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LM_HELPER_ID } from './editor/setup-code-server.mjs';
import { stopGroup } from './editor/launcher.mjs';
import { makeWorkspace, repoRoot, exampleApp } from './editor/workspace.mjs';
import { imageSources, unshowableImages } from './readme/packaged-readme.mjs';
import { openBrowser, openWorkbench, waitForActivation, askInChat, openFile, runCommand, explainPanelRows } from './editor/ui.mjs';
import {
  extensionId, extensionVersion, lmHelperVersion, run, packageExtension, installExtensions, startInstalledEditor, loadFakeAnthropic,
} from './editor/installed-editor.mjs';

const check = process.argv.includes('--check');
const inPlace = process.argv.includes('--in-place');
const chatHelper = !process.argv.includes('--no-chat-helper');
const say = (msg) => process.stdout.write(`[demo] ${msg}\n`);

// The one chat turn `--check` sends: the model first reads the schema, then answers.
const CHECK_KEY = 'sk-ant-demo-check-0000';
const CHECK_QUESTION = '@database-engineer Which tables hold documents?';
const CHECK_ANSWER = 'Checked with get_schema: public.documents holds them, owned by owner_id.';

/** A local Messages API server with the check's turn scripted (loaded through tsx: it is the tests' fake). */
async function startScriptedModel() {
  const { startFakeAnthropic, reply } = await loadFakeAnthropic();
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

/**
 * The README the Extensions view shows for the installed extension: every picture must be `https:` or `data:`
 * (the page's CSP allows nothing else, so a relative path shows as a broken image). A one-line summary.
 */
function checkInstalledReadme(extensionsDir) {
  const dir = readdirSync(extensionsDir).find((d) => d.toLowerCase().startsWith(`${extensionId}-`));
  const file = dir && readdirSync(join(extensionsDir, dir)).find((f) => /^readme\.md$/i.test(f));
  if (!file) throw new Error(`the installed extension has no README (looked in ${join(extensionsDir, dir ?? extensionId + '-*')})`);
  const text = readFileSync(join(extensionsDir, dir, file), 'utf8');
  const bad = unshowableImages(text);
  if (bad.length) throw new Error(`the installed README has pictures the extension page cannot show: ${bad.map((s) => s.slice(0, 80)).join(', ')}`);
  const count = imageSources(text).length;
  if (!count) throw new Error('the installed README has no pictures');
  return `README with ${count} inline pictures`;
}

/**
 * Explain Analyze on the README's first query, then a window reload: the panel must come back with the same plan
 * (VS Code restores it through our WebviewPanelSerializer; nothing is re-run).
 */
async function explainSurvivesReload(page, url) {
  await page.keyboard.press('Escape');
  await openFile(page, 'queries/documents_for_user.sql');
  await runCommand(page, 'Database Engineer: Explain Analyze Query');
  const before = await explainPanelRows(page);
  // As a user reloads: the command, which lets the workbench save its layout first (a bare page reload can cut
  // that save off and bring back no editors at all, whatever the extensions do).
  await new Promise((r) => setTimeout(r, 1000));
  const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await openWorkbench(page, url);
  const after = await explainPanelRows(page);
  await page.screenshot({ path: join(repoRoot, 'out', 'demo-panel-after-reload.png') }).catch(() => {});
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    throw new Error(`after a window reload the EXPLAIN panel shows other rows:\n  before: ${before.join(' | ')}\n  after:  ${after.join(' | ')}`);
  }
  return `the EXPLAIN panel (${before[0]}, …) came back after a window reload`;
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
    const panel = await explainSurvivesReload(page, url);
    return `activated; chat answered through the Chat view after get_schema (${result.length} characters of schema); ${panel}`;
  } catch (err) {
    const shot = join(repoRoot, 'out', 'demo-check-failure.png');
    await page.screenshot({ path: shot }).catch(() => {});
    throw new Error(`${err.message}\n(screenshot of the editor: ${shot})`);
  } finally {
    await browser.close();
  }
}

async function main() {
  say('packaging the extension (npm run package)');
  packageExtension();
  const scratch = mkdtempSync(join(tmpdir(), 'dbe-demo-'));
  let server;
  let url;
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
    const install = installExtensions({ scratch, chatHelper, say });
    const { cli, env, dirs } = install;
    const browserCheck = check && !process.argv.includes('--no-browser');
    if (browserCheck && chatHelper) {
      fake = await startScriptedModel();
      // Only the check talks to the scripted model; a normal demo keeps the user's own key and endpoint.
      process.env.ANTHROPIC_API_KEY = CHECK_KEY;
      process.env.ANTHROPIC_BASE_URL = fake.url;
    }

    const folder = inPlace && existsSync(exampleApp) ? exampleApp : makeWorkspace(scratch);
    ({ server, url } = await startInstalledEditor({ install, folder, chatHelper }));

    if (check) {
      const health = await (await fetch(`${server.url}/healthz`)).json();
      if (!health?.status) throw new Error(`/healthz answered ${JSON.stringify(health)}`);
      const page = await fetch(url);
      const html = await page.text();
      if (!page.ok || !/workbench/i.test(html)) throw new Error(`the workbench page answered ${page.status}`);
      const listed = run(process.execPath, [...cli, '--list-extensions', '--show-versions'], 'listing extensions', { capture: true, env });
      const wanted = [`${extensionId}@${extensionVersion}`, ...(chatHelper ? [`${LM_HELPER_ID}@${lmHelperVersion}`] : [])];
      const missing = wanted.filter((id) => !listed.split('\n').some((l) => l.trim() === id));
      if (missing.length) throw new Error(`${missing.join(', ')} not installed; code-server lists:\n${listed}`);
      const readme = checkInstalledReadme(dirs.extensions);
      let inBrowser = 'not opened (--no-browser)';
      if (browserCheck) inBrowser = await checkInBrowser(url, dirs.userData, fake);
      say(`check passed: /healthz ${health.status}, workbench page ${page.status}, ${wanted.join(' + ')} installed (${readme}), in the browser: ${inBrowser}`);
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
