// The report at the widths the panel opens at (400, 700, 1200 px): advice on top, toolbars that wrap without
// overlapping, row labels with their full text, times that do not clip, details below the tree when narrow.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { renderPlanHtml } from '../../../src/core/plan/html';
import type { WebviewAssets } from '../../../src/core/plan/assets';
import { bundleWebview, launchBrowser } from './browser';

let assets: WebviewAssets;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const dir = mkdtempSync(join(tmpdir(), 'dbe-layout-'));
const shots = process.env['DBE_SCREENS'];

before(async () => {
  assets = await bundleWebview();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The README's first query on the example: a top-N sort under LIMIT 20 over a join with a filtered scan. */
const PLAN = analyzePlan([{
  Plan: {
    'Node Type': 'Limit', 'Startup Cost': 1210, 'Total Cost': 1210.1, 'Plan Rows': 20, 'Plan Width': 64,
    'Actual Startup Time': 9.1, 'Actual Total Time': 9.2, 'Actual Rows': 20, 'Actual Loops': 1, 'Shared Hit Blocks': 400, 'Shared Read Blocks': 20,
    Plans: [{
      'Node Type': 'Sort', 'Parent Relationship': 'Outer', 'Startup Cost': 1210, 'Total Cost': 1260, 'Plan Rows': 20000, 'Plan Width': 64,
      'Actual Startup Time': 9.1, 'Actual Total Time': 9.15, 'Actual Rows': 20, 'Actual Loops': 1, 'Sort Key': ['d.updated_at DESC'],
      'Sort Method': 'top-N heapsort', 'Sort Space Used': 30, 'Sort Space Type': 'Memory', 'Shared Hit Blocks': 400, 'Shared Read Blocks': 20,
      Plans: [{
        'Node Type': 'Hash Join', 'Parent Relationship': 'Outer', 'Join Type': 'Inner', 'Startup Cost': 3, 'Total Cost': 900, 'Plan Rows': 20000, 'Plan Width': 64,
        'Actual Startup Time': 0.2, 'Actual Total Time': 7.5, 'Actual Rows': 400, 'Actual Loops': 1, 'Hash Cond': '(d.project_id = p.id)', 'Shared Hit Blocks': 400, 'Shared Read Blocks': 20,
        Plans: [
          { 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'documents', Schema: 'public', Alias: 'd', 'Startup Cost': 0, 'Total Cost': 800,
            'Plan Rows': 20000, 'Plan Width': 48, 'Actual Startup Time': 0.01, 'Actual Total Time': 6.9, 'Actual Rows': 400, 'Actual Loops': 1,
            Filter: "(d.owner_id = '00000000-0000-0000-0000-000000000001'::uuid)", 'Rows Removed by Filter': 19600, 'Shared Hit Blocks': 380, 'Shared Read Blocks': 20 },
          { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', 'Startup Cost': 2, 'Total Cost': 2, 'Plan Rows': 20, 'Plan Width': 20, 'Actual Startup Time': 0.05,
            'Actual Total Time': 0.05, 'Actual Rows': 20, 'Actual Loops': 1, 'Hash Buckets': 1024, 'Hash Batches': 1, 'Peak Memory Usage': 9, 'Shared Hit Blocks': 1,
            Plans: [{ 'Node Type': 'Index Only Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'projects_with_a_rather_long_table_name', Schema: 'public', Alias: 'p',
              'Index Name': 'projects_with_a_rather_long_table_name_organization_id_idx', 'Startup Cost': 0, 'Total Cost': 2, 'Plan Rows': 20, 'Plan Width': 20,
              'Actual Startup Time': 0.01, 'Actual Total Time': 0.03, 'Actual Rows': 20, 'Actual Loops': 1, 'Heap Fetches': 0, 'Shared Hit Blocks': 1 }] },
        ],
      }],
    }],
  },
  'Planning Time': 0.4, 'Execution Time': 9.4,
}], { query: 'select d.id, d.title from public.documents d join public.projects p on p.id = d.project_id where d.owner_id = $1 order by d.updated_at desc limit 20' });

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

async function boxes(page: Page, selector: string): Promise<Box[]> {
  return page.locator(selector).evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }));
}

async function noOverlaps(page: Page, width: number): Promise<void> {
  // Within each toolbar, and between toolbars and the blocks around them.
  for (const tb of await page.locator('.toolbar').all()) {
    const items = await tb.locator(':scope > *').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }));
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) assert.ok(!overlap(items[i]!, items[j]!), `${width}px: toolbar items ${i} and ${j} overlap`);
      assert.ok(items[i]!.x >= 0 && items[i]!.x + items[i]!.width <= width + 0.5, `${width}px: toolbar item ${i} runs off the page`);
    }
  }
  const blocks = await boxes(page, 'header .title-block, header .actions, .advice, .tabs, .tree-toolbar, .legend-box, .tree');
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) assert.ok(!overlap(blocks[i]!, blocks[j]!), `${width}px: blocks ${i} and ${j} overlap`);
  }
}

for (const width of [400, 700, 1200]) {
  test(`at ${width} px: advice first, no overlaps, full labels, times not clipped`, async () => {
    const file = join(dir, `report-${width}.html`);
    writeFileSync(file, renderPlanHtml(PLAN, { assets, title: 'EXPLAIN ANALYZE · queries/documents_for_user.sql:2' }));
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"] .row');
    await page.evaluate(() => new Promise((r) => { const raf = (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame; raf(() => raf(() => r(null))); }));

    // The advice and its fix come before the tabs, and the top insight is the scan.
    const [advice] = await boxes(page, '.advice');
    const [tabsBox] = await boxes(page, '.tabs');
    assert.ok(advice!.y + advice!.height <= tabsBox!.y + 0.5, 'advice above the views');
    const first = page.locator('.advice-card').first();
    assert.match((await first.locator('button.insight').textContent())!, /Sequential scan on public\.documents discards 98%/);
    assert.match((await first.locator('pre.fix').textContent())!, /CREATE INDEX CONCURRENTLY documents_owner_id_idx/);
    assert.equal(await first.locator('[data-action="copy"]').count(), 1);
    // No false alarm on the top-N sort under the Limit.
    assert.equal(await page.locator('#plan-n1 .badge.misestimate').count(), 0);

    await noOverlaps(page, width);

    // Every row's label carries the full EXPLAIN line; the operation and the relation are what it shows.
    const labels = await page.locator('.row').evaluateAll((rows) => rows.map((r) => ({ id: Number(r.getAttribute('data-id')), title: r.querySelector('.label')!.getAttribute('title'), text: r.querySelector('.label')!.textContent })));
    assert.equal(labels.length, PLAN.nodes.length);
    for (const l of labels) assert.equal(l.title, PLAN.nodes[l.id]!.label);
    assert.equal(labels[3]!.text, 'Seq Scan on documents d');
    // Times are never clipped.
    const clipped = await page.locator('.row .metric').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > e.closest('.tree')!.getBoundingClientRect().right + 0.5).length);
    assert.equal(clipped, 0);
    // Details beside the tree when wide, below it when narrow.
    const [tree] = await boxes(page, '.tree');
    const [details] = await boxes(page, '.details-box');
    if (width < 760) assert.ok(details!.y >= tree!.y + tree!.height - 0.5, `${width}px: details below the tree`);
    else assert.ok(details!.x >= tree!.x + tree!.width - 0.5, `${width}px: details beside the tree`);
    if (shots) await page.screenshot({ path: join(shots, `report-${width}.png`), fullPage: false });
    await page.close();
  });
}

test('grid sorts by own time, rows, misestimate and buffers; statistics per table and index; highlight modes change the bars', async () => {
  const file = join(dir, 'views.html');
  writeFileSync(file, renderPlanHtml(PLAN, { assets }));
  const page = await browser.context.newPage();
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"] .row');
  await page.locator('#tab-grid').click();
  const firstId = async () => Number(await page.locator('table.grid tbody tr').first().getAttribute('data-id'));
  assert.equal(await firstId(), 3, 'the scan has the most own time');
  for (const [sort, id] of [['rows', 2], ['buffers', 3], ['misestimate', 2]] as const) {
    await page.locator(`button.sort[data-sort="${sort}"]`).click();
    assert.equal(await page.locator(`th[aria-sort="descending"] button`).getAttribute('data-sort'), sort);
    if (sort !== 'misestimate') assert.equal(await firstId(), id, sort);
  }
  assert.equal(await page.locator('table.grid tbody tr').count(), PLAN.nodes.length);
  await page.locator('table.grid tbody tr[data-id="5"]').click();
  assert.equal(await page.locator('.tree').first().getAttribute('aria-activedescendant'), 'plan-n5');

  await page.locator('#tab-stats').click();
  const tables = await page.locator('table.stats').first().locator('tbody th').allTextContents();
  assert.deepEqual(tables, ['public.documents', 'public.projects_with_a_rather_long_table_name']);
  const indexes = await page.locator('table.stats').nth(1).locator('tbody th').allTextContents();
  assert.deepEqual(indexes, ['projects_with_a_rather_long_table_name_organization_id_idx']);

  await page.locator('#tab-plan').click();
  const metric = () => page.locator('#plan-n3 .metric').textContent();
  assert.match((await metric())!, /ms · \d+%/);
  await page.selectOption('#plan-highlight', 'rows');
  assert.equal(await metric(), '400 rows');
  assert.match((await page.locator('.legend').textContent())!, /rows this node returned/);
  await page.selectOption('#plan-highlight', 'buffers');
  assert.equal(await metric(), '3.1 MB');
  await page.selectOption('#plan-highlight', 'cost');
  assert.match((await metric())!, /^800\.0 · \d+%$/);
  await page.close();
});

test('a text plan as psql prints it opens in the report', async () => {
  const text = ` QUERY PLAN\n-----\n Limit  (cost=0.00..1.00 rows=20 width=8) (actual time=0.01..0.20 rows=20 loops=1)\n   ->  Seq Scan on public.documents d  (cost=0.00..800.00 rows=20000 width=8) (actual time=0.01..0.10 rows=20 loops=1)\n Planning Time: 0.1 ms\n Execution Time: 0.3 ms\n(4 rows)\n`;
  const file = join(dir, 'text.html');
  writeFileSync(file, renderPlanHtml(analyzePlan(text), { assets }));
  const page = await browser.context.newPage();
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="true"] .row');
  assert.equal(await page.locator('.row').count(), 2);
  assert.equal(await page.locator('#plan-n1 .label').getAttribute('title'), 'Seq Scan on public.documents d');
  assert.equal(await page.locator('#plan-n1 .badge.misestimate').count(), 0, 'under a Limit');
  // What the panel keeps for a window reload: the message itself, for a plan this small.
  const kept = await page.evaluate(() => (globalThis as unknown as { __dbeState?: { message?: { type: string } } }).__dbeState?.message?.type);
  assert.equal(kept, 'show');
  await page.close();
});

for (const width of [400, 700, 1200]) {
  test(`compare at ${width} px: each side's heading shows in full above its plan, the different-results warning leads`, async () => {
    // The same scan returning 20 rows before and, with a tighter LIMIT, 5 after.
    const plan = (rows: number) => analyzePlan([{ Plan: { 'Node Type': 'Limit', 'Total Cost': 900, 'Plan Rows': rows, 'Actual Total Time': 7, 'Actual Rows': rows, 'Actual Loops': 1,
      Plans: [{ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'documents', Schema: 'public', Alias: 'd', 'Total Cost': 800, 'Plan Rows': 20000,
        'Actual Total Time': 6.9, 'Actual Rows': rows, 'Actual Loops': 1 }] }, 'Execution Time': 7.1 }]);
    const file = join(dir, `compare-${width}.html`);
    writeFileSync(file, renderPlanHtml(plan(5), { assets, compareWith: plan(20), beforeLabel: 'Original', afterLabel: 'Rewritten' }));
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"] .row');
    const headline = page.locator('#compare-headline');
    assert.match((await headline.textContent())!, /^Different results \(20 rows → 5 rows\): not the same query/);
    assert.equal(await headline.getAttribute('role'), 'alert');
    const headings = await page.locator('.compare-col > h2').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      const pane = e.parentElement!.querySelector('.plan-pane')!.getBoundingClientRect();
      return { text: e.textContent, height: r.height, clipped: e.scrollHeight > e.clientHeight + 1, above: r.bottom <= pane.top + 0.5 };
    }));
    assert.deepEqual(headings.map((h) => h.text), ['Original', 'Rewritten']);
    for (const h of headings) assert.ok(h.height >= 12 && !h.clipped && h.above, `${width}px: heading ${JSON.stringify(h)}`);
    // A short panel (the editor's, under a three-line headline): each side's details stay below its tree.
    await page.setViewportSize({ width, height: 560 });
    for (const col of await page.locator('.compare-col').all()) {
      const [tree] = await col.locator('.tree').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box));
      const [details] = await col.locator('.details-box').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box));
      assert.ok(!overlap(tree!, details!), `${width}px: the details overlap the tree: ${JSON.stringify({ tree, details })}`);
    }
    // Side by side or one above the other, neither side's tree runs into the other side.
    const [firstTree, secondSide] = [(await boxes(page, '.compare-col .tree'))[0]!, (await boxes(page, '.compare-col'))[1]!];
    assert.ok(!overlap(firstTree, secondSide), `${width}px: the first tree runs into the second side: ${JSON.stringify({ firstTree, secondSide })}`);
    // The first side's tree is on screen without scrolling (not hidden in a scroller of its own).
    const seen = await page.locator('.compare-col').first().locator('.tree').evaluate((tree) => {
      const r = tree.getBoundingClientRect();
      const win = globalThis as unknown as { innerHeight: number; document: { elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null } };
      return r.y + 20 < win.innerHeight && win.document.elementFromPoint(r.x + 20, r.y + 10)?.closest('.tree') === tree;
    });
    assert.ok(seen, `${width}px: the first plan's tree is not visible`);
    if (shots) await page.screenshot({ path: join(shots, `compare-${width}.png`), fullPage: false });
    await page.close();
  });
}
