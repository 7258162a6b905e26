/**
 * Analyzer speed: a generated corpus of 200 migration files (≥ 5,000 statements, one file of 1,000) and a
 * 20-file project, each linted whole as a process by `dbe lint` (cold and with its parse cache), squawk (native
 * binary and the npm package's Node wrapper) and the Postgres Language Server CLI (native and npm wrapper),
 * interleaved run by run; medians, peak memory and ratios. Then in-process cold/warm lint and re-lint after
 * one-line edits in the big file. The peers are installed for the benchmark only, into the cache folder.
 */
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
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

export function generate(dir: string, count = FILES, big = BIG): { files: string[]; statements: number; big: string } {
  const mig = join(dir, 'supabase/migrations');
  mkdirSync(mig, { recursive: true });
  let table = 0;
  let statements = 0;
  const files: string[] = [];
  for (let f = 0; f < count; f++) {
    const target = f === 0 ? big : 25;
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

/** Rounds per comparison; more (DBE_BENCH_REPS=11) steadies the medians on a loaded machine. */
const REPS = Number(process.env['DBE_BENCH_REPS']) || 5;

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
  // Beside the corpus, not inside it: `dbe lint <corpus>` would check its files too (as the folder's other SQL
  // files), and lint 20 files more than the peers are given.
  const small = mkdtempSync(join(tmpdir(), 'dbe-bench-20-'));
  try {
    const { files, statements, big } = generate(dir);
    process.stdout.write(`corpus: ${files.length} files, ${statements} statements (largest file ${BIG}) in ${dir}\n`);
    const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));

    // 1. Whole corpus and a 20-file project, as processes (start + load + read + lint + output), against the
    //    peers on the same files. Interleaved run by run, so a loaded machine slows each of them alike.
    const cli = join(REPO, 'dist/cli.js');
    if (!existsSync(cli)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO });
    const smallSet = generate(small, 20, 25);
    compareProcesses(`${files.length}-file corpus`, dir, files, cli);
    compareProcesses('20-file project', small, smallSet.files, cli);

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
    rmSync(small, { recursive: true, force: true });
  }
}

type Cmd = { cmd: string; args: string[]; env: NodeJS.ProcessEnv };

/** Times dbe (cold, cached) and the peers on one set of files, then measures each one's peak memory. */
function compareProcesses(label: string, dir: string, files: string[], cli: string): void {
  // dbe's default parse cache, kept inside the corpus folder's temp dir rather than the user's.
  const env = { ...process.env, DBE_CACHE: join(dir, '.user-cache') };
  const squawk = ensurePeer('squawk-cli', SQUAWK_VERSION, 'squawk', '@squawk-cli/linux-x64/bin/squawk');
  const pgls = ensurePeer('@postgres-language-server/cli', PGLS_VERSION, 'postgres-language-server', '@postgres-language-server/cli-x86_64-linux-gnu/postgres-language-server');
  const pglsArgs = ['check', '--disable-db', ...files];
  const cmds: Record<string, Cmd> = {
    'dbe lint (cold, --no-cache)': { cmd: process.execPath, args: [cli, 'lint', '--no-cache', '--format', 'json', dir], env },
    'dbe lint (parse cache filled)': { cmd: process.execPath, args: [cli, 'lint', '--format', 'json', dir], env },
    ...(squawk?.native ? { 'squawk (native)': { cmd: squawk.native, args: files, env: process.env } } : {}),
    ...(squawk ? { 'squawk (npm wrapper)': { cmd: squawk.wrapper, args: files, env: process.env } } : {}),
    ...(pgls?.native ? { 'PGLS (native)': { cmd: pgls.native, args: pglsArgs, env: process.env } } : {}),
    ...(pgls ? { 'PGLS (npm wrapper)': { cmd: pgls.wrapper, args: pglsArgs, env: process.env } } : {}),
  };
  spawnSync(process.execPath, cmds['dbe lint (parse cache filled)']!.args, { env, maxBuffer: 1 << 28 }); // fills the cache
  const load = () => loadavg()[0]!.toFixed(1);
  const loadBefore = load();
  const t = timeInterleaved(cmds, REPS);
  const mem = Object.fromEntries(Object.entries(cmds).map(([n, c]) => [n, peakMemoryMb(c)]));
  process.stdout.write(`\n${label}: ${files.length} files, whole processes, interleaved, median of ${REPS} (load average ${loadBefore} → ${load()} on ${cpus().length} CPUs)\n`);
  for (const [n, r] of Object.entries(t)) {
    process.stdout.write(`  ${n.padEnd(32)} ${ms(r.median).padStart(10)}   peak ${mem[n] === undefined ? '?' : `${mem[n]!.toFixed(0)} MB`}   exit ${r.status}\n`);
  }
  if (!squawk) process.stdout.write('  squawk could not be installed from the npm registry; skipped\n');
  if (!pgls) process.stdout.write('  the Postgres Language Server CLI could not be installed from the npm registry; skipped\n');
  const cold = t['dbe lint (cold, --no-cache)']!.median;
  const cached = t['dbe lint (parse cache filled)']!.median;
  for (const peer of Object.keys(cmds).filter((n) => !n.startsWith('dbe'))) {
    const p = t[peer]!.median;
    const r = (d: number) => (d <= p ? `${(p / d).toFixed(2)}× faster` : `${(d / p).toFixed(2)}× slower`);
    const m = mem[peer] && mem['dbe lint (cold, --no-cache)'] ? `; memory ${(mem['dbe lint (cold, --no-cache)']! / mem[peer]!).toFixed(1)}×` : '';
    process.stdout.write(`  vs ${peer.padEnd(22)} dbe cold ${r(cold)}, cached ${r(cached)}${m}\n`);
  }
  printPhases(cmds['dbe lint (cold, --no-cache)']!);
}

/** Where a cold `dbe lint` spends its time: the medians of DBE_LINT_TIMING's phases over REPS runs. */
function printPhases(c: Cmd): void {
  const phases = new Map<string, number[]>();
  for (let i = 0; i < REPS; i++) {
    const r = spawnSync(c.cmd, c.args, { encoding: 'utf8', env: { ...c.env, DBE_LINT_TIMING: '1' }, maxBuffer: 1 << 28 });
    for (const m of (r.stderr ?? '').matchAll(/^ {2}(\S.*?)\s+([\d.]+) ms/gm)) {
      const list = phases.get(m[1]!) ?? [];
      list.push(Number(m[2]));
      phases.set(m[1]!, list);
    }
  }
  if (phases.size === 0) return;
  process.stdout.write(`  dbe lint cold, by phase (DBE_LINT_TIMING=1, median of ${REPS}):\n`);
  for (const [name, xs] of phases) process.stdout.write(`    ${name.padEnd(28)} ${ms(median(xs)).padStart(10)}\n`);
}

/** Peak resident memory of one run, in MB (GNU time's maximum RSS); undefined when /usr/bin/time is missing. */
function peakMemoryMb(c: Cmd): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', c.cmd, ...c.args], { encoding: 'utf8', env: c.env, maxBuffer: 1 << 28 });
  const kb = Number(/(\d+)\s*$/.exec(r.stderr ?? '')?.[1]);
  return Number.isFinite(kb) ? kb / 1024 : undefined;
}

const SQUAWK_VERSION = '2.66.0';
const PGLS_VERSION = '0.25.5';

/**
 * A peer linter from npm, installed on first use into the cache rather than as a devDependency: their
 * per-platform binary packages are optional dependencies, and a lock file that cannot list every platform's
 * package makes `npm ci` refuse to install at all. Returns the npm wrapper (what `npx` runs: Node starting the
 * binary) and the native binary when this platform has one.
 */
function ensurePeer(pkg: string, version: string, bin: string, nativeRel: string): { wrapper: string; native?: string } | undefined {
  const dir = join(process.env['DBE_CACHE'] || join(require('node:os').homedir(), '.cache', 'database-engineer'), `${pkg.replace(/^@/, '').replace(/\/.*$/, '')}-${version}`.replace('postgres-language-server', 'pgls').replace('squawk-cli', 'squawk'));
  const wrapper = join(dir, 'node_modules/.bin', bin);
  if (!existsSync(wrapper)) {
    process.stdout.write(`installing ${pkg}@${version} into ${dir} (for the benchmark only)\n`);
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, `${pkg}@${version}`], { stdio: 'ignore' });
    if (r.status !== 0 || !existsSync(wrapper)) return undefined;
  }
  const native = join(dir, 'node_modules', nativeRel);
  return { wrapper, ...(process.platform === 'linux' && process.arch === 'x64' && existsSync(native) ? { native } : {}) };
}
