import { basename, dirname, sep } from 'node:path';
import type { Finding } from '../findings/types';

/**
 * SQL rules whose findings on a Prisma-generated `migration.sql` the user cannot act on there: Prisma writes
 * that file from schema.prisma and would write it the same way again. Each is either reported on
 * schema.prisma by a Prisma rule with a Prisma-native fix, or not expressible in Prisma at all.
 */
export const PRISMA_OWNED_SQL_RULES: ReadonlyMap<string, string> = new Map([
  ['rls-disabled', 'prisma-rls-missing reports the model'],
  ['rls-without-policy', 'prisma-rls-without-policy reports the model (fix: a new migration with a policy; Prisma refuses edits to applied ones)'],
  ['unindexed-foreign-key', 'prisma-unindexed-relation reports the relation (fix: @@index)'],
  ['policy-column-unindexed', 'prisma-policy-column-unindexed reports the field (fix: @@index; migrate dev drops an index only SQL creates)'],
  ['no-primary-key', 'prisma-missing-id reports the model; prisma-implicit-many-to-many the relation of an implicit join table (fix: an explicit relation model with @@id)'],
  ['prefer-timestamptz', 'prisma-datetime-without-timezone reports the field (fix: @db.Timestamptz(3))'],
  ['prefer-bigint-id', 'prisma-int-id reports the id (fix: BigInt @id @default(autoincrement())); the implicit relation table\'s columns follow the ids'],
  ['prefer-identity', 'Prisma writes serial for @default(autoincrement()) and cannot write identity columns'],
]);

/** `<migrations folder>/<name>/migration.sql` beside one of these schema files: written by Prisma Migrate. */
export function isPrismaGeneratedMigration(file: string, schemaFiles: readonly string[]): boolean {
  if (basename(file) !== 'migration.sql') return false;
  const folder = dirname(dirname(file));
  return schemaFiles.some((s) => folder === `${dirname(s)}${sep}migrations` || folder === `${dirname(dirname(s))}${sep}migrations`);
}

/** The findings without those that belong to schema.prisma (see PRISMA_OWNED_SQL_RULES). */
export function withoutPrismaOwned(findings: Finding[], schemaFiles: readonly string[]): Finding[] {
  if (!schemaFiles.length) return findings;
  return findings.filter((f) => !(PRISMA_OWNED_SQL_RULES.has(f.rule) && isPrismaGeneratedMigration(f.file, schemaFiles)));
}
