/**
 * SQL written as literals in TypeScript/JavaScript: tagged templates (`sql`…``, `Prisma.sql`…``,
 * `prisma.$queryRaw<T>`…``, `$executeRaw`) and the first argument of `x.query('…')`, `$queryRawUnsafe("…")`,
 * `$executeRawUnsafe(`…`)`. The result is a SQL text of the file's exact length and line layout: the literals' SQL
 * where it was, `${…}` interpolations as `$1` padded to their length, everything else blanked (newlines kept) and a
 * `;` where each literal closes. Every UTF-16 position in it is the same position in the source file, so the SQL
 * analysis's ranges need no mapping.
 *
 * A scanner, not the TypeScript compiler: what we need is where string and template literals start and end
 * (comments, nested templates, regular expressions told apart) and the few tokens before them, and the compiler
 * would be several megabytes in the extension and the CLI for that. Limits, all failing quiet (no SQL found rather
 * than wrong SQL): JSX text with quotes in a .tsx/.jsx file may hide later literals; only literals whose text starts
 * with a statement keyword are taken (drizzle's and postgres.js's `sql` fragments, like `sql`lower(${x})``, are not
 * statements).
 */

/** One literal taken as SQL: UTF-16 offsets of its content, and whether it had `${…}` interpolations. */
export interface SqlLiteral {
  start: number;
  end: number;
  interpolated: boolean;
}

export interface SqlInCode {
  /** Same length and line breaks as the source; SQL only where the literals were. '' when there are none. */
  sql: string;
  literals: SqlLiteral[];
}

/** The file endings of TypeScript and JavaScript sources: one list for the path test and the editor's file watcher. */
export const CODE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'] as const;
const CODE_PATH = new RegExp(`\\.(${CODE_EXTENSIONS.join('|')})$`, 'i');

/** TypeScript and JavaScript sources (not declaration files). */
export const isCodePath = (p: string): boolean => CODE_PATH.test(p) && !/\.d\.[mc]?ts$/i.test(p);

/** What may sit right before a template literal to make it SQL (a tag), or before `(` to make its argument SQL. */
const TAGS = new Set(['sql', '$queryRaw', '$executeRaw']);
const CALLS = new Set(['$queryRawUnsafe', '$executeRawUnsafe']);

/** Statement keywords a literal must start with to be taken as SQL (fragments and other strings are left alone). */
const STATEMENT_START = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(select|insert|update|delete|with|create|alter|drop|truncate|grant|revoke|begin|commit|rollback|values|explain|call|do|merge|refresh|comment|lock|set|reset|analyze|vacuum|notify|listen)\b/i;

/** Larger files are generated (bundles, minified vendor code), not where a project writes its queries. */
const MAX_SOURCE = 512 * 1024;

/** Cheap test before the scan: most files name none of these. */
const MAYBE = /sql\s*`|\$queryRaw|\$executeRaw|\.query\s*\(/;

/** Words after which `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

export function sqlInCode(source: string): SqlInCode {
  if (source.length > MAX_SOURCE || !MAYBE.test(source)) return { sql: '', literals: [] };
  const n = source.length;
  const literals: { start: number; end: number; holes: [number, number][] }[] = [];
  /** The last significant character and identifier-like word before `i` (for regex and tag detection). */
  let lastChar = '';
  let lastWord = '';

  const isIdent = (c: string | undefined) => c !== undefined && /[\w$]/.test(c);

  /** The identifier (with `$`) ending just before `at`, skipping whitespace and one `<…>` type argument list. */
  const nameBefore = (at: number, allowTypeArgs: boolean): { name: string; dotted: boolean } | undefined => {
    let j = at - 1;
    while (j >= 0 && /\s/.test(source[j]!)) j--;
    if (allowTypeArgs && source[j] === '>') {
      // A type argument list is short: a bounded look back keeps a minified file's `a>b` from costing a scan each.
      let depth = 0;
      const stop = Math.max(0, j - 300);
      for (; j >= stop; j--) {
        if (source[j] === '>') depth++;
        else if (source[j] === '<' && --depth === 0) break;
      }
      if (j < stop) return undefined;
      j--;
      while (j >= 0 && /\s/.test(source[j]!)) j--;
    }
    const end = j + 1;
    while (j >= 0 && isIdent(source[j])) j--;
    if (end === j + 1) return undefined;
    let k = j;
    while (k >= 0 && /\s/.test(source[k]!)) k--;
    return { name: source.slice(j + 1, end), dotted: source[k] === '.' };
  };

  /** Skips a quoted string starting at `i` (the quote); returns the index after the closing quote. */
  const skipString = (q: string, from: number): number => {
    let j = from + 1;
    while (j < n && source[j] !== q && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, n);
  };

  /** Scans a template literal from its backtick; records `${…}` spans; returns the index after the closing backtick. */
  const scanTemplate = (from: number, holes: [number, number][] | undefined): number => {
    let j = from + 1;
    while (j < n) {
      const c = source[j]!;
      if (c === '\\') j += 2;
      else if (c === '`') return j + 1;
      else if (c === '$' && source[j + 1] === '{') {
        const end = scanCode(j + 2, true);
        holes?.push([j, end]);
        j = end;
      } else j++;
    }
    return n;
  };

  /** Scans code from `from`; inside `${…}` stops after the matching `}`. Records SQL literals on the way. */
  const scanCode = (from: number, inHole: boolean): number => {
    let depth = 0;
    let j = from;
    while (j < n) {
      const c = source[j]!;
      const next = source[j + 1];
      if (c === '/' && next === '/') {
        const nl = source.indexOf('\n', j);
        j = nl < 0 ? n : nl;
        continue;
      }
      if (c === '/' && next === '*') {
        const close = source.indexOf('*/', j + 2);
        j = close < 0 ? n : close + 2;
        continue;
      }
      if (/\s/.test(c)) {
        j++;
        continue;
      }
      if (c === '/' && (lastChar === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(lastChar) || BEFORE_REGEX.has(lastWord))) {
        j = skipRegex(j);
        lastChar = '/';
        lastWord = '';
        continue;
      }
      if (c === '`') {
        const tag = nameBefore(j, true);
        const byTag = tag !== undefined && TAGS.has(tag.name);
        const holes: [number, number][] = [];
        const end = scanTemplate(j, holes);
        if (byTag || argumentOfSqlCall(j)) literals.push({ start: j + 1, end: end - 1, holes });
        j = end;
        lastChar = '`';
        lastWord = '';
        continue;
      }
      if (c === '"' || c === "'") {
        const end = skipString(c, j);
        if (argumentOfSqlCall(j)) literals.push({ start: j + 1, end: end - 1, holes: [] });
        j = end;
        lastChar = c;
        lastWord = '';
        continue;
      }
      if (isIdent(c)) {
        let k = j;
        while (k < n && isIdent(source[k])) k++;
        lastWord = source.slice(j, k);
        lastChar = source[k - 1]!;
        j = k;
        continue;
      }
      if (inHole) {
        if (c === '{') depth++;
        else if (c === '}' && depth-- === 0) return j + 1;
      }
      lastChar = c;
      lastWord = '';
      j++;
    }
    return n;
  };

  /** A `/…/flags` regular expression from `from`; returns the index after it (a line end ends a bad one). */
  const skipRegex = (from: number): number => {
    let j = from + 1;
    let inClass = false;
    while (j < n && source[j] !== '\n') {
      const c = source[j]!;
      if (c === '\\') j += 2;
      else {
        if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        j++;
      }
    }
    j++;
    while (j < n && /[a-z]/i.test(source[j]!)) j++;
    return j;
  };

  /** The literal at `at` is the first argument of `x.query(` or `$queryRawUnsafe(`. */
  const argumentOfSqlCall = (at: number): boolean => {
    let j = at - 1;
    while (j >= 0 && /\s/.test(source[j]!)) j--;
    if (source[j] !== '(') return false;
    const callee = nameBefore(j, true);
    return callee !== undefined && ((callee.name === 'query' && callee.dotted) || CALLS.has(callee.name));
  };

  scanCode(0, false);

  // A statement inside another's `${…}` is part of that one; alone (its outer literal is no statement) it counts.
  const taken: typeof literals = [];
  for (const l of literals.filter((x) => STATEMENT_START.test(source.slice(x.start, x.end))).sort((a, b) => a.start - b.start)) {
    if (taken.length === 0 || l.start > taken[taken.length - 1]!.end) taken.push(l);
  }
  if (taken.length === 0) return { sql: '', literals: [] };
  let sql = '';
  let at = 0;
  for (const l of taken) {
    sql += blank(source.slice(at, l.start));
    let pos = l.start;
    for (const [hs, he] of l.holes) {
      sql += cooked(source.slice(pos, hs));
      // `$1` padded to the hole's length, its line breaks kept so the lines after it stay where they are.
      const hole = blank(source.slice(hs, he));
      sql += '$1' + hole.slice(2);
      pos = he;
    }
    sql += cooked(source.slice(pos, l.end));
    // The closing quote ends the statement (the parser must not join two literals).
    sql += l.end < n ? ';' : '';
    at = Math.min(l.end + 1, n);
  }
  sql += blank(source.slice(at));
  return { sql, literals: taken.map((l) => ({ start: l.start, end: l.end, interpolated: l.holes.length > 0 })) };
}

/** Spaces for every UTF-16 unit but line breaks. */
function blank(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
}

/**
 * A literal's text as SQL of the same length: escapes become what they stand for where that is one printable
 * character (`\'` → ` '`), whitespace or nothing otherwise (`\n`, `\u00e9` → spaces).
 */
function cooked(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g, (m, e: string) => {
    if (e.length > 1 || /[ntrbfv0]/.test(e)) return ' '.repeat(m.length);
    return ' ' + e; // `\'`, `\\`, a line continuation (its line break kept)
  });
}
