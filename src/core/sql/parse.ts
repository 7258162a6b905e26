import { sha1 } from './sha1';
import { loadPgWasm, parsePlpgsqlToJson, parseToJson, TOO_COMPLEX } from './pgWasm';
import { version as parserVersion } from 'libpg-query/package.json';
import { LineMap, type Range, isAscii, utf16OffsetOfByte, utf16OffsetOfCodePoint } from './positions';
import { splitStatements, type LineComment } from './split';

/** A parse-tree node: libpg-query's JSON, `{ NodeType: { …fields } }` or the fields themselves. */
// The trees are walked generically; a precise type per node would cost more than it checks here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = Record<string, any>;

/** One top-level statement of a file, with its parse tree and where it sits. */
export interface Statement {
  file: string;
  /** Position among the file's statements. */
  index: number;
  /** The node type: 'CreateStmt', 'AlterTableStmt', 'CreatePolicyStmt', … */
  kind: string;
  /** The node's fields (the value under `kind`). Locations inside are UTF-8 byte offsets into `text`. */
  node: AstNode;
  /** The statement's source (cleaned of non-SQL), from its first character to its `;`. */
  text: string;
  /** UTF-16 offset of `text` in the file. */
  offset: number;
  range: Range;
  ascii: boolean;
  /** Rules silenced by a `-- dbe-ignore …` comment just before the statement ('all' when no ids given). */
  ignores?: Set<string> | 'all';
}

/** The parser's own limits (and its restart after one), not the statement's syntax: both messages say so. */
const tooComplex = (message: string) => message === TOO_COMPLEX || /too complex to analyse/.test(message);

export interface SyntaxProblem {
  message: string;
  range: Range;
  /** The parser gave up on the statement's size or depth (not on its syntax): reported as statement-too-complex. */
  tooComplex?: true;
}

export interface ParsedFile {
  path: string;
  text: string;
  lines: LineMap;
  statements: Statement[];
  syntaxErrors: SyntaxProblem[];
  /** Rules silenced for the whole file by `-- dbe-ignore-file …`. */
  fileIgnores: Set<string> | 'all' | undefined;
}

let ready: Promise<void> | undefined;
let loaded = false;
/** Loads libpg-query's WebAssembly once; every sync parse needs it first. */
export function ensureParser(): Promise<void> {
  // Not cached here: after a fatal parse error the module is being replaced, and loadPgWasm() waits for the new one.
  ready = loadPgWasm().then(() => {
    loaded = true;
  });
  return ready;
}

/** What libpg-query made of one chunk: cached by the chunk's text, so positions inside are chunk-relative. */
export type ChunkParse =
  | { ok: true; stmts: { kind: string; node: AstNode; loc: number; len: number }[] }
  | { ok: false; message: string; cursor: number };

/**
 * Parse results keyed by statement text. Editing one line of a file re-parses only the statement that
 * changed: the others are found here, whatever their new offsets.
 */
export class ParseCache {
  private map = new Map<string, ChunkParse>();
  /** How many times libpg-query was called, for tests and the benchmark. */
  parses = 0;

  /** Parse results loaded from disk (the CLI's `--cache`), by statement-text hash. */
  private stored: Map<string, ChunkParse> | undefined;

  get(text: string): ChunkParse {
    let hit = this.map.get(text);
    if (!hit) {
      hit = this.stored?.get(textHash(text)) ?? this.parse(text);
      this.map.set(text, hit);
    }
    return hit;
  }

  /** Seeds the cache with results saved by `save()` (from an earlier run); entries of another shape are skipped. */
  load(entries: unknown): void {
    if (!Array.isArray(entries)) return;
    this.stored = new Map(entries.filter(isStoredEntry));
  }

  /** The current results, by statement-text hash, for saving between runs. */
  save(): [string, ChunkParse][] {
    return [...this.map].map(([text, parse]) => [textHash(text), parse]);
  }

  get size(): number {
    return this.map.size;
  }

  /** Keeps only the given statement texts (the ones files still contain): bounds memory in long sessions. */
  retainOnly(live: Set<string>): void {
    for (const k of this.map.keys()) if (!live.has(k)) this.map.delete(k);
  }

  private parse(text: string): ChunkParse {
    if (!loaded) throw new Error('libpg-query is not loaded: await ensureParser() before parsing');
    this.parses++;
    const raw = parseToJson(text);
    if (!raw.ok) return { ok: false, message: raw.message, cursor: raw.cursor };
    let result: { stmts?: { stmt: AstNode; stmt_location?: number; stmt_len?: number }[] };
    try {
      result = JSON.parse(raw.json) as typeof result;
    } catch (err) {
      if (err instanceof RangeError) return { ok: false, message: TOO_COMPLEX, cursor: 0 };
      throw err;
    }
    const stmts = (result.stmts ?? []).map((s) => {
      const kind = Object.keys(s.stmt)[0]!;
      return { kind, node: s.stmt[kind] as AstNode, loc: s.stmt_location ?? 0, len: s.stmt_len ?? 0 };
    });
    return { ok: true, stmts };
  }
}

/**
 * Stored results are keyed by the statement text together with the parser's exact version and the cached
 * shape: results from another libpg-query (whose trees may differ) never match, so a stored cache is never stale.
 */
const STORE_KEY_SALT = `libpg-query@${parserVersion};chunk-parse-v1\n`;
const textHash = (text: string) => sha1(STORE_KEY_SALT + text, 'base64');

const isStoredEntry = (e: unknown): e is [string, ChunkParse] =>
  Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof (e[1] as ChunkParse | null)?.ok === 'boolean' &&
  ((e[1] as ChunkParse).ok ? Array.isArray((e[1] as { stmts?: unknown }).stmts) : typeof (e[1] as { message?: unknown }).message === 'string');

const DIRECTIVE = /^--\s*dbe-ignore(-file)?\b([^\n]*)$/;

function parseIds(rest: string): Set<string> | 'all' {
  // Anything after ` -- ` or `:` is a free-text reason.
  const ids = rest.split(/\s--\s|:/)[0]!.split(/[\s,]+/).filter(Boolean);
  return ids.length === 0 ? 'all' : new Set(ids);
}

function mergeIgnores(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return a ? new Set([...a, ...b]) : b;
}

/** Splits, parses (through the cache) and positions every statement of a file. Never throws on bad SQL. */
export function parseFile(path: string, text: string, cache: ParseCache): ParsedFile {
  const lines = new LineMap(text);
  const split = splitStatements(text);
  const { chunks, comments } = split;
  let clean = split.clean;
  const statements: Statement[] = [];
  const syntaxErrors: SyntaxProblem[] = [];

  // Suppression comments: file-wide ones anywhere, per-statement ones attach to the next statement.
  let fileIgnores: Set<string> | 'all' | undefined;
  const pending: { at: number; ids: Set<string> | 'all' }[] = [];
  for (const c of comments as LineComment[]) {
    const m = DIRECTIVE.exec(c.text.trimEnd());
    if (!m) continue;
    const ids = parseIds(m[2] ?? '');
    if (m[1]) fileIgnores = mergeIgnores(fileIgnores, ids);
    else pending.push({ at: c.start, ids });
  }
  let p = 0;

  for (const chunk of chunks) {
    let chunkText = clean.slice(chunk.start, chunk.end);
    const ascii = isAscii(chunkText);
    let ignores: Set<string> | 'all' | undefined;
    while (p < pending.length && pending[p]!.at < chunk.start) ignores = mergeIgnores(ignores, pending[p++]!.ids);
    // Directives inside the statement's own text apply to the next one.
    let parsed = cache.get(chunkText);
    if (!parsed.ok) {
      // `:name` placeholders (query files, psql variables) are not SQL, but Explain binds them: parse the statement
      // with each as `$1`, padded to the same length so every position stays where it was.
      const named = split.placeholders.filter((h) => typeof h.key === 'string' && h.start >= chunk.start && h.end <= chunk.end);
      if (named.length) {
        let bound = chunkText;
        for (const h of named) bound = bound.slice(0, h.start - chunk.start) + '$1'.padEnd(h.end - h.start) + bound.slice(h.end - chunk.start);
        const retry = cache.get(bound);
        if (retry.ok) {
          parsed = retry;
          chunkText = bound;
          clean = clean.slice(0, chunk.start) + bound + clean.slice(chunk.end);
        }
      }
    }
    if (!parsed.ok) {
      const at = chunk.start + utf16OffsetOfCodePoint(chunkText, parsed.cursor, ascii);
      let end = at;
      while (end < chunk.end && /[\w$"'.]/.test(clean[end]!)) end++;
      if (end === at) end = Math.min(at + 1, Math.max(chunk.end, at));
      syntaxErrors.push({ message: parsed.message, range: lines.range(at, end), ...(tooComplex(parsed.message) ? { tooComplex: true as const } : {}) });
      continue;
    }
    for (const s of parsed.stmts) {
      const start = chunk.start + utf16OffsetOfByte(chunkText, s.loc, ascii);
      const end = s.len > 0 ? chunk.start + utf16OffsetOfByte(chunkText, s.loc + s.len, ascii) : chunk.end;
      // Include the `;` in the statement's range when it directly follows.
      const stop = clean[end] === ';' ? end + 1 : end;
      const stmtText = clean.slice(start, stop);
      statements.push({
        file: path,
        index: statements.length,
        kind: s.kind,
        // Node locations are bytes into the chunk; re-base them on the statement when it does not start the chunk.
        node: s.node,
        text: start === chunk.start ? stmtText : chunkText,
        offset: start === chunk.start ? start : chunk.start,
        range: lines.range(start, stop),
        ascii,
        ...(ignores ? { ignores } : {}),
      });
    }
  }
  return { path, text, lines, statements, syntaxErrors, fileIgnores };
}

/** The text range of a node location (UTF-8 bytes into the statement) spanning `length` UTF-16 units. */
export function locRange(file: ParsedFile, stmt: Statement, byteLoc: number | undefined, length = 0): Range {
  const start = stmt.offset + (byteLoc === undefined || byteLoc < 0 ? 0 : utf16OffsetOfByte(stmt.text, byteLoc, stmt.ascii));
  return file.lines.range(start, start + length);
}

/** UTF-16 offset in the file of a node location. */
export function locOffset(stmt: Statement, byteLoc: number | undefined): number {
  return stmt.offset + (byteLoc === undefined || byteLoc < 0 ? 0 : utf16OffsetOfByte(stmt.text, byteLoc, stmt.ascii));
}

const plCache = new Map<string, AstNode | null>();
/** The PL/pgSQL parse tree of a CREATE FUNCTION statement, or null when it is not PL/pgSQL or does not parse. */
export function plpgsqlOf(stmt: Statement): AstNode | null {
  if (stmt.kind !== 'CreateFunctionStmt') return null;
  const lang = (stmt.node.options as AstNode[] | undefined)?.find((o) => o.DefElem?.defname === 'language')?.DefElem?.arg?.String?.sval;
  if (lang !== 'plpgsql') return null;
  if (plCache.has(stmt.text)) return plCache.get(stmt.text)!;
  let tree: AstNode | null = null;
  try {
    tree = (JSON.parse(parsePlpgsqlToJson(stmt.text)) as { plpgsql_funcs?: AstNode[] }).plpgsql_funcs?.[0] ?? null;
  } catch {
    tree = null;
  }
  if (plCache.size > 2000) plCache.clear();
  plCache.set(stmt.text, tree);
  return tree;
}
