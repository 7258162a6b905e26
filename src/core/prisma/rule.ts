import type { Finding } from '../findings/types';
import type { RuleMeta } from '../findings/types';
import type { DbeConfig } from '../findings/config';
import type { SchemaModel } from '../schema/model';
import type { Table } from '../schema/model';
import type { PrismaModel } from './parse';
import type { JoinTable, PrismaSchema, ResolvedModel, TableName } from './schema';
import { isIgnored } from './indexes';

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

/** A table a Prisma schema puts in an API-exposed schema: a model's (not @@ignore'd) or an implicit many-to-many's. */
export type ExposedTable = { schema: PrismaSchema; table: TableName; sql: Table | undefined; label: string } & (
  | { kind: 'model'; model: ResolvedModel }
  | { kind: 'join'; join: JoinTable });

/**
 * Every table the PostgreSQL schemas expose through the API, with what the migrations made of it (`sql`, undefined
 * when no migration creates it) and `label`, how a generated migration names its origin. The RLS rules walk these.
 */
export function* exposedTables(ctx: PrismaRuleContext): Generator<ExposedTable> {
  for (const schema of postgresSchemas(ctx)) {
    for (const m of schema.models.values()) {
      if (m.model.kind !== 'model' || isIgnored(m.model) || !ctx.isExposed(m.table.schema)) continue;
      yield { kind: 'model', model: m, schema, table: m.table, sql: ctx.sql.tables.get(m.table.key), label: `Prisma model ${m.model.name}` };
    }
    for (const j of schema.joinTables) {
      if (!ctx.isExposed(j.table.schema)) continue;
      yield { kind: 'join', join: j, schema, table: j.table, sql: ctx.sql.tables.get(j.table.key), label: `the join table of ${j.a.model.model.name}.${j.a.field.name}` };
    }
  }
}

/** The model a migration for `e` is written from (undefined for a join table). */
export const modelOf = (e: ExposedTable): PrismaModel | undefined => (e.kind === 'model' ? e.model.model : undefined);
