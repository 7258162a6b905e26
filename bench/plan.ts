// Plan analysis and rendering speed: analyse + HTML for 10,000- and 50,000-node plans, and the time to
// first paint of the 10,000-node report in headless Chromium. Run: npm run bench (or node --import tsx bench/plan.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePlan } from '../src/core/plan/analyze';
import { renderPlanHtml } from '../src/core/plan/html';
import { renderPlanText } from '../src/core/plan/text';
import { bundleWebview, launchBrowser } from '../test/core/webview/browser';

/** A realistic mix: joins over scans, some loops, filters and buffers, `n` nodes in a balanced-ish tree. */
export function syntheticPlan(n: number): unknown {
  let next = 0;
  const make = (budget: number, depth: number): Record<string, unknown> => {
    const id = next++;
    const base = {
      'Startup Cost': 0, 'Total Cost': budget * 10, 'Plan Rows': budget * 3, 'Plan Width': 32,
      'Actual Startup Time': 0.01, 'Actual Total Time': budget * 0.05, 'Actual Rows': budget * (id % 7 === 0 ? 90 : 3), 'Actual Loops': 1,
      'Shared Hit Blocks': budget * 4, 'Shared Read Blocks': budget, 'Temp Read Blocks': 0, 'Temp Written Blocks': 0,
    };
    if (budget <= 1) {
      return { 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': `t${id}`, Schema: 'public', Alias: `t${id}`,
        Filter: `(t${id}.status = 'open'::text)`, 'Rows Removed by Filter': 20000, ...base };
    }
    const left = Math.ceil((budget - 1) / 2);
    const right = budget - 1 - left;
    const kids = [make(left, depth + 1)];
    if (right > 0) kids.push({ ...make(right, depth + 1), 'Parent Relationship': 'Inner' });
    return { 'Node Type': right > 0 ? 'Hash Join' : 'Sort', 'Join Type': 'Inner', 'Hash Cond': '(a.id = b.a_id)', ...base, Plans: kids };
  };
  return [{ Plan: make(n, 0), 'Planning Time': 1, 'Execution Time': n * 0.05 }];
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

export async function run(log: (line: string) => void = console.log): Promise<void> {
  const assets = await bundleWebview();
  const dir = mkdtempSync(join(tmpdir(), 'dbe-bench-plan-'));
  try {
    let html10k = '';
    for (const n of [10_000, 50_000]) {
      const raw = JSON.stringify(syntheticPlan(n));
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const [a, analyseMs] = time(() => analyzePlan(raw));
      const heapAfter = process.memoryUsage().heapUsed;
      const [html, htmlMs] = time(() => renderPlanHtml(a, { assets }));
      const [text, textMs] = time(() => renderPlanText(a));
      log(`plan ${n.toLocaleString('en-US')} nodes: analyse ${analyseMs.toFixed(0)} ms (heap +${mb(heapAfter - heapBefore)}, input ${mb(raw.length)}), `
        + `HTML ${htmlMs.toFixed(0)} ms (${mb(html.length)}), text ${textMs.toFixed(0)} ms (${mb(text.length)}), ${a.insights.length} insights`);
      if (n === 10_000) html10k = html;
    }
    const file = join(dir, 'plan10k.html');
    writeFileSync(file, html10k);
    const browser = await launchBrowser();
    try {
      for (let i = 0; i < 2; i++) {
        const page = await browser.context.newPage();
        const t = performance.now();
        await page.goto(`file://${file}`);
        await page.waitForSelector('body[data-ready="true"] .row');
        // Wait for the frame after the render to be painted.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const wall = performance.now() - t;
        const metrics = await page.evaluate(() => ({
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
          render: Number(document.body.dataset['renderMs']),
          rows: document.querySelectorAll('.row').length,
        }));
        log(`plan 10,000 nodes in Chromium (${i === 0 ? 'cold' : 'warm'}): first contentful paint ${metrics.fcp?.toFixed(0) ?? '?'} ms, app render ${metrics.render} ms, `
          + `load→painted ${wall.toFixed(0)} ms, ${metrics.rows} rows in the DOM`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void run();
