import { plpgsqlOf, type AstNode, type ParsedFile, type Statement } from '../sql/parse';
import { parseToJson } from '../sql/pgWasm';
import { utf16OffsetOfByte, isAscii } from '../sql/positions';
import type { Range } from './types';
import type { RuleContext } from './rule';

/**
 * Function bodies, offline: PL/pgSQL through libpg-query's PL/pgSQL parser, SQL-language bodies through the SQL
 * parser. Each embedded SQL expression comes with its parse tree and a way to turn a location inside it into a
 * range in the migration file, so rules can point at the exact spot in the body.
 */
export interface BodyExpr {
  /** The statement kind in the body (`PLpgSQL_stmt_dynexecute`, `PLpgSQL_stmt_execsql`, … or `sql` for a SQL body). */
  kind: string;
  /** The expression's text as the parser gives it. */
  text: string;
  /** The parsed statement (RawStmt's `stmt`), undefined when it does not parse on its own. Parsed on first read. */
  readonly tree?: AstNode;
  /** For `SELECT <expr>` wrappers: how many leading characters of the parsed text are ours, not the user's. */
  prefix: number;
  /** A range in the file for a byte location inside `text` (or the expression's start). */
  range(loc?: number): Range;
  /** For assignments: the target variable. */
  assigns?: string;
  /** The field of the PL/pgSQL statement holding it (`query`, `params`, `expr`, `cond` …). */
  field: string;
}

export interface FunctionBody {
  stmt: Statement;
  file: ParsedFile;
  name: string;
  language: string;
  securityDefiner: boolean;
  /** The function's own `SET search_path` value, undefined when it does not set one. */
  searchPath?: string;
  /** Parameter names (IN/INOUT/VARIADIC), in order. */
  params: string[];
  /** Every variable name of a PL/pgSQL body (parameters, declarations, FOUND …). */
  variables: Set<string>;
  exprs: BodyExpr[];
}

const bodies = new WeakMap<Statement, FunctionBody | null>();

/** True for CREATE FUNCTION … SECURITY DEFINER (read from the options, without parsing the body). */
export const isSecurityDefiner = (stmt: Statement): boolean => Boolean(option(stmt, 'security')?.arg?.Boolean?.boolval);

/** The function bodies of the files the rules look at (those `only` accepts, when given). */
export function* functionBodies(ctx: RuleContext, only?: (stmt: Statement) => boolean): Generator<FunctionBody> {
  for (const file of ctx.files) {
    if (!ctx.wants(file.path)) continue;
    for (const stmt of file.statements) {
      if (stmt.kind !== 'CreateFunctionStmt' || (only && !only(stmt))) continue;
      let b = bodies.get(stmt);
      if (b === undefined) bodies.set(stmt, (b = bodyOf(file, stmt)));
      if (b) yield b;
    }
  }
}

const option = (stmt: Statement, name: string): AstNode | undefined => (stmt.node.options ?? []).find((o: AstNode) => o.DefElem?.defname === name)?.DefElem;

/** The body text of a CREATE FUNCTION (its `AS '…'` string, unquoted), read from the parse tree without parsing it. */
export const bodyText = (stmt: Statement): string | undefined => option(stmt, 'as')?.arg?.List?.items?.[0]?.String?.sval;

function bodyOf(file: ParsedFile, stmt: Statement): FunctionBody | null {
  const language: string = option(stmt, 'language')?.arg?.String?.sval ?? 'sql';
  const source = bodyText(stmt);
  if (source === undefined || (language !== 'plpgsql' && language !== 'sql')) return null;
  const bodyOffset = bodyStart(stmt, source);
  if (bodyOffset < 0) return null;
  const set = option(stmt, 'set')?.arg?.VariableSetStmt;
  const params = (stmt.node.parameters ?? [])
    .map((p: AstNode) => p.FunctionParameter ?? {})
    .filter((p: AstNode) => p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p: AstNode, i: number) => p.name ?? `$${i + 1}`);
  const name = (stmt.node.funcname ?? []).map((n: AstNode) => n.String?.sval).join('.');
  const base = {
    stmt, file, name, language,
    securityDefiner: Boolean(option(stmt, 'security')?.arg?.Boolean?.boolval),
    ...(set?.name === 'search_path' && set.kind === 'VAR_SET_VALUE' ? { searchPath: (set.args ?? []).map((a: AstNode) => a.A_Const?.sval?.sval ?? a.String?.sval ?? '').join(', ') } : {}),
    params,
  };
  const lineStart = (line: number) => file.lines.offsetAt({ line, column: 0 });
  const bodyLine = file.lines.positionAt(bodyOffset).line;

  if (language === 'sql') {
    const tree = parse(source);
    const ascii = isAscii(source);
    const exprs: BodyExpr[] = (tree ?? []).map((t) => ({
      kind: 'sql', field: 'body', text: source, tree: t, prefix: 0,
      range: (loc?: number) => { const o = bodyOffset + (loc === undefined || loc < 0 ? 0 : utf16OffsetOfByte(source, loc, ascii)); return file.lines.range(o, o); },
    }));
    return { ...base, variables: new Set(params), exprs };
  }

  const fn = plpgsqlOf(stmt)?.PLpgSQL_function;
  if (!fn) return null;
  const datums: string[] = (fn.datums ?? []).map((d: AstNode) => (Object.values(d)[0] as AstNode | undefined)?.refname).filter(Boolean);
  const exprs: BodyExpr[] = [];
  collect(fn.action, 0, (kind, lineno, e, extra, field) => {
    const query: string = e.query;
    const mode: number = e.parseMode ?? 0;
    // What the parser hands us is not always what the user wrote: PERFORM becomes SELECT, expressions get a SELECT.
    let parsed = query;
    let prefix = 0;
    let written = query;
    let assigns: string | undefined;
    if (mode === 3 || /^\s*[\w."]+\s*:=/.test(query)) {
      const m = /^\s*([\w."]+)\s*:?=\s*/.exec(query);
      assigns = m?.[1];
      written = m ? query.slice(m[0].length) : query;
      parsed = `SELECT ${written}`;
      prefix = 7;
    } else if (mode !== 0) {
      parsed = `SELECT ${query}`;
      prefix = 7;
    } else if (kind === 'PLpgSQL_stmt_perform' && /^SELECT /.test(query)) {
      written = query.slice(7);
      prefix = 7;
    }
    if (extra?.assigns) assigns = extra.assigns;
    const from = lineStart(Math.min(bodyLine + Math.max(lineno - 1, 0), file.lines.lineCount - 1));
    // The parser may have rewritten the text (INTO clauses are removed): fall back to its first words.
    let at = -1;
    for (const n of [written.length, 40, 20, 10]) if (at < 0 && n <= written.length) at = file.text.indexOf(written.slice(0, n), from);
    if (at < 0) at = from;
    const ascii = isAscii(parsed);
    // Most expressions (`new.updated_at := now()`) are never asked for their tree: parse on demand.
    let tree: AstNode | undefined | null = null;
    exprs.push({
      kind, field, text: parsed, prefix, ...(assigns ? { assigns } : {}),
      get tree() {
        if (tree === null) tree = parse(parsed)?.[0];
        return tree;
      },
      range: (loc?: number) => {
        const inParsed = loc === undefined || loc < 0 ? prefix : utf16OffsetOfByte(parsed, loc, ascii);
        const o = at + Math.max(inParsed - prefix, 0);
        return file.lines.range(o, o);
      },
    });
  }, datums);
  return { ...base, variables: new Set(datums), exprs };
}

/** Walks a PL/pgSQL statement tree, calling `visit` for every expression with its statement kind and line. */
type Visit = (kind: string, lineno: number, expr: AstNode, extra: { assigns?: string } | undefined, field: string) => void;
function collect(node: unknown, lineno: number, visit: Visit, datums: string[], kind = '', field = ''): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) collect(x, lineno, visit, datums, kind, field);
    return;
  }
  const n = node as AstNode;
  for (const [k, v] of Object.entries(n)) {
    if (k.startsWith('PLpgSQL_stmt_') && v && typeof v === 'object') {
      const line = (v as AstNode).lineno ?? lineno;
      const assigns = k === 'PLpgSQL_stmt_assign' ? datums[(v as AstNode).varno] : undefined;
      for (const [field, value] of Object.entries(v as AstNode)) {
        if (value && typeof value === 'object' && (value as AstNode).PLpgSQL_expr) visit(k, line, (value as AstNode).PLpgSQL_expr, field === 'expr' && assigns ? { assigns } : undefined, field);
        else collect(value, line, visit, datums, k, field);
      }
    } else if (k === 'PLpgSQL_expr' && v) {
      visit(kind, lineno, v as AstNode, undefined, field);
    } else if (v && typeof v === 'object') {
      collect(v, lineno, visit, datums, kind, field);
    }
  }
}

/** The file offset where a function's body text starts (just past its opening quote). */
function bodyStart(stmt: Statement, source: string): number {
  const text = stmt.text;
  const re = /\$([A-Za-z_][A-Za-z_0-9]*)?\$|'/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    if (text.startsWith(source, start) || (m[0] === "'" && source.length === 0)) return stmt.offset + start;
    if (m[0] === "'" && text.slice(start).replace(/''/g, "'").startsWith(source)) return stmt.offset + start;
  }
  return -1;
}

function parse(sql: string): AstNode[] | undefined {
  try {
    const r = parseToJson(sql);
    if (!r.ok) return undefined;
    return ((JSON.parse(r.json) as { stmts?: { stmt: AstNode }[] }).stmts ?? []).map((s) => s.stmt);
  } catch {
    return undefined;
  }
}
