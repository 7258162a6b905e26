import type { PGlite } from './pgliteRuntime';

export async function fillSyntheticRows(_db: PGlite, _opts: { rows: number }): Promise<string[]> {
  return [];
}
