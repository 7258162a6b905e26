import { locRange, type ParsedFile, type Statement } from '../sql/parse';
import type { SqlLiteral } from '../sql/inCode';
import type { SchemaModel } from '../schema/model';
import type { DbeConfig } from '../findings/config';
import { parseProblemMeta } from './engine';
import { checkReferences } from './references';
import type { KnownNames } from './knownNames';
import { rule as UNKNOWN_REFERENCE } from './rules/unknown-reference';
import type { Finding } from './types';

/** A query file as the analyzer holds it: SQL (parsed; `$1` and `:name` placeholders accepted), or SQL in code. */
export interface QueryFile {
  parsed: ParsedFile;
  /** For a TypeScript/JavaScript file: the literals its SQL came from (see ../sql/inCode). */
  literals?: SqlLiteral[];
}

/**
 * The findings of one of the project's files that are not migrations (queries, seeds, functions kept apart, SQL in
 * TypeScript/JavaScript) against the schema the SQL files build: unknown relations, columns and functions, and for
 * SQL in code its syntax (a .sql file's syntax errors come with the rules, like a migration's).
 */
export function queryFileFindings(file: QueryFile, model: SchemaModel, config: DbeConfig, known: KnownNames | undefined): Finding[] {
  const { parsed, literals } = file;
  const out: Finding[] = [];
  const path = parsed.path;
  const off = (rule: string) => parsed.fileIgnores === 'all' || Boolean(parsed.fileIgnores?.has(rule));
  for (const e of literals ? parsed.syntaxErrors : []) {
    // A `${…}` may stand for a name or a whole clause, not a value: a literal that had one is judged only if it parses.
    if (inInterpolated(literals!, parsed.lines.offsetAt(e.range.start))) continue;
    const meta = parseProblemMeta(e);
    const level = config.rules[meta.id] ?? meta.severity;
    if (level !== 'off' && !off(meta.id)) out.push({ rule: meta.id, severity: level, category: meta.category, message: e.message, file: path, range: e.range, fixes: [] });
  }
  const unknown = config.rules[UNKNOWN_REFERENCE.id] ?? UNKNOWN_REFERENCE.severity;
  // Without known names there is no schema to judge by (no migrations): syntax alone.
  if (known && unknown !== 'off' && !off(UNKNOWN_REFERENCE.id)) {
    for (const stmt of parsed.statements) {
      if (silenced(stmt)) continue;
      for (const p of checkReferences({ [stmt.kind]: stmt.node }, model, { known })) {
        out.push({
          rule: UNKNOWN_REFERENCE.id, severity: unknown, category: UNKNOWN_REFERENCE.category, message: p.message, file: path,
          range: locRange(parsed, stmt, p.loc, p.name.length), fixes: [],
        });
      }
    }
  }
  // In position order within the file, like the analyzer's findings.
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
}

const silenced = (stmt: Statement) => stmt.ignores === 'all' || Boolean(stmt.ignores?.has(UNKNOWN_REFERENCE.id));

function inInterpolated(literals: SqlLiteral[], offset: number): boolean {
  return literals.some((l) => l.interpolated && offset >= l.start && offset <= l.end + 1);
}

/** Statements of SQL in code that add to the schema: a table a test or a setup script creates, a temp table. */
const ADDITIVE = new Set(['CreateStmt', 'ViewStmt', 'CreateFunctionStmt', 'CreateSchemaStmt', 'CreateExtensionStmt', 'CompositeTypeStmt', 'CreateEnumStmt', 'CreateDomainStmt', 'CreateTableAsStmt', 'CreateSeqStmt']);

/**
 * What SQL in code creates, for checking the queries in code against (never for the rules): the creating statements
 * only, so a test's `drop table` or `drop schema public cascade` takes nothing away. Undefined when it creates nothing.
 */
export function additions(file: ParsedFile): ParsedFile | undefined {
  const statements = file.statements.filter((s) => ADDITIVE.has(s.kind));
  return statements.length ? { ...file, statements, syntaxErrors: [] } : undefined;
}
