#!/usr/bin/env node
// A stand-in for the VS Code executable, for `@vscode/test-electron`'s runTests({ vscodeExecutablePath })
// (and anything else that launches "code" with extension-test flags) on machines where VS Code cannot be
// downloaded. It translates the flags into: code-server on a free loopback port + headless Chromium
// (playwright-core) opening the workbench with the test payload, relays the extension host's log to
// stdout, and exits with the suite's exit code. Everything it starts is stopped before it exits.
//
// Understood: --extensionDevelopmentPath (repeatable), --extensionTestsPath, --user-data-dir,
// --extensions-dir, --enable-proposed-api, --disable-extensions, a folder or .code-workspace argument;
// both `--flag=value` and `--flag value`. Accepted and ignored (no meaning here): --no-sandbox,
// --disable-gpu-sandbox, --disable-updates, --skip-welcome, --skip-release-notes, --disable-workspace-trust,
// --new-window, --wait, --verbose, and other boolean flags.
// Environment: DBE_EDITOR_TIMEOUT_MS (overall limit, default 900000: a guard against a hung run, not a speed target), DBE_EDITOR_VERBOSE=1 (also relay the
// browser console and code-server's own output), DBE_CHROMIUM (browser path, default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './setup-code-server.mjs';

const VALUE_FLAGS = new Set([
  'extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'enable-proposed-api',
  'locale', 'log', 'extensionDevelopmentKind', 'inspect-extensions', 'inspect-brk-extensions', 'profile',
  'folder-uri', 'file-uri', 'crash-reporter-directory', 'logsPath',
]);

/** Parses VS Code's command line into { flags: Map<name, string[]>, bools: Set<name>, positional: string[] }. */
export function parseCodeArgs(argv) {
  const flags = new Map();
  const bools = new Set();
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    let value;
    if (eq !== -1) value = a.slice(eq + 1);
    else if (VALUE_FLAGS.has(name) && i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined) { bools.add(name); continue; }
    if (!flags.has(name)) flags.set(name, []);
    flags.get(name).push(value);
  }
  return { flags, bools, positional };
}

/** Workbench log lines that only say "this machine is offline"; shown with DBE_EDITOR_VERBOSE=1. */
const NOISE = [/ENOTFOUND open-vsx\.org/, /^Timed out waiting for authentication provider to register/, /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|\[Service Worker\] registered|ChatSessionStore: Migrating 0)/];
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const log = (msg) => process.stderr.write(`[launcher] ${msg}\n`);
const verbose = process.env.DBE_EDITOR_VERBOSE === '1';

/** Debian's Chromium (or $DBE_CHROMIUM); a clear error naming the package when it is missing. */
export function chromiumPath() {
  const path = process.env.DBE_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`no Chromium at ${path}: install Debian's browser (apt-get install -y chromium) or set DBE_CHROMIUM to a Chromium/Chrome binary`);
  }
  return path;
}

/** The flags for a quiet, throwaway headless Chromium on a machine without internet. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Environment for code-server (and so the extension host): ours, minus variables of an enclosing VS Code. */
function childEnv(xdg, extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$|CODE_SERVER_)/.test(k) || k === 'PORT' || k === 'PASSWORD' || k === 'HASHED_PASSWORD') continue;
    env[k] = v;
  }
  env.XDG_CONFIG_HOME = join(xdg, 'config');
  env.XDG_DATA_HOME = join(xdg, 'data');
  env.XDG_CACHE_HOME = join(xdg, 'cache');
  return { ...env, ...extra };
}

/** Starts code-server in its own process group; resolves once /healthz answers. */
export async function startCodeServer({ entry, port, userDataDir, extensionsDir, folder, proposedApi = [], xdg, extraArgs = [], quiet = !verbose }) {
  // Tests find the editor's log files (LogOutputChannel contents) through this.
  const extraEnv = { DBE_EDITOR_USER_DATA_DIR: userDataDir };
  const args = [
    entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    ...proposedApi.flatMap((id) => ['--enable-proposed-api', id]),
    ...extraArgs,
  ];
  if (folder) args.push(folder);
  const child = spawn(process.execPath, args, { env: childEnv(xdg, extraEnv), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const keep = (d) => {
    const s = d.toString();
    tail.push(s);
    if (tail.length > 50) tail.shift();
    if (!quiet) process.stderr.write(`[code-server] ${s}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, signal) => { exited = code ?? signal; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before answering /healthz:\n${tail.join('')}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return { child, url, tail };
    } catch { /* not up yet */ }
    await sleep(200);
  }
  throw Object.assign(new Error(`code-server did not answer ${url}/healthz within 60 s:\n${tail.join('')}`), { child });
}

/** Stops a process group started with detached:true: TERM, then KILL if it lingers. */
export async function stopGroup(child, graceMs = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    // The leader may be gone while its group lives on.
    if (child?.pid) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none left */ } }
    return;
  }
  const gone = new Promise((r) => child.once('exit', r));
  try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
  const t = await Promise.race([gone.then(() => 'exited'), sleep(graceMs).then(() => 'timeout')]);
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group already empty */ }
  if (t === 'timeout') await Promise.race([gone, sleep(1000)]);
}

/** No gallery lookups (open-vsx is unreachable here), no welcome page; kept if the user data has settings. */
export function writeQuietSettings(userDataDir) {
  const file = join(userDataDir, 'User', 'settings.json');
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
  }, null, 2));
}

/** Makes an extension folder visible as an installed extension (`publisher.name-version` in the dir). */
export function linkIntoExtensionsDir(extDir, extensionsDir) {
  const manifest = JSON.parse(readFileSync(join(extDir, 'package.json'), 'utf8'));
  const link = join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  rmSync(link, { recursive: true, force: true });
  symlinkSync(resolve(extDir), link, 'dir');
}

/**
 * What an extension-host test cannot do from inside the editor: size the window so a webview panel is `width`
 * CSS pixels wide, run layout checks inside the webview's frame and take a screenshot. The test asks by logging
 * `[dbe:probe] {"width":400,"out":"…json","shot":"…png"}` and waits for `out` to appear.
 */
const PROBE = /^\[dbe:probe\] (\{.*\})$/;

async function probeWebview(page, req) {
  const result = { requested: req.width, panelWidth: null, viewport: null, checks: null, error: null };
  try {
    const panelFrame = async () => {
      for (const f of page.frames()) {
        if (await f.$('body[data-ready="true"] #app').catch(() => null)) return f;
      }
      return null;
    };
    const frameWidth = async () => (await (await panelFrame())?.evaluate(() => window.innerWidth).catch(() => null)) ?? null;
    let viewport = page.viewportSize() ?? { width: 1280, height: 800 };
    viewport = { width: viewport.width, height: req.height ?? 900 };
    await page.setViewportSize(viewport);
    // A loaded machine may take seconds to (re)render the webview after a reveal or a resize: wait for it.
    const renderedWidth = async () => {
      for (const until = Date.now() + 20000; Date.now() < until; await sleep(250)) {
        const w = await frameWidth();
        if (w !== null) return w;
      }
      throw new Error('no EXPLAIN panel frame with a rendered app after 20 s');
    };
    for (let i = 0; i < 6; i++) {
      await sleep(600);
      const w = await renderedWidth();
      result.panelWidth = w;
      if (Math.abs(w - req.width) <= 3) break;
      // The panel shares the window with the editor and the side bar: move the window width by the difference, scaled.
      viewport = { width: Math.max(520, Math.round(viewport.width + (req.width - w) * (req.scale ?? 2))), height: viewport.height };
      await page.setViewportSize(viewport);
    }
    result.viewport = viewport;
    const frame = await panelFrame();
    if (!frame) throw new Error("the EXPLAIN panel frame went away during the resize");
    result.checks = await frame.evaluate(() => {
      const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
      const hit = (a, b) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
      const overlaps = [];
      for (const tb of document.querySelectorAll('.toolbar')) {
        const items = [...tb.children].filter((c) => c.getClientRects().length).map((c) => ({ c, b: box(c) }));
        for (let i = 0; i < items.length; i++) {
          for (let j = i + 1; j < items.length; j++) if (hit(items[i].b, items[j].b)) overlaps.push(`${items[i].c.textContent} / ${items[j].c.textContent}`);
          if (items[i].b.x < 0 || items[i].b.x + items[i].b.w > window.innerWidth + 0.5) overlaps.push(`${items[i].c.textContent} runs off the panel`);
        }
      }
      const blocks = [...document.querySelectorAll('header .title-block, header .actions, .advice, .tabs, .tree-toolbar, .legend-box, .tree')].filter((e) => e.getClientRects().length);
      for (let i = 0; i < blocks.length; i++) for (let j = i + 1; j < blocks.length; j++) if (hit(box(blocks[i]), box(blocks[j]))) overlaps.push(`${blocks[i].className} / ${blocks[j].className}`);
      const rows = [...document.querySelectorAll('.row')].map((r) => ({ id: Number(r.getAttribute('data-id')), title: r.querySelector('.label')?.getAttribute('title') ?? null, text: r.querySelector('.label')?.textContent ?? '' }));
      const clippedTimes = [...document.querySelectorAll('.row .metric')].filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > e.closest('.tree').getBoundingClientRect().right + 0.5).length;
      const tree = document.querySelector('.tree');
      const details = document.querySelector('.details-box');
      const advice = document.querySelector('.advice');
      const tabs = document.querySelector('.tabs');
      return {
        width: window.innerWidth, overlaps, rows, clippedTimes,
        detailsBelowTree: tree && details ? details.getBoundingClientRect().top >= tree.getBoundingClientRect().bottom - 0.5 : null,
        adviceAboveViews: advice && tabs ? advice.getBoundingClientRect().bottom <= tabs.getBoundingClientRect().top + 0.5 : null,
        context: document.getElementById('run-context')?.textContent ?? null,
      };
    });
    if (req.shot) await page.screenshot({ path: req.shot });
  } catch (err) {
    result.error = String(err?.message ?? err);
  }
  writeFileSync(req.out, JSON.stringify(result, null, 2));
}

export function toRemoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${resolve(absPath).split('/').map(encodeURIComponent).join('/')}`;
}

async function main() {
  const { flags, bools, positional } = parseCodeArgs(process.argv.slice(2));
  const devPaths = flags.get('extensionDevelopmentPath') ?? [];
  const testsPath = flags.get('extensionTestsPath')?.[0];
  const timeoutMs = Number(process.env.DBE_EDITOR_TIMEOUT_MS || 900000);
  let paths;
  let chromiumBinary;
  try {
    chromiumBinary = chromiumPath(); // before anything starts: fail fast and name the package
    paths = ensureCodeServer();
  } catch (err) {
    log(`cannot start: ${err.message}`);
    process.exit(1);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'dbe-launcher-'));
  const userDataDir = resolve(flags.get('user-data-dir')?.[0] ?? join(scratch, 'user-data'));
  // code-server rejects --disable-extensions; an empty extensions dir has the same effect (built-ins stay).
  const extensionsDir = bools.has('disable-extensions') || !flags.get('extensions-dir')
    ? join(scratch, 'extensions') : resolve(flags.get('extensions-dir')[0]);
  for (const d of [userDataDir, extensionsDir, join(scratch, 'xdg')]) mkdirSync(d, { recursive: true });
  const target = positional[0] ? resolve(positional[0]) : undefined;
  const isWorkspaceFile = target?.endsWith('.code-workspace') && existsSync(target) && statSync(target).isFile();
  writeQuietSettings(userDataDir);
  // The web workbench keeps only one extensionDevelopmentPath from its URL payload (it reads the payload
  // into a Map). The first goes there; any others are linked into the extensions dir as installed ones.
  for (const extra of devPaths.slice(1)) linkIntoExtensionsDir(extra, extensionsDir);
  const proposedApi = (flags.get('enable-proposed-api') ?? []).flatMap((v) => v.split(',')).filter(Boolean);

  let server;
  let browser;
  let phase = 'nothing yet';
  let finishing = false;
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await stopGroup(server?.child);
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  };
  const bail = async (code, why) => {
    if (finishing) return;
    finishing = true;
    if (why) log(why);
    await cleanup();
    process.exit(code);
  };
  process.on('SIGINT', () => bail(130, 'interrupted; stopping code-server and Chromium'));
  process.on('SIGTERM', () => bail(143, 'terminated; stopping code-server and Chromium'));
  // Without a suite to run this is an interactive editor: no overall limit.
  const timer = testsPath ? setTimeout(() => bail(124, `timed out after ${timeoutMs / 1000} s while waiting for: ${phase}`), timeoutMs) : undefined;

  try {
    const port = await freePort();
    phase = `code-server on 127.0.0.1:${port} to answer /healthz`;
    server = await startCodeServer({
      entry: paths.entry, port, userDataDir, extensionsDir, proposedApi,
      xdg: join(scratch, 'xdg'), folder: isWorkspaceFile ? undefined : target,
    });
    log(`code-server ${server.url} up after ${elapsed()} (user data ${userDataDir})`);
    // Without these, a crash would only surface at the overall timeout.
    server.child.on('exit', (code, signal) => {
      if (!finishing) bail(1, `code-server exited (${code ?? signal}) while waiting for ${phase}:\n${server.tail.join('')}`);
    });

    phase = 'headless Chromium to start';
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumBinary, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    let resolveExit;
    const exitCode = new Promise((r) => { resolveExit = r; });
    await page.exposeFunction('codeAutomationExit', (code) => { resolveExit(Number(code) || 0); });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = Array.isArray(args) ? args.join(' ') : String(args);
      const probeRequest = PROBE.exec(text);
      if (probeRequest) {
        void probeWebview(page, JSON.parse(probeRequest[1]));
        return;
      }
      if (!verbose && NOISE.some((re) => re.test(text))) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    page.on('crash', () => bail(1, `the browser page crashed while waiting for ${phase}`));
    if (verbose) page.on('console', (m) => process.stderr.write(`[browser:${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => { if (verbose) process.stderr.write(`[browser:pageerror] ${e.message}\n`); });

    const payload = [
      ...devPaths.slice(0, 1).map((p) => ['extensionDevelopmentPath', toRemoteUri(port, p)]),
      ...(testsPath ? [['extensionTestsPath', toRemoteUri(port, testsPath)]] : []),
    ];
    const query = new URLSearchParams();
    if (target) query.set(isWorkspaceFile ? 'workspace' : 'folder', target);
    if (payload.length) query.set('payload', JSON.stringify(payload));
    phase = 'the workbench page to load';
    await page.goto(`${server.url}/?${query}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
    if (!testsPath) log(`no --extensionTestsPath: headless workbench open at ${server.url}/?${query} until Ctrl-C`);
    phase = testsPath ? `the test suite ${testsPath} to finish (codeAutomationExit)` : 'Ctrl-C';
    const code = await exitCode;
    clearTimeout(timer);
    log(`suite finished with exit code ${code} after ${elapsed()}`);
    await bail(code);
  } catch (err) {
    clearTimeout(timer);
    await bail(1, `failed while waiting for ${phase}: ${err.stack ?? err}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
