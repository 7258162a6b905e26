import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every `*.test.ts` below `dir`, skipping the named top-level folders, sorted for a stable order. */
export function findTests(dir, skip = []) {
  const out = [];
  const walk = (d, top) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!(top && skip.includes(e.name)) && e.name !== 'fixtures') walk(join(d, e.name), false);
      } else if (e.name.endsWith('.test.ts')) out.push(join(d, e.name));
    }
  };
  walk(dir, true);
  return out.sort();
}
