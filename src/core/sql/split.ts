/**
 * Splits a SQL file into statement chunks without calling the parser, and blanks what is not SQL.
 *
 * Why a JavaScript lexer and not libpg-query's `scanSync`: the scanner is the slow part of libpg-query
 * (≈120 ms for 1,000 statements against ≈55 ms to parse them), and re-analysis on every keystroke
 * must re-split the whole edited file. This lexer only needs to know where literals, comments and
 * statement-ending semicolons are; everything inside a chunk is then parsed by the real parser,
 * so a mistake here can at worst merge or cut a chunk (reported as a syntax error), never mis-read SQL.
 *
 * Handled: '…' strings ('' escapes, E'…' backslash escapes), "…" identifiers, $tag$…$tag$ bodies,
 * -- and nested /* *\/ comments, BEGIN ATOMIC … END bodies, psql meta-command lines (\i, \set, \c …)
 * and COPY … FROM stdin data blocks up to `\.`. Non-SQL regions are replaced by spaces (newlines
 * kept), so every offset in the cleaned text is the same as in the original.
 */

export interface Chunk {
  /** UTF-16 offset of the first statement character (after leading whitespace and comments). */
  start: number;
  /** UTF-16 offset just past the statement (after its `;` when it has one). */
  end: number;
}

export interface LineComment {
  start: number;
  end: number;
  text: string;
}

/** A `$n` or `:name` placeholder (client-side parameter), outside strings, quoted names and comments. */
export interface Placeholder {
  /** `$3` → 3; `:name` → 'name'. */
  key: number | string;
  /** UTF-16 start/end in the text. */
  start: number;
  end: number;
}

export interface SplitResult {
  /** The text with meta-commands and COPY data blanked out; same length as the input. */
  clean: string;
  chunks: Chunk[];
  /** `--` comments, for suppression directives. */
  comments: LineComment[];
  placeholders: Placeholder[];
}

const isIdentChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c >= 128;
/** The rest of a word: the characters `isIdentChar` accepts (every code unit from 0x80 up). */
const IDENT_REST = /[A-Za-z0-9_$\u0080-\uffff]*/y;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;

export function splitStatements(text: string): SplitResult {
  const n = text.length;
  const blanks: [number, number][] = [];
  const comments: LineComment[] = [];
  const chunks: Chunk[] = [];
  const placeholders: Placeholder[] = [];

  let i = 0;
  let atLineStart = true;
  let stmtStart = -1; // first significant char of the current statement
  let prevWord = '';
  let firstWord = '';
  let atomicDepth = 0;
  let sawFromStdin = 0; // 0 none, 1 saw FROM, 2 saw FROM STDIN

  const endStatement = (end: number) => {
    if (stmtStart >= 0) chunks.push({ start: stmtStart, end });
    const wasCopyFromStdin = firstWord === 'copy' && sawFromStdin === 2;
    stmtStart = -1;
    prevWord = '';
    firstWord = '';
    atomicDepth = 0;
    sawFromStdin = 0;
    if (wasCopyFromStdin) skipCopyData(end);
  };

  // COPY … FROM stdin: the data starts on the next line and runs to a line holding only `\.`.
  const skipCopyData = (from: number) => {
    let p = text.indexOf('\n', from);
    if (p < 0) return;
    p++;
    const dataStart = p;
    while (p < n) {
      let eol = text.indexOf('\n', p);
      if (eol < 0) eol = n;
      const line = text.slice(p, eol).replace(/\r$/, '');
      if (line === '\\.') {
        blanks.push([dataStart, eol]);
        i = eol;
        return;
      }
      p = eol + 1;
    }
    blanks.push([dataStart, n]);
    i = n;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12) {
      i++;
      continue;
    }
    if (atLineStart && c === 92 /* \ */) {
      // psql meta-command: the rest of the line is not SQL.
      let eol = text.indexOf('\n', i);
      if (eol < 0) eol = n;
      blanks.push([i, eol]);
      i = eol;
      continue;
    }
    atLineStart = false;

    if (c === 45 && text.charCodeAt(i + 1) === 45) {
      let eol = text.indexOf('\n', i);
      if (eol < 0) eol = n;
      comments.push({ start: i, end: eol, text: text.slice(i, eol) });
      i = eol;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) (depth++, (i += 2));
        else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) (depth--, (i += 2));
        else i++;
      }
      continue;
    }

    if (stmtStart < 0) stmtStart = i;

    if (c === 39 /* ' */) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      const escapes = (prev === 69 || prev === 101) && !(i > 1 && isIdentChar(text.charCodeAt(i - 2)));
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (escapes && d === 92) i += 2;
        else if (d === 39) {
          if (text.charCodeAt(i + 1) === 39) i += 2;
          else break;
        } else i++;
      }
      i++;
      continue;
    }
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        if (text.charCodeAt(i) === 34) {
          if (text.charCodeAt(i + 1) === 34) i += 2;
          else break;
        } else i++;
      }
      i++;
      prevWord = '';
      continue;
    }
    if (c === 36 /* $ */ && !(i > 0 && isIdentChar(text.charCodeAt(i - 1)))) {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (m) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        i = close < 0 ? n : close + tag.length;
        continue;
      }
    }
    if (c === 36 /* $ */ && isDigit(text.charCodeAt(i + 1)) && !(i > 0 && isIdentChar(text.charCodeAt(i - 1)))) {
      let j = i + 1;
      while (isDigit(text.charCodeAt(j))) j++;
      placeholders.push({ key: Number(text.slice(i + 1, j)), start: i, end: j });
      i = j;
      continue;
    }
    if (c === 58 /* : */) {
      if (text.charCodeAt(i + 1) === 58) {
        i += 2; // a `::` cast
        continue;
      }
      // `:name` where a value can stand; a colon glued to the token before it (`a[1:n]`, `lo:hi`) is a slice.
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      if (isIdentStart(text.charCodeAt(i + 1)) && !isIdentChar(prev) && prev !== 93 /* ] */ && prev !== 41 /* ) */) {
        IDENT_REST.lastIndex = i + 2;
        IDENT_REST.test(text);
        const j = IDENT_REST.lastIndex;
        placeholders.push({ key: text.slice(i + 1, j), start: i, end: j });
        i = j;
        prevWord = '#';
        continue;
      }
    }
    if (c === 59 /* ; */ && atomicDepth === 0) {
      i++;
      endStatement(i);
      continue;
    }
    if (isIdentStart(c)) {
      // The word's end by a sticky regex (native), not a char loop: most of the file is words.
      IDENT_REST.lastIndex = i + 1;
      IDENT_REST.test(text);
      const j = IDENT_REST.lastIndex;
      // Only keywords of 3 to 6 letters steer the splitter (begin atomic, case, end, copy from stdin):
      // other words are not copied and lower-cased, '#' stands for them.
      const word = j - i >= 3 && j - i <= 6 ? text.slice(i, j).toLowerCase() : '#';
      if (!firstWord) firstWord = word;
      if (word === 'atomic' && prevWord === 'begin') atomicDepth++;
      else if (atomicDepth > 0 && word === 'case') atomicDepth++;
      else if (atomicDepth > 0 && word === 'end') atomicDepth--;
      if (firstWord === 'copy') {
        if (word === 'from') sawFromStdin = 1;
        else if (sawFromStdin === 1 && word === 'stdin') sawFromStdin = 2;
        else if (sawFromStdin === 1) sawFromStdin = 0;
      }
      prevWord = word;
      i = j;
      continue;
    }
    i++;
  }
  if (stmtStart >= 0) {
    // A last statement without `;`: end it at its last significant character.
    let end = n;
    while (end > stmtStart && /\s/.test(text[end - 1]!)) end--;
    chunks.push({ start: stmtStart, end });
  }

  return { clean: blank(text, blanks), chunks, comments, placeholders };
}

function blank(text: string, regions: [number, number][]): string {
  if (regions.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [s, e] of regions) {
    out += text.slice(at, s) + text.slice(s, e).replace(/[^\r\n]/g, ' ');
    at = e;
  }
  return out + text.slice(at);
}

/**
 * The text with psql meta-commands and COPY data blanked out (same length, same offsets): what a
 * server can execute. Used by whoever applies migration files to a real or embedded database.
 */
export function stripNonSql(text: string): string {
  return splitStatements(text).clean;
}

/**
 * `$n` and `:name` placeholders: those inside strings, dollar quotes, quoted names and comments are not ones,
 * nor are `::` casts and array slices.
 */
export function findPlaceholders(text: string): Placeholder[] {
  return splitStatements(text).placeholders;
}
