import type { Range } from '../sql/positions';
import { locOffset, type ParsedFile, type Statement } from '../sql/parse';
import type { Origin } from './model';

/** Text geometry: where in a file a statement or a name inside it sits. */

/** The range of the identifier (possibly quoted and qualified) that starts at a node location. */
export function identRange(file: ParsedFile, stmt: Statement, byteLoc: number | undefined): Range {
  if (byteLoc === undefined || byteLoc < 0) return headRange(file, stmt);
  const start = locOffset(stmt, byteLoc);
  const t = file.text;
  let end = start;
  while (end < t.length) {
    const c = t[end]!;
    if (c === '"') {
      end++;
      while (end < t.length && !(t[end] === '"' && t[end + 1] !== '"')) end += t[end] === '"' ? 2 : 1;
      end++;
    } else if (/[\w$.]/.test(c) || c.charCodeAt(0) >= 128) end++;
    else break;
  }
  return file.lines.range(start, Math.max(end, start + 1));
}

/** The statement's first line (trimmed): where a finding about a whole statement points. */
export function headRange(file: ParsedFile, stmt: Statement): Range {
  const start = stmt.range.start;
  if (stmt.range.end.line === start.line) return stmt.range;
  // Up to the end of the statement's first line, without trailing blanks (no slicing of the whole file).
  const from = file.lines.offsetAt(start);
  let eol = file.text.indexOf('\n', from);
  if (eol < 0) eol = file.text.length;
  while (eol > from + 1 && /\s/.test(file.text[eol - 1]!)) eol--;
  return file.lines.range(from, eol);
}

/**
 * Where an object was written. The range is computed on first use: most objects are never reported,
 * and computing positions for all of them on every rebuild was the largest cost of re-analysis.
 */
export class LazyOrigin implements Origin {
  private cached: Range | undefined;
  constructor(
    readonly file: string,
    readonly fileIndex: number,
    readonly stmt: Statement,
    private readonly parsed: ParsedFile,
    /** Byte location of the name to point at; undefined for the statement's first line. */
    private readonly loc?: number,
  ) {}
  get range(): Range {
    return (this.cached ??= this.loc === undefined ? headRange(this.parsed, this.stmt) : identRange(this.parsed, this.stmt, this.loc));
  }
}

export const EMPTY_RANGE: Range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
