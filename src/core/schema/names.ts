import type { AstNode } from '../sql/parse';
import { qualifiedName, quoteIdent } from '../sql/ddl';

export { quoteIdent };

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


/** `schema.name` written for SQL, leaving `public` implicit. */
export function sqlName(key: string): string {
  const dot = key.indexOf('.');
  const schema = key.slice(0, dot), name = key.slice(dot + 1);
  return qualifiedName(schema === DEFAULT_SCHEMA ? null : schema, name);
}

/** The part after the schema. */
export const nameOf = (key: string): string => key.slice(key.indexOf('.') + 1);
export const schemaOf = (key: string): string => key.slice(0, key.indexOf('.'));

