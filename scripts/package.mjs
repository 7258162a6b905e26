#!/usr/bin/env node
// `npm run package` → dist/database-engineer.vsix: the production build, then vsce with a README of its own
// (dist/README.md, written by scripts/readme/packaged-readme.mjs) whose pictures are `data:` URIs, so the
// extension's page in VS Code shows them with no network. Relative links are not rewritten: the repository
// URL in package.json does not serve the files. Prints the size of the package and of each inlined picture.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagedReadme } from './readme/packaged-readme.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'database-engineer.vsix');
const readme = 'dist/README.md'; // relative: vsce matches it against the paths it packages
const say = (msg) => process.stdout.write(`[package] ${msg}\n`);
const kb = (n) => `${Math.round(n / 1024)} KB`;

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`[package] ${what} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}

run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], 'the production build');
let packaged;
try {
  packaged = packagedReadme(readFileSync(join(root, 'README.md'), 'utf8'), root);
} catch (err) {
  process.stderr.write(`[package] the packaged README: ${err.message}\n`);
  process.exit(1);
}
writeFileSync(join(root, readme), packaged.text);
for (const i of packaged.inlined) say(`README picture ${i.src}: ${kb(i.bytes)} (from ${kb(i.originalBytes)})`);
rmSync(out, { force: true });
run(join(root, 'node_modules', '.bin', 'vsce'), [
  'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--readme-path', readme, '--out', out,
], 'vsce package');
say(`${out}: ${kb(statSync(out).size)}`);
