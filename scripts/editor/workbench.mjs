// Opens the real editor (code-server + headless Chromium) on a folder with a development extension loaded, the
// way a user's window opens, and hands back where its logs go. For measurements (bench/activation.ts); the test
// runner goes through launcher.mjs instead.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath, freePort, startCodeServer, stopGroup, toRemoteUri, writeQuietSettings } from './launcher.mjs';
import { ensureCodeServer } from './setup-code-server.mjs';

/**
 * Starts code-server on a free loopback port and opens `folder` in Chromium with `extensionPath` as the
 * development extension. Returns { userDataDir, close() }; close() stops both and removes the scratch folders.
 */
export async function openWorkbench({ folder, extensionPath }) {
  const paths = ensureCodeServer();
  const scratch = mkdtempSync(join(tmpdir(), 'dbe-workbench-'));
  const userDataDir = join(scratch, 'user-data');
  const extensionsDir = join(scratch, 'extensions');
  for (const d of [userDataDir, extensionsDir, join(scratch, 'xdg')]) mkdirSync(d, { recursive: true });
  writeQuietSettings(userDataDir);
  let server;
  let browser;
  const close = async () => {
    await browser?.close().catch(() => {});
    await stopGroup(server?.child);
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const port = await freePort();
    server = await startCodeServer({ entry: paths.entry, port, userDataDir, extensionsDir, xdg: join(scratch, 'xdg'), folder: resolve(folder) });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    const query = new URLSearchParams({ folder: resolve(folder), payload: JSON.stringify([['extensionDevelopmentPath', toRemoteUri(port, extensionPath)]]) });
    await page.goto(`${server.url}/?${query}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
    return { userDataDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}
