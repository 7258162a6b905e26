// `npm test`: typecheck, build, the core suite (node --test, real PostgreSQL / PGlite / fake Anthropic server; it
// includes test/core/architecture.test.ts, the dependency-cruiser rules of .dependency-cruiser.cjs), then the
// extension-host suite in a real VS Code (code-server + Chromium).
// Ends with one summary line, `tests: N passed, M failed`, and a non-zero exit on any failure.
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTests } from './find-tests.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2]; // 'core' | 'editor' | undefined (all)
const totals = { passed: 0, failed: 0 };
let broken = false;

function step(name, cmd, args, env = {}) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.stdout.write(`== ${name}: failed (exit ${r.status ?? r.signal})\n`);
  return r.status === 0;
}

function countTap(file) {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const num = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  return { passed: num('pass'), failed: num('fail') };
}

mkdirSync(join(root, 'out'), { recursive: true });
if (!step('typecheck', 'npm', ['run', '--silent', 'typecheck'])) broken = true;
const built = step('build', 'node', ['scripts/build.mjs', '--tests']);
if (!built) broken = true;

if (!only || only === 'core') {
  const tap = join(root, 'out/core-tests.tap');
  rmSync(tap, { force: true });
  const files = findTests(join(root, 'test'), ['editor']);
  const ok = step('core tests', 'node', [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], built ? { DBE_BUILT: '1' } : {}); // built once above: test files must not rebuild dist/ under each other
  const counts = countTap(tap) ?? { passed: 0, failed: 1 };
  if (!ok && counts.failed === 0) counts.failed = 1;
  totals.passed += counts.passed;
  totals.failed += counts.failed;
}

if (!only || only === 'editor') {
  const results = join(root, 'out/editor-results.json');
  rmSync(results, { force: true });
  const ok = step('editor tests', 'node', ['scripts/editor/run-tests.mjs'], { DBE_RESULTS_FILE: results });
  const counts = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : { passed: 0, failed: 1 };
  if (!ok && counts.failed === 0) counts.failed = 1;
  totals.passed += counts.passed;
  totals.failed += counts.failed;
}

if (broken && totals.failed === 0) totals.failed = 1;
process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed > 0 || broken ? 1 : 0);
