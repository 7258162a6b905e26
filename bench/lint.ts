/**
 * Analyzer speed: a generated corpus of 200 migration files (≥ 5,000 statements, one file of 1,000),
 * linted whole (cold process, cold in-process, warm), re-linted after one-line edits in the big file,
 * and compared with squawk on the same files in the same run.
 */
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { copyFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { findMigrationFiles } from '../src/core/workspace/migrations';

type Core = typeof import('../src/core/analysis') & typeof import('../src/core/sql/parse');

/**
 * The analyzer as it ships: bundled by esbuild (as in dist/cli.js and dist/extension.js), not through
 * tsx's loader, whose per-closure helpers would be measured too.
 */
function loadBundledCore(dir: string): Core {
  const entry = join(dir, 'core-entry.ts');
  writeFileSync(entry, `export * from ${JSON.stringify(join(REPO, 'src/core/analysis'))};\nexport { ensureParser } from ${JSON.stringify(join(REPO, 'src/core/sql/parse'))};\n`);
  const out = join(dir, 'core.cjs');
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: out, logLevel: 'warning', absWorkingDir: REPO });
  copyFileSync(join(REPO, 'node_modules/libpg-query/wasm/libpg-query.wasm'), join(dir, 'libpg-query.wasm'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(out) as Core;
}

const REPO = join(__dirname, '..');
const FILES = 200;
const BIG = 1000;
const EDITS = 30;

/** One table's worth of realistic migration statements (about 10). */
function tableBlock(n: number): string[] {
  const t = `t${n}`;
  const parent = n > 0 ? `t${n - 1}` : undefined;
  return [
    `create table public.${t} (\n  id bigint generated always as identity primary key,\n  owner_id uuid not null,\n  ${parent ? `parent_id bigint references public.${parent} (id),\n  ` : ''}title text not null default '',\n  body varchar(200),\n  created_at timestamptz not null default now()\n);`,
    `create index ${t}_owner_id_idx on public.${t} (owner_id);`,
    `alter table public.${t} enable row level security;`,
    `create policy "${t} owners read" on public.${t} for select to authenticated using ((select auth.uid()) = owner_id);`,
    `create policy "${t} owners write" on public.${t} for insert to authenticated with check (auth.uid() = owner_id);`,
    `comment on table public.${t} is 'Table number ${n} of the generated corpus';`,
    `alter table public.${t} add column updated_at timestamptz;`,
    `create or replace function public.${t}_touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;`,
    `create trigger ${t}_touch before update on public.${t} for each row execute function public.${t}_touch();`,
    `create view public.${t}_recent with (security_invoker = on) as select id, title from public.${t} where created_at > now() - interval '7 days';`,
  ];
}

export function generate(dir: string): { files: string[]; statements: number; big: string } {
  const mig = join(dir, 'supabase/migrations');
  mkdirSync(mig, { recursive: true });
  let table = 0;
  let statements = 0;
  const files: string[] = [];
  for (let f = 0; f < FILES; f++) {
    const target = f === 0 ? BIG : 25;
    const stmts: string[] = [];
    while (stmts.length < target) stmts.push(...tableBlock(table++));
    stmts.length = target;
    statements += stmts.length;
    const name = join(mig, `2024${String(f).padStart(10, '0')}_m${f}.sql`);
    writeFileSync(name, `-- generated migration ${f}\n${stmts.join('\n\n')}\n`);
    files.push(name);
  }
  return { files, statements, big: files[0]! };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

const REPS = 5;

type Timed = { median: number; status: number | null; stderr: string };

/** Runs each command once per round, `rounds` times, and takes each one's median wall time. */
function timeInterleaved(cmds: Record<string, { cmd: string; args: string[]; env: NodeJS.ProcessEnv }>, rounds: number): Record<string, Timed> {
  const times: Record<string, number[]> = {};
  const last: Record<string, { status: number | null; stderr: string }> = {};
  for (let i = 0; i < rounds; i++) {
    for (const [name, c] of Object.entries(cmds)) {
      const t0 = performance.now();
      const r = spawnSync(c.cmd, c.args, { encoding: 'utf8', env: c.env, maxBuffer: 1 << 28 });
      (times[name] ??= []).push(performance.now() - t0);
      last[name] = { status: r.status, stderr: r.stderr ?? '' };
    }
  }
  return Object.fromEntries(Object.keys(cmds).map((n) => [n, { median: median(times[n]!), ...last[n]! }]));
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-bench-'));
  try {
    const { files, statements, big } = generate(dir);
    process.stdout.write(`corpus: ${files.length} files, ${statements} statements (largest file ${BIG}) in ${dir}\n`);
    const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));

    // 1. Whole corpus, as a process (node start + wasm load + read + lint + JSON out), against squawk on the
    //    same files. The three are interleaved run by run, so a loaded machine slows each of them alike.
    const cli = join(REPO, 'dist/cli.js');
    if (!existsSync(cli)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO });
    // dbe's default parse cache, kept inside the corpus folder's temp dir rather than the user's.
    const env = { ...process.env, DBE_CACHE: join(dir, '.user-cache') };
    const squawkBin = ensureSquawk();
    const runs = {
      cold: { cmd: process.execPath, args: [cli, 'lint', '--no-cache', '--format', 'json', dir], env },
      cached: { cmd: process.execPath, args: [cli, 'lint', '--format', 'json', dir], env },
      ...(squawkBin ? { squawk: { cmd: squawkBin, args: [...files], env: process.env } } : {}),
    };
    spawnSync(runs.cached.cmd, runs.cached.args, { env, maxBuffer: 1 << 28 }); // fills the cache
    const t = timeInterleaved(runs, REPS);
    process.stdout.write(`dbe lint --no-cache (process, median of ${REPS}):          ${ms(t.cold!.median)}  exit ${t.cold!.status}\n`);
    process.stdout.write(`dbe lint, parse cache filled (process, median of ${REPS}):  ${ms(t.cached!.median)}  exit ${t.cached!.status}\n`);
    const sq = t.squawk;
    if (!sq) process.stdout.write('squawk: could not be installed from the npm registry; comparison skipped\n');
    else if (sq.status !== 0 && sq.status !== 1) process.stdout.write(`squawk: failed to run (exit ${sq.status}): ${sq.stderr.slice(0, 200)}; comparison skipped\n`);
    else {
      process.stdout.write(`squawk (process, median of ${REPS}):                       ${ms(sq.median)}  exit ${sq.status}\n`);
      const ratio = (label: string, d: number) =>
        `lint: dbe ${label} ${d.toFixed(0)} ms vs squawk ${sq.median.toFixed(0)} ms → ${d < sq.median ? `${(sq.median / d).toFixed(2)}× faster` : `${(d / sq.median).toFixed(2)}× slower`}\n`;
      process.stdout.write(ratio('cold (--no-cache)', t.cold!.median));
      process.stdout.write(ratio('cached', t.cached!.median));
    }

    // 2. In process: cold (fresh analyzer, every statement parsed) and warm (model + rules again, parses cached).
    const coreDir = mkdtempSync(join(tmpdir(), 'dbe-bench-core-'));
    const { Analyzer, ensureParser } = loadBundledCore(coreDir);
    await ensureParser();
    const order = findMigrationFiles(dir).files;
    const cold: number[] = [];
    let analyzer!: InstanceType<typeof Analyzer>;
    let count = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      analyzer = new Analyzer();
      analyzer.setOrder(order);
      for (const f of order) analyzer.setFile(f, texts.get(f)!);
      count = analyzer.findings().length;
      cold.push(performance.now() - t0);
    }
    process.stdout.write(`in-process cold lint (median of 3):          ${ms(median(cold))}  (${count} findings, ${analyzer.parses} parses)\n`);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      analyzer.setOrder(order); // drops model and findings, keeps every parse
      analyzer.findings();
      warm.push(performance.now() - t0);
    }
    process.stdout.write(`in-process warm lint (model + rules, median of 5): ${ms(median(warm))}\n`);

    // 3. Re-lint after a one-line edit in the 1,000-statement file: what the editor does on a keystroke
    //    (the edited file's diagnostics first), and the whole workspace's findings after it.
    const base = texts.get(big)!;
    const fileOnly: number[] = [];
    const whole: number[] = [];
    const parsesBefore = analyzer.parses;
    for (let i = 0; i < EDITS; i++) {
      const edited = base.replace(`title text not null default ''`, `title text not null default 'edit ${i}'`);
      const t0 = performance.now();
      analyzer.setFile(big, edited);
      analyzer.findingsFor(big);
      const t1 = performance.now();
      analyzer.findings();
      fileOnly.push(t1 - t0);
      whole.push(performance.now() - t0);
    }
    process.stdout.write(`re-lint after a one-line edit in the ${BIG}-statement file (median of ${EDITS}, ${(analyzer.parses - parsesBefore) / EDITS} parse per edit; target < 20 ms):\n`);
    process.stdout.write(`  edited file's findings (setFile + findingsFor): ${ms(median(fileOnly))}\n`);
    process.stdout.write(`  then every file's findings (+ findings):        ${ms(median(whole))}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * squawk-cli, installed on first use into the cache rather than as a devDependency: its per-platform
 * binary packages are optional dependencies, and a lock file that cannot list every platform's package
 * makes `npm ci` refuse to install at all.
 */
function ensureSquawk(): string | undefined {
  const dir = join(process.env['DBE_CACHE'] || join(require('node:os').homedir(), '.cache', 'database-engineer'), 'squawk-2.66.0');
  const bin = join(dir, 'node_modules/.bin/squawk');
  if (existsSync(bin)) return bin;
  process.stdout.write(`squawk: installing squawk-cli@2.66.0 into ${dir}\n`);
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, 'squawk-cli@2.66.0'], { stdio: 'ignore' });
  return r.status === 0 && existsSync(bin) ? bin : undefined;
}
