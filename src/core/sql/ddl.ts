/**
 * The one place that writes identifiers and DDL text for PostgreSQL: the analyzer's fixes, the plan insights
 * (which the agents receive from explain_query), EXPLAIN's own run-as and synthetic rows all quote and name here,
 * so an index proposed for the same table and columns has the same name and quoting wherever it is proposed.
 */

/** PostgreSQL's reserved keywords: as identifiers they must be quoted. */
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into is lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with'.split(' '),
);

/** How a name is written in SQL: quoted when PostgreSQL would not read it back unchanged. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name`, quoted as needed; just the name when no schema is given. */
export const qualifiedName = (schema: string | null | undefined, name: string): string =>
  schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);

/**
 * The name an index on `table (columns)` gets: lower-case letters, digits and `_` only (so it never needs quotes),
 * within PostgreSQL's 63-byte limit, ending in `_<suffix>`.
 */
export function indexName(table: string, columns: string[], suffix = 'idx'): string {
  const base = `${table}_${columns.join('_')}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
  return `${base.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

export interface IndexSpec {
  /** Written before the table when given (callers leave out an implicit `public`). */
  schema?: string | null;
  table: string;
  columns: string[];
  concurrently?: boolean;
  ifNotExists?: boolean;
  /** Access method; btree is the default and is not written. */
  method?: string;
  /** Operator class after every column (`vector_cosine_ops`). */
  opclass?: string;
  /** Keywords in capitals, as the plan insights write their SQL; the analyzer's fixes use lower case. */
  upperCase?: boolean;
}

/** CREATE INDEX for one table and its columns, named by `indexName` (suffixed with a non-btree method). */
export function createIndexSql(spec: IndexSpec): string {
  const method = spec.method && spec.method !== 'btree' ? spec.method : undefined;
  const name = indexName(spec.table, spec.columns, method ?? 'idx');
  const cols = spec.columns.map((c) => quoteIdent(c) + (spec.opclass ? ` ${spec.opclass}` : '')).join(', ');
  const kw = (s: string) => (spec.upperCase ? s.toUpperCase() : s);
  return `${kw('create index')} ${spec.concurrently ? kw('concurrently ') : ''}${spec.ifNotExists ? kw('if not exists ') : ''}${quoteIdent(name)} ${kw('on')} ${qualifiedName(spec.schema, spec.table)}${method ? ` ${kw('using')} ${method}` : ''} (${cols});`;
}
