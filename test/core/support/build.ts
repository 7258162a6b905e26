/**
 * The real bundles (dist/), as users run them. `npm test` builds once before the core suite and says so with
 * DBE_BUILT=1: test files then never rebuild, because a rebuild rewrites dist/ under other test files that run the
 * CLI at the same moment. Run alone (`node --test file`), a test file rebuilds when dist/ is missing or older than src/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../..');

function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
}

export function ensureBuilt(): void {
  if (process.env['DBE_BUILT'] === '1') return;
  const cli = join(REPO_ROOT, 'dist/cli.js');
  if (existsSync(cli) && statSync(cli).mtimeMs >= newest(join(REPO_ROOT, 'src'))) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/build.mjs failed:\n${r.stderr}`);
}
