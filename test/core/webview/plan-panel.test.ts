// The EXPLAIN report in a real browser (Chromium via playwright-core): hostile identifiers stay text,
// the tree works from the keyboard, insights jump to their node, big plans stay virtualised.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { renderPlanHtml } from '../../../src/core/plan/html';
import type { WebviewAssets } from '../../../src/core/plan/assets';
import type { PlanAnalysis } from '../../../src/core/plan/types';
import { encodeMessage } from '../../../src/core/plan/wire';
import { htmlPage, newNonce } from '../../../src/core/html';
import { bundleWebview, launchBrowser } from './browser';

const EVIL = '<img src=x onerror=alert(1)>';
let assets: WebviewAssets;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const dir = mkdtempSync(join(tmpdir(), 'dbe-report-'));

before(async () => {
  assets = await bundleWebview();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

function evilPlan(): PlanAnalysis {
  return analyzePlan([{
    Plan: {
      'Node Type': 'Hash Join', 'Join Type': 'Inner', 'Startup Cost': 10, 'Total Cost': 3000, 'Plan Rows': 100, 'Plan Width': 8,
      'Actual Startup Time': 5, 'Actual Total Time': 60, 'Actual Rows': 100, 'Actual Loops': 1, 'Hash Cond': '(e.user_id = u.id)',
      Plans: [
        { 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': EVIL, Schema: 'public', Alias: 'e',
          'Total Cost': 2000, 'Plan Rows': 100, 'Actual Total Time': 50, 'Actual Rows': 100, 'Actual Loops': 1,
          Filter: `(e."${EVIL}" = 'x'::text)`, 'Rows Removed by Filter': 99900 },
        { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', 'Total Cost': 20, 'Plan Rows': 10, 'Actual Total Time': 2, 'Actual Rows': 10, 'Actual Loops': 1,
          Plans: [{ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'users', Alias: 'u', 'Total Cost': 10, 'Plan Rows': 10,
            'Actual Total Time': 1, 'Actual Rows': 10, 'Actual Loops': 1 }] },
      ],
    },
    'Planning Time': 0.5, 'Execution Time': 61,
  }], { query: `select * from "${EVIL}" e join users u on e.user_id = u.id` });
}

/** Opens a report; collects dialogs, page errors and CSP violations. */
async function open(name: string, html: string): Promise<{ page: Page; problems: string[] }> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, problems };
}

const activeId = (page: Page) => page.locator('.tree').first().getAttribute('aria-activedescendant');
const detailsTitle = (page: Page) => page.locator('.details-title').first().textContent();

test('a table named <img src=x onerror=alert(1)> is shown as text: no img element, no dialog', async () => {
  const a = evilPlan();
  const { page, problems } = await open('evil', renderPlanHtml(a, { assets, title: `Plan for ${EVIL}` }));
  await page.locator('#tab-query').click();
  await page.waitForTimeout(50);
  assert.equal(await page.locator('img').count(), 0);
  const labels = await page.locator('.row .label').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
  assert.ok(labels.includes(`Seq Scan on public."${EVIL}" e`), labels.join(' | '));
  assert.ok((await page.locator('.row .label').allTextContents()).includes(`Seq Scan on ${EVIL} e`));
  assert.equal(await page.locator('h1').textContent(), `Plan for ${EVIL}`);
  assert.equal(await page.title(), `Plan for ${EVIL}`);
  assert.ok((await page.locator('#panel-query pre').textContent())!.includes(`"${EVIL}"`));
  assert.ok((await page.locator('.insights').textContent())!.includes(EVIL));
  assert.deepEqual(problems, []);
  await page.close();
});

test('keyboard: arrows move the selection through the tree, left/right collapse and expand', async () => {
  const a = evilPlan();
  const { page, problems } = await open('keys', renderPlanHtml(a, { assets }));
  const tree = page.locator('.tree').first();
  await tree.focus();
  assert.equal(await activeId(page), 'plan-n0');
  await page.keyboard.press('ArrowDown');
  assert.equal(await activeId(page), 'plan-n1');
  assert.equal(await page.locator('#plan-n1').getAttribute('aria-selected'), 'true');
  assert.equal(await detailsTitle(page), a.nodes[1]!.label);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await activeId(page), 'plan-n3');
  await page.keyboard.press('ArrowLeft'); // leaf: to its parent
  assert.equal(await activeId(page), 'plan-n2');
  await page.keyboard.press('ArrowLeft'); // expanded: collapse
  assert.equal(await page.locator('#plan-n2').getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#plan-n3').count(), 0);
  await page.keyboard.press('ArrowRight'); // collapsed: expand
  assert.equal(await page.locator('#plan-n3').count(), 1);
  await page.keyboard.press('Home');
  assert.equal(await activeId(page), 'plan-n0');
  await page.keyboard.press('End');
  assert.equal(await activeId(page), 'plan-n3');
  // The focused tree shows a visible focus indication.
  const outline = await tree.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }).getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, 'none');
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking an insight selects its node; buttons post typed messages', async () => {
  const a = evilPlan();
  const insight = a.insights.find((i) => i.kind === 'seq-scan-filter')!;
  assert.equal(insight.nodeId, 1);
  const { page, problems } = await open('insight', renderPlanHtml(a, { assets }));
  await page.locator('.tree').first().focus();
  await page.keyboard.press('End');
  assert.equal(await activeId(page), 'plan-n3');
  await page.locator('button.insight').first().click();
  assert.equal(await activeId(page), 'plan-n1');
  assert.equal(await detailsTitle(page), a.nodes[1]!.label);
  assert.ok((await page.locator('.details .insight-card').textContent())!.includes('CREATE INDEX CONCURRENTLY'));
  // Standalone report: no editor to ask; copy/save are handled in the page and recorded.
  assert.equal(await page.locator('#btn-ask').count(), 0);
  await page.locator('#btn-save').click();
  const posted = await page.evaluate(() => (globalThis as unknown as { __dbePosted: unknown[] }).__dbePosted);
  assert.deepEqual(posted.filter((m) => (m as { type: string }).type !== 'select'), [{ type: 'save' }]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the icicle view draws blocks sized by inclusive time; clicking one selects its node', async () => {
  const a = evilPlan();
  const { page, problems } = await open('flame', renderPlanHtml(a, { assets }));
  await page.locator('#tab-flame').click();
  await page.waitForSelector('.flame-block[data-id="1"]');
  const width = async (id: number) => (await page.locator(`.flame-block[data-id="${id}"]`).boundingBox())!.width;
  const root = await width(0);
  // The scan took 50 of the join's 60 ms.
  assert.ok(Math.abs((await width(1)) / root - 50 / 60) < 0.02, `${await width(1)} of ${root}`);
  assert.equal(await page.locator('.flame-block[data-id="1"] .flame-label').textContent(), a.nodes[1]!.label);
  assert.equal(await page.locator('.flame-block[data-id="1"] .flame-time').textContent(), '50.0 ms');
  assert.equal(await page.locator('.flame-block').count(), a.nodes.length, 'every node is drawn');
  await page.locator('.flame-block[data-id="1"]').click();
  assert.equal(await activeId(page), 'plan-n1');
  assert.equal(await page.locator('img').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 10,000-node plan renders only the rows in view; compare mode shows the time delta', async () => {
  const scans = Array.from({ length: 9_999 }, (_, i) => ({
    'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', 'Relation Name': `part_${i}`, 'Total Cost': 1, 'Plan Rows': 1,
    'Actual Total Time': 0.01, 'Actual Rows': 1, 'Actual Loops': 1,
  }));
  const big = analyzePlan({ Plan: { 'Node Type': 'Append', 'Total Cost': 9_999, 'Plan Rows': 9_999, 'Actual Total Time': 120, 'Actual Rows': 9_999, 'Actual Loops': 1, Plans: scans }, 'Execution Time': 121 });
  const single = await open('big-show', renderPlanHtml(big, { assets }));
  const shown = await single.page.locator('.row').count();
  assert.ok(shown > 10 && shown < 200, `${shown} rows in the DOM`);
  await single.page.close();
  const { page, problems } = await open('big', renderPlanHtml(big, { assets, compareWith: evilPlan(), beforeLabel: 'Before index', afterLabel: 'After index' }));
  assert.equal(await page.locator('#compare-time').textContent(), 'time: 61.0 ms → 121 ms (one run each); one run each cannot tell a change from noise: compare with several runs');
  const changes = await page.locator('.changes li').allTextContents();
  assert.equal(changes.length, 21);
  assert.equal(changes[0], 'part_0: not read → Seq Scan');
  assert.equal(changes[20], '… and 9984 more changes');
  const rows = await page.locator('.compare-col').nth(1).locator('.row').count();
  assert.ok(rows > 10 && rows < 200, `${rows} rows in the DOM`);
  const tree = page.locator('.compare-col').nth(1).locator('.tree');
  await tree.focus();
  await page.keyboard.press('End');
  assert.equal(await tree.getAttribute('aria-activedescendant'), 'after-n9999');
  assert.equal(await page.locator('#after-n9999 .label').textContent(), 'Seq Scan on part_9998');
  assert.equal(await page.locator('#after-n9999 .label').getAttribute('title'), 'Seq Scan on part_9998');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the panel\'s own path: a plan posted as one packed string renders, every node reachable by keyboard; a garbled message says so', async () => {
  // The webview page as the extension host serves it: the app and no plan, which then arrives by message.
  const nonce = newNonce();
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  writeFileSync(join(dir, 'panel.html'), htmlPage({ title: 'EXPLAIN plan', nonce, style: assets.style, script: assets.script, images: true, body: '<div id="app"></div>' }));
  await page.goto(`file://${join(dir, 'panel.html')}`);
  const scans = Array.from({ length: 2_999 }, (_, i) => ({
    'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', 'Relation Name': i === 2_998 ? EVIL : `part_${i}`, 'Total Cost': 1, 'Plan Rows': 1,
    'Actual Total Time': 0.01, 'Actual Rows': 1, 'Actual Loops': 1, Filter: '(x = 1)', 'Rows Removed by Filter': 5000,
  }));
  const big = analyzePlan({ Plan: { 'Node Type': 'Append', 'Total Cost': 2_999, 'Plan Rows': 2_999, 'Actual Total Time': 60, 'Actual Rows': 2_999, 'Actual Loops': 1, Plans: scans }, 'Execution Time': 61 });
  await page.evaluate((m) => (globalThis as unknown as { postMessage(m: string, o: string): void }).postMessage(m, '*'), encodeMessage({ type: 'show', title: 'Packed', plan: big }));
  await page.waitForSelector('body[data-ready="true"] .row');
  assert.equal(await page.locator('h1').textContent(), 'Packed');
  const shown = await page.locator('.row').count();
  assert.ok(shown > 10 && shown < 200, `${shown} rows in the DOM`);
  const tree = page.locator('.tree');
  await tree.focus();
  await page.keyboard.press('End');
  assert.equal(await tree.getAttribute('aria-activedescendant'), 'plan-n2999');
  assert.equal(await page.locator('#plan-n2999 .label').getAttribute('title'), `Seq Scan on "${EVIL}"`);
  assert.equal(await page.locator('img').count(), 0);
  // The raw fields come back in their order, from the packed names.
  assert.match(await page.locator('.details-box .raw').textContent() ?? '', /Node Type.*Seq Scan.*Relation Name/s);
  await page.evaluate(() => (globalThis as unknown as { postMessage(m: string, o: string): void }).postMessage('{"v": 1, "message"', '*'));
  await page.waitForSelector('#explain-error');
  assert.match(await page.locator('#explain-error').textContent() ?? '', /^The panel could not read the plan: /);
  assert.deepEqual(problems, []);
  await page.close();
});
