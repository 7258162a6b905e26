import { dirname, sep } from 'node:path';
import { keyOf } from '../schema/names';
import { argValue, attr, names, unquote, type PrismaField, type PrismaFile, type PrismaModel } from './parse';

/**
 * Prisma schemas as the database sees them: which .prisma files form one schema (a single schema.prisma,
 * or a `prismaSchemaFolder` folder such as prisma/schema/*.prisma), and every model's real table and column
 * names after `@@map`, `@map` and `@@schema`, plus the join tables Prisma creates for implicit
 * many-to-many relations (`_PostToTag`).
 */

export interface TableName {
  schema: string;
  name: string;
  /** `schema.name`, the SQL schema model's key. */
  key: string;
}

export interface ResolvedModel {
  model: PrismaModel;
  file: PrismaFile;
  table: TableName;
}

/** The join table of an implicit many-to-many relation: columns A and B reference the two models' ids. */
export interface JoinTable {
  table: TableName;
  /** The two sides, in Prisma's order (A is the model whose name sorts first). */
  a: { model: ResolvedModel; field: PrismaField };
  b: { model: ResolvedModel; field: PrismaField };
}

export interface PrismaSchema {
  /** The folder holding the datasource file (or the files' folder when none has one). */
  root: string;
  files: PrismaFile[];
  /** Models (and views) by Prisma name. */
  models: Map<string, ResolvedModel>;
  enums: Set<string>;
  /** `postgresql`, `mysql`, …; undefined when no datasource was found. */
  provider?: string;
  /** The file with the datasource block. */
  datasourceFile?: string;
  joinTables: JoinTable[];
}

const SCALARS = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes', 'Unsupported']);

/** The database column of a field: its `@map` name, else the field name. */
export function columnOf(field: PrismaField): string {
  const map = attr(field, 'map');
  const v = map && argValue(map);
  return typeof v === 'string' ? unquote(v) : field.name;
}

/** The real table of a model: `@@map` name in its `@@schema` (else public). */
export function tableOf(model: PrismaModel): TableName {
  const map = attr(model, 'map');
  const mv = map && argValue(map);
  const sch = attr(model, 'schema');
  const sv = sch && argValue(sch);
  const schema = typeof sv === 'string' ? unquote(sv) : 'public';
  const name = typeof mv === 'string' ? unquote(mv) : model.name;
  return { schema, name, key: keyOf(schema, name) };
}

/** True when the field's type is another model of the schema (a relation field). */
export const isRelationField = (schema: PrismaSchema, f: PrismaField): boolean => !SCALARS.has(f.type) && schema.models.has(f.type);

/** Groups files into schemas: each file joins the deepest datasource folder above it, else its own folder. */
export function buildSchemas(files: PrismaFile[]): PrismaSchema[] {
  const roots = files.filter((f) => f.datasource).map((f) => dirname(f.path)).sort((a, b) => b.length - a.length);
  const groups = new Map<string, PrismaFile[]>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const dir = dirname(f.path);
    const root = roots.find((r) => dir === r || dir.startsWith(r + sep)) ?? dir;
    const list = groups.get(root);
    if (list) list.push(f);
    else groups.set(root, [f]);
  }
  return [...groups].map(([root, list]) => resolveSchema(root, list));
}

function resolveSchema(root: string, files: PrismaFile[]): PrismaSchema {
  const ds = files.find((f) => f.datasource);
  const schema: PrismaSchema = {
    root,
    files,
    models: new Map(),
    enums: new Set(files.flatMap((f) => f.enums)),
    provider: ds?.datasource?.provider,
    datasourceFile: ds?.path,
    joinTables: [],
  };
  for (const file of files) {
    for (const model of file.models) if (!schema.models.has(model.name)) schema.models.set(model.name, { model, file, table: tableOf(model) });
  }
  schema.joinTables = implicitJoinTables(schema);
  return schema;
}

/** The relation name of a relation field: `@relation("x")` or `@relation(name: "x")`. */
export function relationName(f: PrismaField): string | undefined {
  const rel = attr(f, 'relation');
  if (!rel) return undefined;
  const v = argValue(rel) ?? argValue(rel, 'name');
  return typeof v === 'string' ? unquote(v) : undefined;
}

/** Scalar fields holding the foreign key of a relation field (`fields: [authorId]`). */
export function relationScalars(f: PrismaField): string[] {
  const rel = attr(f, 'relation');
  return rel ? names(argValue(rel, 'fields')) : [];
}

/**
 * Implicit many-to-many relations: list fields on both sides, no `fields:` on either. Prisma names the join
 * table `_<RelationName>`, where the default relation name is `<A>To<B>` with A, B the model names in
 * alphabetical order; the table lives in A's schema.
 */
function implicitJoinTables(schema: PrismaSchema): JoinTable[] {
  const out: JoinTable[] = [];
  const seen = new Set<PrismaField>();
  for (const m of schema.models.values()) {
    for (const f of m.model.fields) {
      if (seen.has(f) || !f.array || !isRelationField(schema, f) || relationScalars(f).length) continue;
      const other = schema.models.get(f.type)!;
      const name = relationName(f);
      const back = other.model.fields.find(
        (g) => g !== f && !seen.has(g) && g.array && g.type === m.model.name && relationName(g) === name && relationScalars(g).length === 0,
      );
      if (!back) continue;
      seen.add(f).add(back);
      const [a, b] = m.model.name <= other.model.name ? [{ model: m, field: f }, { model: other, field: back }] : [{ model: other, field: back }, { model: m, field: f }];
      const tableName = `_${name ?? `${a.model.model.name}To${b.model.model.name}`}`;
      const sch = a.model.table.schema;
      out.push({ table: { schema: sch, name: tableName, key: keyOf(sch, tableName) }, a, b });
    }
  }
  return out;
}
