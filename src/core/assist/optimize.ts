/**
 * Optimize Query's decisions that do not need the editor: which statements it is offered on, whether a
 * rewrite changes anything, how the rewrite keeps the original's ending, and what the index migration is called.
 */
import { maskLiterals } from '../lint/fixes';

/** Statement kinds whose plan EXPLAIN can show and a rewrite can speed up (WITH … is one of these too). */
const QUERY_KEYWORDS = new Set(['select', 'insert', 'update', 'delete', 'merge', 'with', 'values', 'table']);

/**
 * True when `sql` is a query Optimize can act on: SELECT, INSERT, UPDATE, DELETE, MERGE (or WITH … over one),
 * never DDL like CREATE POLICY or CREATE TABLE. Comments and leading parentheses are skipped.
 */
export function isOptimizableQuery(sql: string): boolean {
  const first = /[a-z]+/i.exec(maskLiterals(sql).replace(/^[\s(]+/, ''));
  return first !== null && first.index === 0 && QUERY_KEYWORDS.has(first[0].toLowerCase());
}

/** The text a diff should compare: trailing semicolons and whitespace do not count, nor line-end spaces. */
export function normalizeQuery(sql: string): string {
  return sql.replace(/[\s;]+$/, '').replace(/[ \t]+$/gm, '').replace(/\r\n/g, '\n');
}

/** A rewrite that only differs in its ending or spacing at line ends is no rewrite. */
export function sameQuery(a: string, b: string): boolean {
  return normalizeQuery(a) === normalizeQuery(b);
}

/**
 * The rewrite with the original's ending (its `;` and trailing whitespace, or none), so replacing the
 * original never leaves `;;` or drops the semicolon.
 */
export function withOriginalEnding(original: string, rewritten: string): string {
  const ending = /[\s;]*$/.exec(original)![0];
  return rewritten.replace(/[\s;]+$/, '') + ending;
}

/**
 * A migration name a person would write for index statements: `index_documents_owner_id` for one index,
 * `indexes_documents_projects` for several tables, `add_indexes` when none can be read.
 */
export function indexMigrationName(sql: string): string {
  // Comments out, quoted identifiers kept (maskLiterals would blank "orders").
  const text = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  const found = [...text.matchAll(/create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:"?[\w$]+"?\s+)?on\s+(?:only\s+)?(?:"?[\w$]+"?\.)?"?([\w$]+)"?(?:\s+using\s+\w+)?\s*\(([^)]*)\)/gi)];
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (found.length === 1) {
    const cols = found[0]![2]!.split(',').map((c) => clean(c.trim().split(/\s+/)[0]!)).filter(Boolean);
    return clean(`index_${found[0]![1]}_${cols.join('_')}`).slice(0, 60);
  }
  const tables = [...new Set(found.map((m) => clean(m[1]!)))];
  return tables.length ? clean(`indexes_${tables.join('_')}`).slice(0, 60) : 'add_indexes';
}
