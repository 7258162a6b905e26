/** Column extraction from EXPLAIN conditions; the plan's index statements are written by core/sql/ddl. */
import { createIndexSql as indexSql, qualifiedName, quoteIdent } from '../sql/ddl';

export { qualifiedName, quoteIdent };



const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const OPERATOR = String.raw`(?:=|<>|!=|<=|>=|<|>|~~\*?|!~~\*?|IS\s+(?:NOT\s+)?NULL)`;
const OPERATOR_AFTER = new RegExp(`^${OPERATOR}`, 'i');
const OPERATOR_BEFORE = new RegExp(`${OPERATOR}$`, 'i');
const REFERENCE = new RegExp(String.raw`(?<![\w$".:])(${IDENT})(?:\.(${IDENT}))?(?![\w$"(.])`, 'g');
const NOT_COLUMNS = new Set(['and', 'or', 'not', 'null', 'true', 'false', 'any', 'all', 'array', 'is', 'in', 'like']);

const unquote = (id: string): string => (id.startsWith('"') ? id.slice(1, -1).replace(/""/g, '"') : id);

export interface ConditionColumns {
  /** Compared with =, = ANY, IS NULL: lead an index. */
  equality: string[];
  /** Compared with <, >, LIKE ...: follow the equality columns. */
  range: string[];
}

/**
 * Columns of one relation that a condition compares ("((o.status = 'open'::text) AND (o.total > 500))").
 * `qualifiers` are the names the relation goes by (alias, table name); unqualified columns are kept too,
 * since EXPLAIN omits the qualifier when a scan has one relation.
 */
export function conditionColumns(condition: string, qualifiers: string[]): ConditionColumns {
  const text = condition.replace(/'(?:[^']|'')*'/g, "''");
  const equality: string[] = [];
  const range: string[] = [];
  const add = (list: string[], col: string) => {
    if (!equality.includes(col) && !range.includes(col)) list.push(col);
  };
  const ref = new RegExp(REFERENCE);
  for (let m = ref.exec(text); m; m = ref.exec(text)) {
    const [whole, first, second] = m;
    const qualifier = second ? unquote(first!) : null;
    const column = unquote(second ?? first!);
    if (!second && NOT_COLUMNS.has(column.toLowerCase())) continue;
    if (qualifier !== null && !qualifiers.includes(qualifier)) continue;
    const before = text.slice(0, m.index).trimEnd();
    const after = text.slice(m.index + whole.length).trimStart();
    const opAfter = OPERATOR_AFTER.exec(after)?.[0];
    const opBefore = OPERATOR_BEFORE.exec(before)?.[0];
    const op = opAfter ?? opBefore;
    if (!op) continue;
    if (/^(=|IS)/i.test(op)) add(equality, column);
    else add(range, column);
  }
  return { equality, range };
}

/** The index a plan insight proposes: built concurrently, since the table is live. */
export function createIndexSql(schema: string | null, relation: string, columns: string[]): string {
  return indexSql({ schema, table: relation, columns, concurrently: true, upperCase: true });
}
