import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { listFiles } from '../workspace/migrations';

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Every .prisma file below `dir` (generated and dot folders skipped). */
export function listPrismaFiles(dir: string): string[] {
  return prismaFilesBelow(dir, true);
}

function prismaFilesBelow(dir: string, intoMigrations = false): string[] {
  const skipDir = (name: string) => !intoMigrations && name === 'migrations';
  return listFiles(dir, (name) => name.endsWith('.prisma'), skipDir).sort();
}

/**
 * The Prisma schema files of a project folder, as Prisma looks for them: `schema.prisma` or `*.prisma` in the
 * folder itself (when it is the prisma/ folder), `prisma/schema.prisma`, and multi-file schemas in
 * `prisma/schema/**` or `schema/**` (`prismaSchemaFolder`).
 */
export function findPrismaSchemaFiles(root: string): string[] {
  const found = new Set<string>();
  const addFolder = (d: string) => isDir(d) && prismaFilesBelow(d).forEach((f) => found.add(f));
  for (const name of safeList(root)) if (name.endsWith('.prisma')) found.add(join(root, name));
  if (existsSync(join(root, 'prisma', 'schema.prisma'))) found.add(join(root, 'prisma', 'schema.prisma'));
  addFolder(join(root, 'prisma', 'schema'));
  if (basename(root) === 'prisma' || found.size > 0) addFolder(join(root, 'schema'));
  return [...found].sort();
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !isDir(join(dir, n)));
  } catch {
    return [];
  }
}

/** Migration folders Prisma Migrate uses next to these schema files (prisma/migrations, prisma/schema/migrations). */
export function prismaMigrationFolders(schemaFiles: string[]): string[] {
  const dirs = new Set<string>();
  for (const f of schemaFiles) {
    for (const d of [join(dirname(f), 'migrations'), join(dirname(dirname(f)), 'migrations')]) if (isDir(d)) dirs.add(d);
  }
  return [...dirs];
}
