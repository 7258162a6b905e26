import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The bundled `agents/` folder: walks up from `start` (the built `dist/`, or `src/cli/commands` under tsx)
 * to the package root — the folder whose package.json is this extension's — and returns its `agents/`.
 */
export function findBundledAgentsDir(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'agents'))) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'database-engineer') return join(dir, 'agents');
      } catch {
        // not our package.json; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
