import { ParseCache, ensureParser, parseFile, type AstNode } from './parse';

/**
 * A SQL script as something to execute statement by statement: the embedded database applying a migration,
 * EXPLAIN and run_query checking they got one statement, a proposed migration counted. The same split, strip and
 * parse as the analyzer's (`parseFile`), so what runs is exactly what was analysed.
 */

export interface ScriptStatement {
  /** The statement's text (psql meta-commands blanked), without its closing `;`. */
  text: string;
  /** 1-based line of its first token. */
  line: number;
  /** Parse-tree node type, e.g. `SelectStmt`, `VacuumStmt`. */
  kind: string;
  /** The node's fields (the value under `kind`). */
  node: AstNode;
}

export type ScriptResult =
  | { ok: true; statements: ScriptStatement[]; skippedCopies: number }
  /** The first syntax error: 1-based line and UTF-16 column. */
  | { ok: false; line: number; column: number; message: string };

/**
 * Splits and parses a script. `COPY … FROM stdin` statements are left out (their data was blanked: they cannot
 * run without it) and counted. A syntax error anywhere fails the whole script, so none of a broken file runs.
 */
export async function parseScript(sql: string, name = '<sql>'): Promise<ScriptResult> {
  await ensureParser();
  // A cache of its own: scripts are parsed once, and a shared cache would keep every migration's text alive.
  const file = parseFile(name, sql, new ParseCache());
  const error = file.syntaxErrors[0];
  if (error) return { ok: false, line: error.range.start.line + 1, column: error.range.start.column + 1, message: error.message };
  const statements: ScriptStatement[] = [];
  let skippedCopies = 0;
  for (const st of file.statements) {
    if (st.kind === 'CopyStmt' && st.node.is_from && !st.node.filename) {
      skippedCopies++;
      continue;
    }
    // `text` may hold the statements before it in the same chunk: cut it to the statement's own range.
    const from = file.lines.offsetAt(st.range.start) - st.offset;
    const to = file.lines.offsetAt(st.range.end) - st.offset;
    const text = st.text.slice(from, to).replace(/;\s*$/, '').trim();
    statements.push({ text, line: st.range.start.line + 1, kind: st.kind, node: st.node });
  }
  return { ok: true, statements, skippedCopies };
}
