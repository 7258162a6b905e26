// The throwaway workspace the editor tests and the demo open: a copy of examples/supabase-app when the repo
// has it (so tests and demo edits never touch the repo), else a folder with one small migration.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const exampleApp = join(repoRoot, 'examples', 'supabase-app');

/** Creates `<parent>/workspace` and returns its path. */
export function makeWorkspace(parent) {
  const ws = join(parent, 'workspace');
  if (existsSync(exampleApp)) {
    cpSync(exampleApp, ws, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)([\\/]|$)/.test(src) });
    return ws;
  }
  mkdirSync(join(ws, 'migrations'), { recursive: true });
  writeFileSync(join(ws, 'migrations', '0001_init.sql'), [
    'create table public.notes (',
    '  id bigint generated always as identity primary key,',
    '  body text not null',
    ');',
    '',
  ].join('\n'));
  return ws;
}
