import type { AstNode } from '../sql/parse';

/** Unqualified names resolve to this schema (the default search_path's first writable schema). */
export const DEFAULT_SCHEMA = 'public';

export const keyOf = (schema: string | undefined, name: string): string => `${schema ?? DEFAULT_SCHEMA}.${name}`;

/** `schema.name` of a RangeVar node (the fields, not the wrapper). */
export function rangeVarKey(rv: AstNode | undefined): string | undefined {
  if (!rv?.relname) return undefined;
  return keyOf(rv.schemaname, rv.relname);
}

/** The strings of a list of `{String: {sval}}` nodes. */
export function strings(list: AstNode[] | undefined): string[] {
  return (list ?? []).map((n) => n.String?.sval ?? n.sval ?? '').filter((s: string) => s !== '');
}

/** `schema.name` of a qualified-name list (`[schema, name]` or `[name]`). */
export function qualifiedKey(list: AstNode[] | undefined): string | undefined {
  const parts = strings(list);
  if (parts.length === 0) return undefined;
  const name = parts[parts.length - 1]!;
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return keyOf(schema, name);
}

/** How a name is written in SQL: quoted when PostgreSQL would not read it back unchanged. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name` written for SQL, leaving `public` implicit. */
export function sqlName(key: string): string {
  const dot = key.indexOf('.');
  const schema = key.slice(0, dot), name = key.slice(dot + 1);
  return schema === DEFAULT_SCHEMA ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** The part after the schema. */
export const nameOf = (key: string): string => key.slice(key.indexOf('.') + 1);
export const schemaOf = (key: string): string => key.slice(0, key.indexOf('.'));

const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with'.split(' '),
);
