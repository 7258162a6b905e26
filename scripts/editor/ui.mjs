// Drives the code-server workbench in headless Chromium the way a user does (keyboard, command palette, the
// Chat view), for `npm run demo -- --check` and `scripts/screenshots.mjs`. Selectors are VS Code 1.100's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, CHROMIUM_ARGS } from './launcher.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Headless Chromium with one page at `viewport`; close it with `browser.close()`. */
export async function openBrowser(viewport = { width: 1680, height: 1050 }) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport });
  return { browser, page };
}

/** Files below `dir` whose path ends with `suffix`. */
export function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? findFiles(p, suffix) : p.endsWith(suffix) ? [p] : [];
  });
}

/** Waits until the extension's own log ("Database Engineer" channel) says it activated. */
export async function waitForActivation(userDataDir, extensionId, timeoutMs = 90000) {
  const suffix = join(extensionId, 'Database Engineer.log');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (findFiles(join(userDataDir, 'logs'), suffix).some((f) => /activated/.test(readFileSync(f, 'utf8')))) return;
    await sleep(500);
  }
  throw new Error(`the installed extension did not log its activation within ${timeoutMs / 1000} s (looked for .../${suffix} under ${userDataDir}/logs)`);
}

/** Opens the workbench at `url` and waits for its layout to exist. */
export async function openWorkbench(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.statusbar').waitFor({ timeout: 60000 });
}

/** Runs a command by its palette label (`Database Engineer: Explain Query`). */
export async function runCommand(page, label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15000 });
  await input.fill(`>${label}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 15000 });
  await sleep(200);
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open (`path` relative to the folder). */
export async function openFile(page, path) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15000 });
  await input.fill(path);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15000 });
  await sleep(300);
  await page.keyboard.press('Enter');
  const name = path.split('/').pop();
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15000 });
}

/**
 * Types `query` into the Chat view and submits it. Resolves with the last response's element once it holds
 * `expect` (a RegExp on its text); fails early with VS Code's own message when the chat refuses the request.
 */
export async function askInChat(page, query, expect, timeoutMs = 60000) {
  await runCommand(page, 'Chat: Open Chat');
  const input = page.locator('.interactive-input-part .monaco-editor textarea').first();
  await input.waitFor({ timeout: 20000 });
  await input.focus();
  await page.keyboard.type(query, { delay: 5 });
  await sleep(300);
  await page.keyboard.press('Enter');
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const responses = page.locator('.interactive-item-container.interactive-response');
    const n = await responses.count();
    if (n > 0) {
      const response = responses.nth(n - 1);
      last = (await response.innerText().catch(() => '')) ?? '';
      if (expect.test(last)) return response;
      const refused = /Language model unavailable|No activated agent|Sign in to use Copilot/i.exec(last);
      if (refused) throw new Error(`the Chat view refused the request: "${refused[0]}"; response text:\n${last}`);
    }
    await sleep(300);
  }
  throw new Error(`no chat response matching ${expect} within ${timeoutMs / 1000} s; last response text:\n${last || '(none)'}`);
}

/**
 * The EXPLAIN panel's plan rows as the webview shows them (nested frames), once at least one has rendered: the
 * first rows' labels, for comparing a panel before and after a window reload.
 */
export async function explainPanelRows(page, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      const labels = await f.evaluate(() => document.body?.getAttribute('data-ready') === 'true'
        ? [...document.querySelectorAll('.row .label')].slice(0, 20).map((e) => e.getAttribute('title') ?? e.textContent)
        : null).catch(() => null);
      if (labels?.length) return labels;
    }
    await sleep(500);
  }
  throw new Error(`no EXPLAIN panel with plan rows within ${timeoutMs / 1000} s`);
}
