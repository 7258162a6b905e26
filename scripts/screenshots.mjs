#!/usr/bin/env node
// `node scripts/screenshots.mjs`: the README's pictures, taken from the real editor. Packages and installs the
// extension into code-server exactly as `npm run demo` does, opens copies of examples/supabase-app and
// examples/prisma-app in headless Chromium, drives the workbench like a user (quick open, command palette,
// the Chat view) and saves one PNG per scene. The chat scene's model is the tests' local Messages API server
// with a scripted answer (a get_schema call first), so no API key is needed and the picture is reproducible.
//
// Options: --out DIR (default media/screenshots), --size WxH (default 1680x1050), --prefix P and --suffix S
// around each file name, --only name[,name] (the README's: findings, hover, explain, chat, prisma; also fixall,
// suggest, walkthrough, extension, m2m, optimize, propose), --no-package
// (reuse dist/database-engineer.vsix).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeWorkspace, repoRoot } from './editor/workspace.mjs';
import { openBrowser, openWorkbench, waitForActivation, runCommand, openFile, askInChat } from './editor/ui.mjs';
import { extensionId, packageExtension, installExtensions, startInstalledEditor, loadFakeAnthropic } from './editor/installed-editor.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
};
const outDir = resolve(arg('--out', join(repoRoot, 'media', 'screenshots')));
const [width, height] = arg('--size', '1680x1050').split('x').map(Number);
const prefix = arg('--prefix', '');
const suffix = arg('--suffix', '');
const README_SCENES = ['findings', 'hover', 'explain', 'chat', 'prisma'];
const only = arg('--only', README_SCENES.join(',')).split(',').filter(Boolean);
const say = (msg) => process.stdout.write(`[screenshots] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const KEY = 'sk-ant-screenshots-0000';

/** Moves the cursor to line:column (1-based) with Go to Line. */
async function goTo(page, line, column) {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10000 });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await sleep(300);
}

/** Opens a file with the Problems panel below it, once its findings are in. */
async function openWithProblems(page, path) {
  await openFile(page, path);
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 30000 });
  await openFile(page, path);
}

/** Scenes on the Supabase example; each leaves the workbench showing what its picture is about. */
const supabaseScenes = {
  async findings(page) {
    await openWithProblems(page, 'supabase/migrations/20240106000000_comments.sql');
    await goTo(page, 1, 16);
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget').waitFor({ timeout: 15000 });
    await sleep(500);
  },
  async hover(page) {
    await page.keyboard.press('Escape');
    await openFile(page, 'queries/documents_by_owner.sql');
    await goTo(page, 3, 16);
    await runCommand(page, 'Show or Focus Hover');
    await page.locator('.monaco-hover-content').first().waitFor({ timeout: 20000 });
    await sleep(800);
  },
  async explain(page) {
    await page.keyboard.press('Escape');
    await openFile(page, 'queries/documents_by_owner.sql');
    await goTo(page, 3, 1);
    await runCommand(page, 'Database Engineer: Explain Analyze Query');
    await page.locator('.webview').first().waitFor({ timeout: 60000 });
    // The panel renders inside nested iframes; give the embedded database and the plan time to arrive.
    const frame = page.frameLocator('iframe.webview').frameLocator('iframe');
    await frame.locator('text=/Seq Scan|Index Scan|Sort/').first().waitFor({ timeout: 120000 });
    await sleep(1000);
  },
  // Not in the README (pass --only): fix all, an agent suggested by its trigger, the walkthrough, our Extensions page.
  async fixall(page) {
    await page.keyboard.press('Escape');
    await openFile(page, 'supabase/migrations/20240104000000_documents.sql');
    await goTo(page, 18, 12);
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget', { hasText: 'Fix all auth-function-per-row' }).waitFor({ timeout: 20000 });
    await sleep(500);
  },
  async suggest(page) {
    await page.keyboard.press('Escape');
    await askInChat(page, '@database-engineer Should we vacuum the documents table more often?', /Ask Dana-Database/);
    await sleep(800);
  },
  async walkthrough(page) {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Database Engineer' }).first().click();
    await page.locator('.getting-started-step', { hasText: 'Choose how the agents answer' }).first().waitFor({ timeout: 20000 });
    await sleep(1500);
  },
  async optimize(page) {
    await page.keyboard.press('Escape');
    await openFile(page, 'queries/documents_by_owner.sql');
    await goTo(page, 3, 1);
    await runCommand(page, 'Database Engineer: Optimize Query with @query-performance');
    // The diff opens last, in front of the comparison: bring the comparison's tab forward.
    const tab = page.locator('.tab', { hasText: 'Optimize Query: before ↔ after' }).first();
    await tab.waitFor({ timeout: 120000 });
    await tab.click();
    // The comparison renders in the EXPLAIN panel's nested frames once both queries ran their measured runs.
    const frame = page.frameLocator('iframe.webview').frameLocator('iframe');
    await frame.locator('text=/median of 3 runs/').first().waitFor({ timeout: 120000 });
    await sleep(1500);
  },
  async extension(page) {
    await runCommand(page, 'View: Show Extensions');
    const search = page.locator('.extensions-viewlet .monaco-editor textarea').first();
    await search.waitFor({ timeout: 15000 });
    await search.focus();
    await page.keyboard.type('@installed Database Engineer');
    const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Database Engineer' }).first();
    await row.waitFor({ timeout: 20000 });
    await row.click();
    await page.locator('.extension-editor').waitFor({ timeout: 20000 });
    // The details tab renders the packaged README in a webview (nested frames); wait for its first section.
    const deadline = Date.now() + 45000;
    let readme;
    while (!readme) {
      if (Date.now() > deadline) throw new Error('the README did not render in the Extensions view within 45 s');
      for (const f of page.frames()) {
        if (!readme && await f.evaluate(() => document.body?.innerText.includes('What it does')).catch(() => false)) readme = f;
      }
      if (!readme) await sleep(500);
    }
    // Every picture must have loaded (the page's CSP blocks anything but https: and data:), then the first
    // screenshot is brought into view so the picture shows one.
    const broken = await readme.evaluate(async () => {
      const imgs = [...document.querySelectorAll('img')];
      await Promise.all(imgs.map((i) => (i.complete ? null : new Promise((r) => { i.onload = i.onerror = r; }))));
      imgs[1]?.scrollIntoView({ block: 'center' });
      return imgs.length ? imgs.filter((i) => !i.naturalWidth).map((i) => i.alt || i.src.slice(0, 60)) : ['(no images at all)'];
    });
    if (broken.length) throw new Error(`pictures that did not load on the extension page: ${broken.join('; ')}`);
    await page.mouse.move(width - 5, Math.round(height / 2)); // away from the title, whose hover covers the header
    await sleep(2000);
  },
  async chat(page) {
    await page.keyboard.press('Escape');
    await askInChat(page, '@database-engineer Which tables hold documents, and who can read them?', /Who can read them/);
    await sleep(800);
  },
  // Two proposed migrations, one of which the embedded database refuses: what the chat says beside Save as migration.
  async propose(page) {
    await page.keyboard.press('Escape');
    await askInChat(page, '@database-engineer Index what the documents policy filters on, and add a check on titles', /refused a statement/);
    await sleep(800);
  },
};

const prismaScenes = {
  async prisma(page) {
    await openWithProblems(page, 'prisma/schema.prisma');
    await sleep(800);
  },
};

// Not in the README (pass --only m2m): the implicit many-to-many finding of examples/prisma-supabase-app and its fix.
const prismaSupabaseScenes = {
  async m2m(page) {
    await openWithProblems(page, 'prisma/schema.prisma');
    await goTo(page, 35, 4);
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget', { hasText: 'Declare the relation model PostToTag' }).waitFor({ timeout: 20000 });
    await sleep(500);
  },
};

const CHAT_ANSWER = [
  'Who can read them, from the schema (`get_schema`):\n\n',
  '- **`public.documents`** holds the documents (`owner_id` → `profiles`, `project_id` → `projects`). ',
  'Row level security is on: owners manage their own rows, and anyone may read rows with `is_public`.\n',
  '- **`public.document_chunks`** holds their embeddings for search.\n\n',
  'One thing to fix: the owner policy calls `auth.uid()` once per row. Wrap it so it runs once per query:\n\n',
  '```sql\nalter policy "Owners can manage their documents" on public.documents\n  using ((select auth.uid()) = owner_id)\n  with check ((select auth.uid()) = owner_id);\n```\n',
];

async function shoot(install, folder, scenes, fake) {
  const names = Object.keys(scenes).filter((n) => only.includes(n));
  if (!names.length) return;
  const editor = await startInstalledEditor({ install, folder });
  const { browser, page } = await openBrowser({ width, height });
  try {
    await openWorkbench(page, editor.url);
    await waitForActivation(install.dirs.userData, extensionId);
    await sleep(3000); // the first analysis of the workspace
    for (const name of names) {
      if (name === 'suggest') {
        const { reply } = await loadFakeAnthropic();
        fake.enqueue(reply.text('Autovacuum already runs on documents; tune its thresholds before adding manual VACUUMs.'));
      }
      if (name === 'optimize') {
        const { reply } = await loadFakeAnthropic();
        fake.enqueue(reply.text('```sql\n-- rewritten\nselect id, title, is_public, updated_at\nfrom public.documents\nwhere owner_id = \'00000000-0000-0000-0000-000000000001\'\norder by updated_at desc\nlimit 50;\n```\n\n```sql\n-- indexes\ncreate index documents_owner_id_updated_at_idx on public.documents (owner_id, updated_at desc);\n```\n'));
      }
      if (name === 'propose') {
        const { reply } = await loadFakeAnthropic();
        fake.enqueue(
          reply.toolUse([
            { name: 'propose_migration', input: { name: 'index_documents_owner_id', sql: 'create index documents_owner_id_idx on public.documents (owner_id);' } },
            { name: 'propose_migration', input: { name: 'documents_title_check', sql: 'alter table public.documents add constraint documents_title_length check (char_length(titel) <= 200);' } },
          ]),
          reply.text('I proposed two migrations: an index on `documents.owner_id`, which the policy filters on, and a length check on titles.', { delayMs: 20 }),
        );
      }
      if (name === 'chat') {
        const { reply } = await loadFakeAnthropic();
        fake.enqueue(
          reply.toolUse([{ name: 'get_schema', input: { tables: ['documents', 'document_chunks'] } }]),
          reply.text(CHAT_ANSWER, { delayMs: 20 }),
        );
      }
      say(`scene ${name}`);
      await scenes[name](page);
      const file = join(outDir, `${prefix}${name}${suffix}.png`);
      await page.screenshot({ path: file });
      say(`saved ${file}`);
    }
  } catch (err) {
    const file = join(outDir, `${prefix}failed${suffix}.png`);
    await page.screenshot({ path: file }).catch(() => {});
    throw new Error(`${err.message}\n(the editor at that moment: ${file})`);
  } finally {
    await browser.close();
    await editor.stop();
  }
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  if (!process.argv.includes('--no-package')) packageExtension({ quiet: true });
  const scratch = mkdtempSync(join(tmpdir(), 'dbe-screenshots-'));
  const { startFakeAnthropic } = await loadFakeAnthropic();
  const fake = await startFakeAnthropic({ apiKey: KEY });
  process.env.ANTHROPIC_API_KEY = KEY;
  process.env.ANTHROPIC_BASE_URL = fake.url;
  try {
    const install = installExtensions({ scratch, say });
    mkdirSync(join(scratch, 'supabase'));
    const supabase = makeWorkspace(join(scratch, 'supabase'));
    // A team agent whose trigger keyword the `suggest` scene uses.
    mkdirSync(join(supabase, '.claude', 'agents'), { recursive: true });
    writeFileSync(join(supabase, '.claude', 'agents', 'dana-database.md'),
      '---\nname: Dana-Database\ndescription: Our DBA: maintenance, vacuum and bloat.\npriority: high\ntriggers:\n  keywords: [vacuum, bloat]\n---\nYou are Dana, our DBA.\n');
    await shoot(install, supabase, supabaseScenes, fake);
    const prisma = join(scratch, 'prisma', 'workspace');
    cpSync(join(repoRoot, 'examples', 'prisma-app'), prisma, { recursive: true });
    await shoot(install, prisma, prismaScenes, fake);
    const prismaSupabase = join(scratch, 'prisma-supabase', 'workspace');
    cpSync(join(repoRoot, 'examples', 'prisma-supabase-app'), prismaSupabase, { recursive: true });
    await shoot(install, prismaSupabase, prismaSupabaseScenes, fake);
  } finally {
    await fake.close();
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().catch((err) => {
  process.stderr.write(`[screenshots] ${err.message}\n`);
  process.exit(1);
});
