#!/usr/bin/env node
// Runs the extension-host Mocha suite (test/editor/suite) in a real VS Code through the standard
// `@vscode/test-electron` runTests(), with our launcher as the "VS Code executable" (code-server + headless
// Chromium; see launcher.mjs). Loads two development extensions: this repo and the test-only lm-helper.
//
// Workspace: a fresh temp copy of examples/supabase-app when it exists, else a temp folder with one .sql file.
// Environment: everything in ours reaches the extension host (ANTHROPIC_BASE_URL, DBE_* for fake servers).
// Results: JSON {passed, failed, pending, tests:[{title, state, error}]} at $DBE_RESULTS_FILE (default
// out/editor-results.json), written by the Mocha runner inside the editor; written here if the run died first.
// Flags: --grep <pattern> (only matching tests), --no-build (skip `node scripts/build.mjs --tests`).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { ensureCodeServer, LM_HELPER_ID } from './setup-code-server.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const launcher = join(here, 'launcher.mjs');
const lmHelperDir = join(root, 'test', 'editor', 'lm-helper');
const log = (msg) => process.stderr.write(`[run-tests] ${msg}\n`);

function arg(name) {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** A throwaway workspace, so tests may write files without touching the repo. */
export function makeWorkspace(scratch) {
  const ws = join(scratch, 'workspace');
  const example = join(root, 'examples', 'supabase-app');
  if (existsSync(example)) {
    cpSync(example, ws, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)([\\/]|$)/.test(src) });
  } else {
    mkdirSync(join(ws, 'migrations'), { recursive: true });
    writeFileSync(join(ws, 'migrations', '0001_init.sql'), [
      'create table public.notes (',
      '  id bigint generated always as identity primary key,',
      '  body text not null',
      ');',
      '',
    ].join('\n'));
  }
  return ws;
}

function writeFailure(file, title, error) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ passed: 0, failed: 1, pending: 0, tests: [{ title, state: 'failed', error }] }, null, 2));
}

async function main() {
  const started = Date.now();
  const resultsFile = resolve(process.env.DBE_RESULTS_FILE || join(root, 'out', 'editor-results.json'));
  rmSync(resultsFile, { force: true });

  try {
    ensureCodeServer();
  } catch (err) {
    log(`cannot set up code-server: ${err.message}`);
    writeFailure(resultsFile, 'editor setup (code-server)', err.message);
    return 1;
  }

  if (!process.argv.includes('--no-build')) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs', '--tests'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) {
      writeFailure(resultsFile, 'build (node scripts/build.mjs --tests)', `exit ${b.status ?? b.signal}`);
      return 1;
    }
  }
  const testsEntry = join(root, 'out', 'test', 'suite', 'index.js');
  if (!existsSync(testsEntry)) {
    writeFailure(resultsFile, 'editor suite entry', `${testsEntry} is missing; run node scripts/build.mjs --tests`);
    return 1;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'dbe-editor-tests-'));
  const ws = makeWorkspace(scratch);
  chmodSync(launcher, 0o755); // an exec bit lost in a checkout would otherwise give EACCES
  const { runTests } = require('@vscode/test-electron');
  const env = { DBE_RESULTS_FILE: resultsFile };
  const grep = arg('--grep');
  if (grep) env.DBE_EDITOR_GREP = grep;

  let code = 0;
  try {
    await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath: [root, lmHelperDir],
      extensionTestsPath: join(root, 'out', 'test', 'suite', 'index'),
      extensionTestsEnv: env,
      launchArgs: [
        ws,
        `--user-data-dir=${join(scratch, 'user-data')}`,
        `--extensions-dir=${join(scratch, 'extensions')}`,
        `--enable-proposed-api=${LM_HELPER_ID}`,
        '--disable-extensions',
      ],
    });
  } catch (err) {
    code = 1;
    log(`editor run failed: ${err.message}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }

  if (!existsSync(resultsFile)) {
    writeFailure(resultsFile, 'editor run', 'the suite wrote no results (the editor or the Mocha runner failed before finishing)');
    code = 1;
  } else {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    if (r.failed > 0) code = 1;
    log(`${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} skipped` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s; results: ${resultsFile}`);
  }
  return code;
}

process.exitCode = await main();
