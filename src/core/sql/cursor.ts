import type { ParsedFile, Statement } from './parse';
import type { Position, Range } from './positions';

/**
 * "The statement at the cursor", once for every command that acts on it (Explain, Optimize, the chat's
 * attached statement, suppression comments, findings' statements).
 */

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.column < b.column);

/** The statement whose range (its `;` included) holds `pos`, by binary search over the file's ordered statements. */
export function statementAt(file: ParsedFile, pos: Position): Statement | undefined {
  const list = file.statements;
  let lo = 0, hi = list.length - 1, found: Statement | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid]!;
    if (before(pos, s.range.start)) hi = mid - 1;
    else {
      found = s;
      lo = mid + 1;
    }
  }
  return found && !before(found.range.end, pos) ? found : undefined;
}

/**
 * The statement a cursor means: the one holding it; else the one that ends on the cursor's line before it
 * (the cursor just after `;`, or after a trailing comment); else, past the file's last statement (the empty
 * line after it, say), that last statement; in a file of one statement, also above it. Between two statements on
 * lines of their own, none: either could be meant.
 */
export function statementNear(file: ParsedFile, pos: Position): Statement | undefined {
  const at = statementAt(file, pos);
  if (at) return at;
  const list = file.statements;
  let i = list.length - 1;
  while (i >= 0 && before(pos, list[i]!.range.end)) i--;
  const prev = list[i];
  // Above the first statement (its comment): in a file of one statement, that statement is meant.
  if (!prev) return list.length === 1 && TRIVIA.test(file.text.slice(0, file.lines.offsetAt(list[0]!.range.start))) ? list[0] : undefined;
  // Only blanks and comments may separate it from the cursor: a broken statement there is what the cursor means.
  const between = file.text.slice(file.lines.offsetAt(prev.range.end), file.lines.offsetAt(pos));
  if (!TRIVIA.test(between)) return undefined;
  return prev.range.end.line === pos.line || i === list.length - 1 ? prev : undefined;
}

const TRIVIA = /^(?:\s+|--[^\n]*|\/\*[\s\S]*?\*\/)*$/;

/** The statement's range without its closing `;`: what a replacement of the statement rewrites. */
export function bodyRange(file: ParsedFile, stmt: Statement): Range {
  const start = file.lines.offsetAt(stmt.range.start);
  let end = file.lines.offsetAt(stmt.range.end);
  if (file.text[end - 1] === ';') end--;
  while (end > start && /\s/.test(file.text[end - 1]!)) end--;
  return file.lines.range(start, end);
}
