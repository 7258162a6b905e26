// Entry point VS Code loads as `--extensionTestsPath` (compiled to out/test/suite/index.js by
// `node scripts/build.mjs --tests`). Runs every compiled `*.test.js` beside it with Mocha (bdd: describe/it),
// prints one line per test through console.log (which the extension host forwards to the launcher's
// stdout), and, when $DBE_RESULTS_FILE is set, writes {passed, failed, tests:[{title, state, error}]} there.
// A failed test (or hook) rejects `run()`, which makes VS Code exit with code 1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
  durationMs?: number;
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.DBE_EDITOR_TEST_TIMEOUT_MS || 60000),
    reporter: ConsoleReporter,
  });
  if (process.env.DBE_EDITOR_GREP) mocha.grep(process.env.DBE_EDITOR_GREP);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const results: TestResult[] = [];
  return new Promise((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        writeResults(results);
        if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
        else resolve();
      });
    } catch (err) {
      results.push({ title: 'loading the editor suite', state: 'failed', error: errorText(err) });
      writeResults(results);
      reject(err);
      return;
    }
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err) => results.push({ title: t.fullTitle(), state: 'failed', error: errorText(err) }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
}

function errorText(err: unknown): string {
  const e = err as Error | undefined;
  return (e?.stack ?? e?.message ?? String(err)).split('\n').slice(0, 12).join('\n');
}

function writeResults(results: TestResult[]): void {
  const file = process.env.DBE_RESULTS_FILE;
  if (!file) return;
  const summary = {
    passed: results.filter((r) => r.state === 'passed').length,
    failed: results.filter((r) => r.state === 'failed').length,
    pending: results.filter((r) => r.state === 'pending').length,
    tests: results,
  };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(summary, null, 2));
  } catch (err) {
    console.error(`could not write editor test results to ${file}: ${errorText(err)}`);
  }
}

/** Mocha's spec reporter writes to process.stdout, which the editor does not relay; this one uses console. */
class ConsoleReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let depth = 0;
    const pad = () => '  '.repeat(depth);
    const failures: { title: string; err: unknown }[] = [];
    runner.on('suite', (s) => { if (s.title) { console.log(`${pad()}${s.title}`); depth++; } });
    runner.on('suite end', (s) => { if (s.title) depth--; });
    runner.on('pass', (t) => console.log(`${pad()}✔ ${t.title} (${t.duration ?? 0} ms)`));
    runner.on('pending', (t) => console.log(`${pad()}- ${t.title} (skipped)`));
    runner.on('fail', (t, err) => {
      failures.push({ title: t.fullTitle(), err });
      console.log(`${pad()}✘ ${t.title}`);
    });
    runner.once('end', () => {
      const s = this.stats;
      failures.forEach((f, i) => console.error(`\n${i + 1}) ${f.title}\n${errorText(f.err)}`));
      console.log(`\neditor tests: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped (${s.duration ?? 0} ms)`);
    });
  }
}
