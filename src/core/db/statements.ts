import { loadModule, parseSync, scanSync } from 'libpg-query';

let ready: Promise<void> | undefined;
/** libpg-query's WASM loads once per process. */
export function loadParser(): Promise<void> {
  return (ready ??= loadModule());
}

export interface SqlStatement {
  /** The statement text, without the trailing semicolon. */
  text: string;
  /** 1-based line in the source of the statement's first token (comments before it skipped). */
  line: number;
  /** Parse-tree node type of the statement, e.g. `SelectStmt`, `VacuumStmt`. */
  kind: string;
  /** The parse tree of the statement (libpg-query JSON). */
  node: Record<string, unknown>;
}

export type SplitResult = { ok: true; statements: SqlStatement[] } | { ok: false; line: number; column: number; message: string };

/**
 * Splits SQL into statements with libpg-query (call `loadParser()` first). Its locations are UTF-8 byte offsets,
 * so slicing happens on the bytes. A syntax error comes back with its 1-based line.
 */
export function splitStatements(sql: string): SplitResult {
  // libpg-query answers an empty input with unparsable output rather than zero statements.
  if (sql.trim() === '') return { ok: true, statements: [] };
  let result;
  try {
    result = parseSync(sql);
  } catch (err) {
    const details = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    // cursorPosition is a 0-based code-point index.
    const cp = details?.cursorPosition ?? 0;
    const before = Array.from(sql).slice(0, cp).join('');
    // 1-based column in code points on the error's line.
    const column = Array.from(before.slice(before.lastIndexOf('\n') + 1)).length + 1;
    return { ok: false, line: lineAt(before, before.length), column, message: (err as Error).message };
  }
  const bytes = Buffer.from(sql, 'utf8');
  const statements: SqlStatement[] = [];
  for (const raw of result.stmts ?? []) {
    const loc = raw.stmt_location ?? 0;
    const len = raw.stmt_len ?? bytes.length - loc;
    const prefix = bytes.subarray(0, loc).toString('utf8');
    const full = bytes.subarray(loc, loc + len).toString('utf8');
    const lead = leadingTrivia(full);
    const node = (raw.stmt ?? {}) as Record<string, unknown>;
    statements.push({
      text: full.slice(lead).trim(),
      line: lineAt(prefix + full.slice(0, lead), prefix.length + lead),
      kind: Object.keys(node)[0] ?? 'Unknown',
      node,
    });
  }
  return { ok: true, statements };
}

/** Length of the whitespace and comments before the first token. */
function leadingTrivia(s: string): number {
  const m = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(s);
  return m ? m[0].length : 0;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Blanks what is not SQL but appears in dumps and psql scripts: meta-command lines (`\i`, `\set`, `\connect`) and the
 * data block after `COPY … FROM stdin;` up to `\.`. Lines are kept (emptied) so line numbers stay true.
 */
export function stripNonSql(sql: string): { sql: string; skippedCopies: number } {
  const lines = sql.split('\n');
  let inCopy = false;
  let skippedCopies = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inCopy) {
      if (line.trim() === '\\.') inCopy = false;
      lines[i] = '';
    } else if (/^\s*copy\s[\s\S]*\bfrom\s+stdin\b[^;]*;\s*$/i.test(line)) {
      // The COPY itself cannot run without its data stream: drop it with its data.
      lines[i] = '';
      inCopy = true;
      skippedCopies++;
    } else if (/^\s*\\/.test(line)) {
      lines[i] = '';
    }
  }
  return { sql: lines.join('\n'), skippedCopies };
}

export interface Placeholder {
  /** `$3` → 3; `:name` → 'name'. */
  key: number | string;
  /** UTF-16 start/end in the text. */
  start: number;
  end: number;
}

/**
 * `$n` and `:name` placeholders, found with libpg-query's scanner so those inside strings, dollar quotes and
 * comments are ignored. `:name` counts only where a value can stand: `::` casts and `a[1:2]` slices are not
 * placeholders (a colon glued to the token before it, like `lo:hi`, is a slice).
 */
export function findPlaceholders(sql: string): Placeholder[] {
  if (sql.trim() === '') return [];
  let tokens;
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return []; // unscannable text fails again, with a proper message, when it is parsed
  }
  const bytes = Buffer.from(sql, 'utf8');
  const toUtf16 = (byte: number) => bytes.subarray(0, byte).toString('utf8').length;
  const out: Placeholder[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenName === 'PARAM') {
      out.push({ key: Number(t.text.slice(1)), start: toUtf16(t.start), end: toUtf16(t.end) });
    } else if (t.text === ':' && i + 1 < tokens.length) {
      const next = tokens[i + 1]!;
      const prev = tokens[i - 1];
      const glued = prev !== undefined && prev.end === t.start && /^[\w\])]/.test(prev.text.slice(-1)) ;
      if (next.start === t.end && /^[A-Za-z_][A-Za-z0-9_]*$/.test(next.text) && !glued) {
        out.push({ key: next.text, start: toUtf16(t.start), end: toUtf16(next.end) });
        i++;
      }
    }
  }
  return out;
}
