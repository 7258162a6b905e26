import type { AstNode } from '../sql/parse';
import type { SchemaModel, Table } from '../schema/model';
import { keyOf, rangeVarKey, strings } from '../schema/names';
import type { KnownNames } from './knownNames';

/**
 * Names a statement uses that the schema the migrations build does not have: relations, columns and
 * functions, each with the closest existing name. Offline: the model is the only source, so anything it
 * cannot vouch for either way (schemas no migration creates, like Supabase's `auth`, columns of subqueries,
 * unqualified functions that may be built in) is left alone rather than guessed at.
 */
export interface ReferenceProblem {
  kind: 'relation' | 'column' | 'function';
  name: string;
  /** Byte offset of the reference in the text that was parsed. */
  loc: number;
  message: string;
}

export interface ReferenceOptions {
  /** Schemas unqualified names resolve in, in order (default `public`). */
  searchPath?: string[];
  /** Names that are not columns: PL/pgSQL variables and parameters. */
  variables?: Set<string>;
  /**
   * Built-in relations and functions, and extensions' functions: given, pg_catalog's relations are known, and
   * unqualified calls and `pg_catalog.` ones are judged too (query files); absent, only schema-qualified calls into
   * schemas the migrations own.
   */
  known?: KnownNames;
}

/** Relations a scope can see: alias → its columns (undefined when unknown: a subquery, CTE, function). */
type Scope = Map<string, Set<string> | undefined>;

export function checkReferences(stmt: AstNode, model: SchemaModel, options: ReferenceOptions = {}): ReferenceProblem[] {
  const out: ReferenceProblem[] = [];
  const searchPath = options.searchPath ?? ['public'];
  const variables = options.variables ?? new Set<string>();
  const ctes = new Set<string>();

  const relation = (rv: AstNode): Table | 'unknown' | 'missing' => {
    const name: string = rv.relname;
    if (!rv.schemaname && (ctes.has(name) || options.known?.builtinRelation(name))) return 'unknown';
    const schemas = rv.schemaname ? [rv.schemaname as string] : searchPath;
    for (const s of schemas) {
      const key = keyOf(s, name);
      const t = model.tables.get(key);
      if (t) return t;
      if (model.views.has(key)) return 'unknown';
    }
    // Only schemas the migrations own are known well enough to call a name missing.
    const owned = schemas.filter((s) => model.schemas.has(s));
    if (owned.length === 0 || (!rv.schemaname && searchPath.some((s) => !model.schemas.has(s)))) return 'unknown';
    return 'missing';
  };

  const reportRelation = (rv: AstNode) => {
    const schema = rv.schemaname ?? searchPath.find((s) => model.schemas.has(s)) ?? 'public';
    const candidates = [...model.tables.values(), ...model.views.values()].filter((t) => t.schema === schema).map((t) => t.name);
    const near = closest(rv.relname, candidates);
    out.push({
      kind: 'relation', name: rangeVarKey(rv) ?? rv.relname, loc: rv.location ?? -1,
      message: `Relation "${rv.schemaname ? `${rv.schemaname}.` : ''}${rv.relname}" does not exist in the schema the migrations build${near ? `; did you mean "${near}"?` : '.'}`,
    });
  };

  /** Adds a FROM item to the scope, checking relations on the way. */
  const addFrom = (item: AstNode, scope: Scope, outer: Scope[]) => {
    if (item.RangeVar) {
      const rv = item.RangeVar;
      const r = relation(rv);
      if (r === 'missing') reportRelation(rv);
      const alias = rv.alias?.aliasname ?? rv.relname;
      scope.set(alias, typeof r === 'object' && !rv.alias?.colnames ? new Set(r.columns.keys()) : undefined);
    } else if (item.JoinExpr) {
      addFrom(item.JoinExpr.larg, scope, outer);
      addFrom(item.JoinExpr.rarg, scope, outer);
      if (item.JoinExpr.quals) expr(item.JoinExpr.quals, [scope, ...outer]);
    } else if (item.RangeSubselect) {
      visit(item.RangeSubselect.subquery, item.RangeSubselect.lateral ? [scope, ...outer] : outer);
      if (item.RangeSubselect.alias) scope.set(item.RangeSubselect.alias.aliasname, undefined);
      else scope.set('\0subquery', undefined);
    } else {
      // Function calls in FROM, table samples …: columns unknown.
      const alias = item.RangeFunction?.alias?.aliasname ?? '\0other';
      scope.set(alias, undefined);
      if (item.RangeFunction) expr(item.RangeFunction, [scope, ...outer]);
    }
  };

  /** Checks column references in an expression against the scopes (innermost first). */
  const expr = (node: AstNode | undefined, scopes: Scope[], aliases: Set<string> = new Set()) => {
    walkExpr(node, (n) => {
      if (n.SubLink) {
        if (n.SubLink.testexpr) expr(n.SubLink.testexpr, scopes, aliases);
        visit(n.SubLink.subselect, scopes);
        return false;
      }
      const ref = n.ColumnRef;
      if (ref) column(ref, scopes, aliases);
      return undefined;
    });
  };

  const column = (ref: AstNode, scopes: Scope[], aliases: Set<string>) => {
    const f = strings(ref.fields);
    if (f.length === 0 || (ref.fields ?? []).some((x: AstNode) => x.A_Star)) return;
    if (f.length === 1) {
      const col = f[0]!;
      if (variables.has(col) || aliases.has(col)) return;
      for (const scope of scopes) {
        for (const cols of scope.values()) if (!cols || cols.has(col)) return;
      }
      const all = scopes.flatMap((s) => [...s.values()].flatMap((c) => [...(c ?? [])]));
      if (all.length === 0) return;
      const near = closest(col, all);
      out.push({ kind: 'column', name: col, loc: ref.location ?? -1, message: `Column "${col}" does not exist in ${describeScopes(scopes)}${near ? `; did you mean "${near}"?` : '.'}` });
      return;
    }
    if (f.length !== 2) return;
    const [q, col] = f as [string, string];
    if (variables.has(q)) return; // a record variable's field
    for (const scope of scopes) {
      if (!scope.has(q)) continue;
      const cols = scope.get(q);
      if (!cols || cols.has(col)) return;
      const near = closest(col, [...cols]);
      out.push({ kind: 'column', name: `${q}.${col}`, loc: ref.location ?? -1, message: `Column "${col}" does not exist in "${q}"${near ? `; did you mean "${near}"?` : '.'}` });
      return;
    }
  };

  const describeScopes = (scopes: Scope[]) => {
    const names = [...scopes[0]!.keys()].filter((k) => !k.startsWith('\0'));
    return names.length === 1 ? `"${names[0]}"` : `any of ${names.map((n) => `"${n}"`).join(', ')}`;
  };

  const targetColumns = (table: Table | 'unknown' | 'missing', rv: AstNode, cols: AstNode[]) => {
    if (typeof table !== 'object') return;
    for (const c of cols) {
      const rt = c.ResTarget;
      if (!rt?.name || table.columns.has(rt.name)) continue;
      const near = closest(rt.name, [...table.columns.keys()]);
      out.push({ kind: 'column', name: rt.name, loc: rt.location ?? -1, message: `Column "${rt.name}" does not exist in "${rv.relname}"${near ? `; did you mean "${near}"?` : '.'}` });
    }
  };

  const withClause = (w: AstNode | undefined, outer: Scope[]) => {
    for (const c of w?.ctes ?? []) {
      const cte = c.CommonTableExpr;
      if (!cte) continue;
      ctes.add(cte.ctename);
      visit(cte.ctequery, outer);
    }
  };

  /** Visits one statement (or subquery) with the scopes around it. */
  const visit = (node: AstNode | undefined, outer: Scope[]): void => {
    if (!node) return;
    const s = node.SelectStmt;
    if (s) {
      withClause(s.withClause, outer);
      if (s.op && s.op !== 'SETOP_NONE') {
        visit({ SelectStmt: s.larg }, outer);
        visit({ SelectStmt: s.rarg }, outer);
        return;
      }
      const scope: Scope = new Map();
      for (const item of s.fromClause ?? []) addFrom(item, scope, outer);
      const scopes = [scope, ...outer];
      const aliases = new Set<string>((s.targetList ?? []).map((t: AstNode) => t.ResTarget?.name).filter(Boolean));
      for (const t of s.targetList ?? []) expr(t.ResTarget?.val, scopes);
      expr(s.whereClause, scopes);
      for (const g of s.groupClause ?? []) expr(g, scopes, aliases);
      expr(s.havingClause, scopes, aliases);
      for (const o of s.sortClause ?? []) expr(o.SortBy?.node, scopes, aliases);
      for (const v of s.valuesLists ?? []) expr(v, outer);
      return;
    }
    const u = node.UpdateStmt;
    if (u) {
      withClause(u.withClause, outer);
      const table = relation(u.relation);
      if (table === 'missing') return reportRelation(u.relation);
      const scope: Scope = new Map([[u.relation.alias?.aliasname ?? u.relation.relname, typeof table === 'object' ? new Set(table.columns.keys()) : undefined]]);
      for (const item of u.fromClause ?? []) addFrom(item, scope, outer);
      targetColumns(table, u.relation, u.targetList ?? []);
      for (const t of u.targetList ?? []) expr(t.ResTarget?.val, [scope, ...outer]);
      expr(u.whereClause, [scope, ...outer]);
      return;
    }
    const i = node.InsertStmt;
    if (i) {
      withClause(i.withClause, outer);
      const table = relation(i.relation);
      if (table === 'missing') return reportRelation(i.relation);
      targetColumns(table, i.relation, i.cols ?? []);
      visit(i.selectStmt, outer);
      return;
    }
    const d = node.DeleteStmt;
    if (d) {
      withClause(d.withClause, outer);
      const table = relation(d.relation);
      if (table === 'missing') return reportRelation(d.relation);
      const scope: Scope = new Map([[d.relation.alias?.aliasname ?? d.relation.relname, typeof table === 'object' ? new Set(table.columns.keys()) : undefined]]);
      for (const item of d.usingClause ?? []) addFrom(item, scope, outer);
      expr(d.whereClause, [scope, ...outer]);
    }
  };

  visit(stmt, []);
  functions(stmt, model, out, options.known);
  return out;
}

/**
 * False only when no statement parsed from `sql` can give `checkReferences` anything to report, so the caller may
 * skip parsing it (most PL/pgSQL bodies: `new.updated_at := now(); return new;`). A relation or column problem
 * needs a table in scope, which only FROM, INTO, UPDATE or TABLE bring; a function problem needs a call qualified
 * with a schema the migrations own, whose name then appears in the text (U&"…" names are not read: parse those).
 * Keep it in step with what `checkReferences` reports without `known` (how the function-body rule calls it).
 */
export function mayHaveReferenceProblems(sql: string, model: Pick<SchemaModel, 'schemas'>): boolean {
  if (/\b(?:from|into|update|table)\b|u&["']/i.test(sql)) return true;
  const lower = sql.toLowerCase();
  for (const schema of model.schemas) {
    const s = schema.toLowerCase();
    if (s !== 'pg_catalog' && (lower.includes(s) || lower.includes(s.replace(/"/g, '""')))) return true;
  }
  return false;
}

/**
 * Calls to functions nobody creates: schema-qualified ones into a schema the migrations own; with `known`, also
 * unqualified ones (neither built in, nor created by a migration in any schema, nor by a known extension) and
 * `pg_catalog.` ones. Calls the grammar writes as functions (`extract(… from …)`, `at time zone`) are PostgreSQL's.
 */
function functions(stmt: AstNode, model: SchemaModel, out: ReferenceProblem[], known?: KnownNames): void {
  walkExpr(stmt, (n) => {
    const fc = n.FuncCall;
    if (!fc || fc.funcformat === 'COERCE_SQL_SYNTAX') return undefined;
    const name = strings(fc.funcname);
    const loc = fc.location ?? -1;
    if (name.length === 1) {
      const fn = name[0]!;
      if (!known?.judgeUnqualified || known.has(fn)) return undefined;
      const near = closest(fn, known.suggestions());
      out.push({ kind: 'function', name: fn, loc, message: `Function ${fn}() is neither built into PostgreSQL nor created by any migration or extension${near ? `; did you mean ${near}()?` : '.'}` });
      return undefined;
    }
    if (name.length !== 2) return undefined;
    const [schema, fn] = name as [string, string];
    if (known && (schema === 'pg_catalog' || model.schemas.has(schema))) {
      if (known.hasQualified(schema, fn) !== false) return undefined;
    } else {
      if (!model.schemas.has(schema) || schema === 'pg_catalog') return undefined;
      if ([...model.functions.values()].some((f) => f.schema === schema && f.name === fn)) return undefined;
    }
    const candidates = schema === 'pg_catalog' ? known!.suggestions() : [...model.functions.values()].filter((f) => f.schema === schema).map((f) => f.name);
    const near = closest(fn, candidates);
    const where = schema === 'pg_catalog' ? 'is not built into PostgreSQL' : 'is not created by any migration';
    out.push({ kind: 'function', name: `${schema}.${fn}`, loc, message: `Function ${schema}.${fn}() ${where}${near ? `; did you mean ${schema}.${near}()?` : '.'}` });
    return undefined;
  });
}

/** Walks a parse tree (depth first); `visit` returning false skips a node's children. */
function walkExpr(node: unknown, visit: (n: AstNode) => boolean | undefined): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) walkExpr(x, visit);
    return;
  }
  if (visit(node as AstNode) === false) return;
  for (const v of Object.values(node as AstNode)) if (v && typeof v === 'object') walkExpr(v, visit);
}

/** The candidate nearest to `name` by edit distance, when it is close enough to be a typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const max = Math.max(1, Math.floor(name.length / 3));
  for (const c of candidates) {
    if (c === name) continue;
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= max ? best : undefined;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  // Optimal string alignment: insertions, deletions, substitutions and adjacent transpositions ("titel") cost 1.
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j]!, before[j - 2]! + 1);
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length]!;
}
