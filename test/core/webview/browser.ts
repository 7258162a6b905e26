// Shared by the webview tests and the benchmark: the panel app bundled in memory and a headless Chromium.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { WebviewAssets } from '../../../src/core/plan/assets';

const root = join(__dirname, '../../..');

/** Bundles src/webview/main.ts the way scripts/build.mjs does, without touching dist/. */
export async function bundleWebview(): Promise<WebviewAssets> {
  const out = await esbuild.build({
    bundle: true, platform: 'browser', target: 'es2022', format: 'iife', write: false, absWorkingDir: root,
    entryPoints: ['src/webview/main.ts'], outdir: join(root, 'out/webview-test'), loader: { '.css': 'css' }, logLevel: 'warning',
  });
  const file = (ext: string) => out.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { script: file('.js'), style: file('.css') };
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** `extraArgs`: more Chromium switches (the benchmark lets its file:// pages fetch the plan file beside them). */
export async function launchBrowser(extraArgs: string[] = []): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'dbe-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
