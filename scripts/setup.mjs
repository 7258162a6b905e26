#!/usr/bin/env node
// First step of `npm run demo` and `npm test` on a fresh machine: the Debian packages they need, then the
// npm packages. Uses only Node's built-ins, so it runs before node_modules exists. Idempotent and quick
// when everything is present.
//   node scripts/setup.mjs demo|test
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const purpose = process.argv[2] === 'test' ? 'test' : 'demo';

// code-server (the real VS Code both use) builds native modules against these; ripgrep replaces the
// binary its npm package would download. The tests also drive Chromium and start PostgreSQL 15.
const DEBIAN = {
  demo: ['build-essential', 'pkg-config', 'libkrb5-dev', 'python3', 'ripgrep'],
  test: ['build-essential', 'pkg-config', 'libkrb5-dev', 'python3', 'ripgrep', 'chromium', 'postgresql-15'],
};

const say = (msg) => process.stdout.write(`[setup] ${msg}\n`);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
const has = (cmd) => !spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status;

function ensureDebianPackages() {
  if (!has('dpkg')) {
    say(`not a Debian-based system: make sure these (or their equivalents) are installed: ${DEBIAN[purpose].join(' ')}`);
    return;
  }
  const missing = DEBIAN[purpose].filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (!missing.length) return;
  const install = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!asRoot && !sudo) {
    process.stderr.write(`[setup] missing Debian packages: ${missing.join(', ')}\n[setup] install them, then run this again:\n  sudo sh -c '${install}'\n`);
    process.exit(1);
  }
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const r = sudo ? run('sudo', ['-E', 'sh', '-c', install], { env }) : run('sh', ['-c', install], { env });
  if (r.status !== 0) {
    process.stderr.write(`[setup] apt-get failed (exit ${r.status}); the command was:\n  ${install}\n`);
    process.exit(1);
  }
}

function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing npm packages (npm ci)');
  const r = run('npm', ['ci', '--no-audit', '--no-fund']);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

ensureDebianPackages();
ensureNodeModules();
