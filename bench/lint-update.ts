// Editor update latency without the editor: what one debounced update costs on a 1,000-statement migration.
// The editor's path: the edited buffer as the Project's overlay, the Project's analysis (a watched project reads
// nothing else), the findings of the whole project and per-file signatures, as FolderLinter.publish does. The
// analyzer alone is measured too, so the Project's own share is visible.
// Run: npm run bench lint-update (or node --import tsx bench/lint-update.ts)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer, type Finding } from '../src/core/analysis';
import { Project } from '../src/core/workspace/project';

function bigMigration(tables: number): string {
  const lines: string[] = [];
  for (let i = 0; i < tables; i++) {
    lines.push(
      `create table public.big_${i} (id bigint generated always as identity primary key, owner_id uuid not null, body text);`,
      `alter table public.big_${i} enable row level security;`,
      `create policy "own ${i}" on public.big_${i} for select to authenticated using ((select auth.uid()) = owner_id);`,
      `create index big_${i}_owner_idx on public.big_${i} (owner_id);`,
    );
  }
  return lines.join('\n') + '\n';
}

const EDITS = 20;
/** Edits before measuring: the first ones pay for the JIT and the caches, whichever path runs first. */
const WARMUP = 6;
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(1);
const signature = (findings: Finding[]) => JSON.stringify(findings.map((f) => [f.rule, f.severity, f.message, f.range, f.related ?? null]));

/** Edits one statement EDITS times; `apply` applies the new text, `lint` returns the project's findings. */
async function edits(text: string, apply: (text: string) => void, lint: () => Promise<Finding[]> | Finding[]) {
  const set: number[] = [], rules: number[] = [], sig: number[] = [], total: number[] = [];
  for (let i = 0; i < WARMUP + EDITS; i++) {
    const at = text.indexOf(`big_${(i % EDITS) * 10} `);
    text = text.slice(0, at) + text.slice(at).replace('body text', i % 2 ? 'body text' : 'body  text');
    const t0 = performance.now();
    apply(text);
    const t1 = performance.now();
    const findings = await lint();
    const t2 = performance.now();
    signature(findings);
    const t3 = performance.now();
    if (i < WARMUP) continue;
    set.push(t1 - t0); rules.push(t2 - t1); sig.push(t3 - t2); total.push(t3 - t0);
  }
  return `apply ${med(set)} ms, model + rules ${med(rules)} ms, signature ${med(sig)} ms, total ${med(total)} ms`;
}

export async function run(log: (line: string) => void = console.log): Promise<void> {
  const text = bigMigration(250);
  const path = '/ws/supabase/migrations/20250101000000_big.sql';
  let t = performance.now();
  const warm = await Analyzer.create();
  warm.setFile(path, text);
  warm.findings();
  log(`lint-update: cold load of 1,000 statements (analyzer alone): ${(performance.now() - t).toFixed(1)} ms`);
  // An unmeasured round first: whichever path ran first would otherwise pay for the JIT (measured: 3-5x).
  await edits(text, (x) => warm.setFile(path, x), () => warm.findings());
  const analyzer = await Analyzer.create();
  analyzer.setFile(path, text);
  analyzer.findings();
  log(`lint-update: one-statement edit, analyzer alone (median of ${EDITS}): ${await edits(text, (x) => analyzer.setFile(path, x), () => analyzer.findings())}`);

  const root = mkdtempSync(join(tmpdir(), 'dbe-bench-lint-update-'));
  try {
    const file = join(root, 'supabase/migrations/20250101000000_big.sql');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    writeFileSync(join(root, 'supabase/migrations/20250102000000_more.sql'), bigMigration(5).replaceAll('big_', 'more_'));
    mkdirSync(join(root, 'queries'));
    writeFileSync(join(root, 'queries/report.sql'), 'select count(*) from public.big_1;\n');
    const project = new Project({ root, watched: true });
    t = performance.now();
    (await project.analysis()).analyzer.findings();
    log(`lint-update: cold load through the Project (walk, read, analyse 3 files): ${(performance.now() - t).toFixed(1)} ms`);
    const line = await edits(text, (x) => project.setOverlay(file, x), async () => (await project.analysis()).analyzer.findings());
    log(`lint-update: one-statement edit as the editor does it, overlay + Project analysis (median of ${EDITS}): ${line}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('lint-update.ts')) void run();
