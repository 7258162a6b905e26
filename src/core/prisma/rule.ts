import type { Finding } from '../findings/types';
import type { RuleMeta } from '../findings/types';
import type { DbeConfig } from '../findings/config';
import type { SchemaModel } from '../schema/model';
import type { PrismaSchema } from './schema';

/** A Prisma rule: the same metadata as an SQL rule, checked against the Prisma schemas of the workspace. */
export interface PrismaRule extends RuleMeta {
  check(ctx: PrismaRuleContext): Finding[];
}

/** What a Prisma rule may read. Pure: no file system; the clock only through `now`. */
export interface PrismaRuleContext {
  schemas: PrismaSchema[];
  /** The SQL analyzer's model of the workspace's migrations (tables, RLS, indexes). */
  sql: SchemaModel;
  /** The SQL (migration) files, in apply order, to place new migrations next to them. */
  sqlFiles: string[];
  config: DbeConfig;
  isExposed(schema: string): boolean;
  now(): Date;
}

/** Schemas whose database is PostgreSQL (or unknown: a partial schema file without its datasource). MySQL indexes
 * foreign keys itself and has no RLS, so the RLS and index rules skip other providers. */
export function* postgresSchemas(ctx: PrismaRuleContext): Generator<PrismaSchema> {
  for (const s of ctx.schemas) if (!s.provider || /^(postgres|postgresql)$/.test(s.provider)) yield s;
}
