/**
 * Prisma projects: the simulated tables reported on their models. The table → model map comes from the Prisma parse
 * (`@@map`, `@@schema` resolved), so `public.users` shows as `model User` at its line in schema.prisma.
 */
import { readFileSync } from 'node:fs';
import { buildSchemas, ensurePrismaParser, findPrismaSchemaFiles, parsePrismaFile } from '../prisma';
import { displayPath } from '../workspace/migrations';
import type { TableReport } from './types';

/** Table key → model (name, workspace-relative file, 1-based line) for every Prisma schema under root. */
export async function prismaModels(root: string): Promise<Map<string, NonNullable<TableReport['model']>>> {
  const files = findPrismaSchemaFiles(root);
  const out = new Map<string, NonNullable<TableReport['model']>>();
  if (files.length === 0) return out;
  await ensurePrismaParser();
  const parsed = files.flatMap((f) => {
    try {
      return [parsePrismaFile(f, readFileSync(f, 'utf8'))];
    } catch {
      return [];
    }
  });
  for (const schema of buildSchemas(parsed)) {
    for (const m of schema.models.values()) {
      if (!out.has(m.table.key)) out.set(m.table.key, { name: m.model.name, file: displayPath(root, m.model.file), line: m.model.nameRange.start.line + 1 });
    }
  }
  return out;
}

/** Attaches each table's model (when it has one). */
export function attachModels(tables: TableReport[], models: Map<string, NonNullable<TableReport['model']>>): void {
  for (const t of tables) {
    const m = models.get(t.table);
    if (!m) continue;
    t.model = m;
    for (const l of t.leaks) l.model = m;
  }
}
