#!/usr/bin/env node
// `node scripts/icon.mjs`: renders media/icon.svg to media/icon.png (128×128, the size the Marketplace and the
// Extensions view use) with the headless Chromium the editor tests already need, so no image tool is required.
// The PNG is committed; run this again after editing the SVG.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, CHROMIUM_ARGS } from './editor/launcher.mjs';
import { repoRoot } from './editor/workspace.mjs';

const svg = readFileSync(join(repoRoot, 'media', 'icon.svg'), 'utf8');
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  writeFileSync(join(repoRoot, 'media', 'icon.png'), png);
  process.stdout.write(`media/icon.png: ${png.length} bytes\n`);
} finally {
  await browser.close();
}
