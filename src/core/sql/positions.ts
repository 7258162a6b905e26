
/** A place in a text: 0-based line and UTF-16 column (the editor's units; the CLI adds 1 when printing). */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * The one place where offsets become editor positions.
 * libpg-query reports UTF-8 byte offsets (node locations) and code-point indexes (syntax errors);
 * editors want 0-based lines and UTF-16 columns. Everything else in the analyzer works in UTF-16
 * string offsets (JavaScript string indexes) and calls these functions at the edge.
 */

/** UTF-16 offset inside `text` of the UTF-8 byte offset `byteOffset` (clamped to the text). */
export function utf16OffsetOfByte(text: string, byteOffset: number, ascii = false): number {
  if (ascii) return Math.min(byteOffset, text.length);
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteOffset) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++; // the low surrogate belongs to the same code point
    } else bytes += 3;
    i++;
  }
  return i;
}

/** UTF-16 offset inside `text` of the 0-based code-point index `cp` (syntax errors' cursorPosition). */
export function utf16OffsetOfCodePoint(text: string, cp: number, ascii = false): number {
  if (ascii) return Math.min(cp, text.length);
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}

/** True when every char is ASCII, so bytes, code points and UTF-16 units coincide (the fast path). */
export function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[^\x00-\x7f]/.test(text);
}

/** Line starts of a text, for offset ⇄ position conversion by binary search. */
export class LineMap {
  private readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: o - this.starts[lo]! };
  }

  offsetAt(pos: Position): number {
    const start = this.starts[Math.max(0, Math.min(pos.line, this.starts.length - 1))]!;
    return Math.min(start + pos.column, this.text.length);
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

export function containsPosition(range: Range, pos: Position): boolean {
  const afterStart = pos.line > range.start.line || (pos.line === range.start.line && pos.column >= range.start.column);
  const beforeEnd = pos.line < range.end.line || (pos.line === range.end.line && pos.column <= range.end.column);
  return afterStart && beforeEnd;
}
