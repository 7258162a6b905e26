import type { AstNode, ParsedFile, Statement } from '../sql/parse';
import { locOffset } from '../sql/parse';
import type { Table } from '../schema/model';
import { DEFAULT_SCHEMA, sqlName, quoteIdent, nameOf, schemaOf, strings } from '../schema/names';
import { createIndexSql as indexSql } from '../sql/ddl';
import { basename } from 'node:path';
import { memoByNode, walk } from '../schema/walk';
import { isNewestMigration, maskLiterals, ownMigration, placeSql } from './fixes';
import { fileFlow } from './flow';
import { finding, statementsOf, type RuleContext, type RuleMeta } from './rule';
export { hasLeadingIndex, hasPolicies, rlsCovers } from '../schema/queries';
import type { Finding, Fix } from './types';
import { replaceOffsets } from './fixes';
import { identRange } from '../schema/geometry';
import { typeRefOf } from '../schema/readers';
import type { TypeRef } from '../schema/model';

/** Shared SQL facts the rules ask about. */

export { memoByNode } from '../schema/walk';
export { filteredColumns } from '../schema/policyColumns';

/** The roles Supabase's API uses for requests; `public` means every role. */
export const API_ROLES = new Set(['anon', 'authenticated', 'public']);

/** auth.uid(), auth.jwt(), auth.role(), auth.email() and current_setting(): cheap once, costly per row. */
export function isAuthCall(fc: AstNode): boolean {
  const name = strings(fc.funcname);
  const fn = name[name.length - 1];
  const schema = name.length > 1 ? name[name.length - 2] : undefined;
  if (schema === 'auth') return fn === 'uid' || fn === 'jwt' || fn === 'role' || fn === 'email';
  return fn === 'current_setting' && (schema === undefined || schema === 'pg_catalog');
}

export function funcDisplayName(fc: AstNode): string {
  return strings(fc.funcname).join('.');
}

/** Auth calls in an expression that are not wrapped in a scalar subquery (so they run once per row). */
export function perRowAuthCalls(expr: AstNode | undefined): AstNode[] {
  return perRowAuthCallsMemo(expr, []);
}
const perRowAuthCallsMemo = memoByNode((expr) => {
  const out: AstNode[] = [];
  walk(expr, (node) => {
    if (node.SubLink) return false;
    if (node.FuncCall && isAuthCall(node.FuncCall)) {
      out.push(node.FuncCall);
      return false; // its arguments are evaluated with it
    }
    return undefined;
  });
  return out;
});

/** `true`, `1 = 1`, `'a' = 'a'`, `true::boolean`, or no expression at all. */
export function isAlwaysTrue(expr: AstNode | undefined): boolean {
  if (!expr) return true;
  if (expr.A_Const?.boolval?.boolval === true) return true;
  if (expr.TypeCast) {
    const v = expr.TypeCast.arg?.A_Const;
    if (v?.boolval?.boolval === true) return true;
    if (typeof v?.sval?.sval === 'string' && ['t', 'true', 'yes', 'on', '1'].includes(v.sval.sval.toLowerCase())) return true;
  }
  const a = expr.A_Expr;
  if (a && a.kind === 'AEXPR_OP' && strings(a.name).join() === '=' && a.lexpr?.A_Const && a.rexpr?.A_Const) {
    const strip = (c: AstNode) => JSON.stringify({ ...c, location: 0 });
    return strip(a.lexpr.A_Const) === strip(a.rexpr.A_Const);
  }
  const b = expr.BoolExpr;
  if (b?.boolop === 'OR_EXPR') return (b.args ?? []).some((x: AstNode) => isAlwaysTrue(x));
  if (b?.boolop === 'AND_EXPR') return (b.args ?? []).every((x: AstNode) => isAlwaysTrue(x));
  return false;
}

/** The analyzer's index fix for a table key (`schema.name`; `public` left implicit), written by core/sql/ddl. */
export function createIndexSql(table: string, columns: string[], opts: { concurrently: boolean; method?: string; opclass?: string }): string {
  const schema = schemaOf(table);
  return indexSql({ schema: schema === DEFAULT_SCHEMA ? null : schema, table: nameOf(table), columns, ifNotExists: true, ...opts });
}

/** The column that most likely holds the owning user, for a starter policy. */
export function ownerColumn(table: Table): string | undefined {
  for (const c of ['user_id', 'owner_id', 'profile_id', 'author_id', 'created_by', 'account_id']) if (table.columns.has(c)) return c;
  // profiles-style tables: the primary key references auth.users.
  const fk = table.constraints.find((c) => c.kind === 'foreign' && c.refTable === 'auth.users' && c.columns.length === 1);
  return fk?.columns[0];
}

/**
 * A name for SQL written the way `stmt` writes names: `public.notes` when the statement qualifies its
 * `public` names, `notes` otherwise (other schemas are always qualified). Fixes follow the project's style.
 */
export function sqlNameLike(key: string, stmt: Statement | undefined): string {
  const dot = key.indexOf('.');
  const schema = key.slice(0, dot);
  if (schema !== DEFAULT_SCHEMA || !stmt) return sqlName(key);
  const qualifies = new RegExp(`(^|[^\\w$."])${schema}\\s*\\.\\s*[\\w"]`, 'i').test(maskLiterals(stmt.text));
  return qualifies ? `${quoteIdent(schema)}.${quoteIdent(key.slice(dot + 1))}` : sqlName(key);
}

/**
 * The table as its CREATE statement named it, and what it became: `public.comments (renamed to
 * document_comments in 20240115000000_cleanup.sql)`. Findings on the CREATE read true in that file.
 */
export function tableNameAtOrigin(table: Table): string {
  const first = table.renames?.[0];
  const written = sqlNameLike(first?.from ?? table.key, table.origin.stmt);
  const last = table.renames?.[table.renames.length - 1];
  return last ? `${written} (renamed to ${sqlName(last.to)} in ${basename(last.origin.file)})` : written;
}

export function enableRlsSql(table: Table): string {
  const name = sqlNameLike(table.key, table.origin.stmt);
  const owner = ownerColumn(table);
  const policy = owner
    ? `-- Starter policy: each user manages their own rows. Adjust who may read and write before shipping.\n` +
      `create policy "Owners manage their ${table.name}" on ${name}\n  for all to authenticated\n` +
      `  using ((select auth.uid()) = ${quoteIdent(owner)})\n  with check ((select auth.uid()) = ${quoteIdent(owner)});`
    : `-- Starter policy: signed-in users may read. Replace the condition with your own access rule.\n` +
      `create policy "Signed-in users can read ${table.name}" on ${name}\n  for select to authenticated\n  using (true);`;
  return `alter table ${name} enable row level security;\n\n${policy}`;
}



/**
 * UTF-16 [start, end) in the file of the type name written at `typeLoc` in `stmt`, matched by `re`
 * (anchored at the type); undefined when the text there does not match.
 */
export function typeSpan(file: ParsedFile, stmt: Statement, typeLoc: number | undefined, re: RegExp): { start: number; end: number; match: RegExpExecArray } | undefined {
  if (typeLoc === undefined || typeLoc < 0) return undefined;
  const start = locOffset(stmt, typeLoc);
  const masked = maskLiterals(file.text.slice(start, start + 80));
  const m = re.exec(masked);
  if (!m || m.index !== 0) return undefined;
  return { start, end: start + m[0].length, match: m };
}

/** Column definitions a statement introduces (CREATE TABLE columns, ALTER TABLE ADD COLUMN / ALTER TYPE). */
export function* columnDefsOf(stmt: Statement): Generator<{ def: AstNode; table: string | undefined; via: 'create' | 'add' | 'alter-type' }> {
  const n = stmt.node;
  const table = n.relation?.relname ? `${n.relation.schemaname ?? 'public'}.${n.relation.relname}` : undefined;
  if (stmt.kind === 'CreateStmt') {
    for (const e of n.tableElts ?? []) if (e.ColumnDef) yield { def: e.ColumnDef, table, via: 'create' };
  } else if (stmt.kind === 'AlterTableStmt' && (n.objtype ?? 'OBJECT_TABLE') === 'OBJECT_TABLE') {
    for (const c of n.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      if (cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) yield { def: cmd.def.ColumnDef, table, via: 'add' };
      if (cmd?.subtype === 'AT_AlterColumnType' && cmd.def?.ColumnDef) yield { def: { ...cmd.def.ColumnDef, colname: cmd.name }, table, via: 'alter-type' };
    }
  }
}

/** ALTER TABLE sub-commands of a statement, with the table key. */
export function alterCmds(stmt: Statement): AstNode[] {
  if (stmt.kind !== 'AlterTableStmt' || (stmt.node.objtype ?? 'OBJECT_TABLE') !== 'OBJECT_TABLE') return [];
  return (stmt.node.cmds ?? []).map((c: AstNode) => c.AlterTableCmd ?? {});
}

/** The table existed before this migration file (so locks and rewrites hit live data). */
export const existedBefore = (state: string | undefined): boolean => state === 'existing' || state === 'unknown';

/**
 * Each ALTER TABLE command of one subtype (`AT_AddColumn`, `AT_DropColumn`, …) on a table that existed before
 * its migration file: the changes that lock or rewrite live data, which the migration-safety rules judge.
 */
export function alterationsOfExistingTables(ctx: RuleContext, subtype: string) {
  return statementsOf(ctx, 'AlterTableStmt')
    .filter(({ facts }) => existedBefore(facts.tableState))
    .flatMap((s) => alterCmds(s.stmt).filter((cmd) => cmd.subtype === subtype).map((cmd) => ({ ...s, cmd })));
}

/**
 * A fix creating an index: in place when the anchor's file is the newest migration, else a new one (CONCURRENTLY
 * when the table already exists there). A concurrent build is never added to a file its migration tool runs as
 * one transaction (PostgreSQL refuses it there): it goes into a migration of its own.
 */
export function indexFix(
  ctx: RuleContext, table: Table, anchor: Statement, columns: string[], opts: { method?: string; opclass?: string } = {},
): Fix {
  const newest = isNewestMigration(ctx, anchor.file);
  const concurrently = !(newest && anchor.file === table.origin.file);
  const file = ctx.file(anchor.file);
  const inTransaction = Boolean(file && fileFlow(ctx.config, file).mode !== 'none');
  const sql = createIndexSql(table.key, columns, { concurrently, ...opts });
  const title = `Create ${opts.method && opts.method !== 'btree' ? `an ${opts.method.toUpperCase()}` : 'an'} index on ${sqlName(table.key)} (${columns.join(', ')})`;
  const slug = `index_${table.name}_${columns.join('_')}`;
  return concurrently && newest && inTransaction ? ownMigration(ctx, anchor.file, sql, title, slug) : placeSql(ctx, anchor, sql, title, slug);
}

/** One column whose written type a type-preference rule wants to change. */
export interface TypeAdvice {
  message: string;
  /** Matches the type as written, anchored at its start (for the fix's range). */
  written: RegExp;
  /** Replacement text for the match; no fix when absent. */
  replacement?: (m: RegExpExecArray) => string;
  fixTitle?: string;
}

interface ColumnDefSite {
  stmt: Statement;
  def: AstNode;
  table: string | undefined;
}

/** Every column definition (CREATE TABLE, ADD COLUMN, ALTER TYPE) of the wanted files; lists cached per parsed file. */
function columnDefSites(ctx: RuleContext): ColumnDefSite[] {
  const out: ColumnDefSite[] = [];
  for (const file of ctx.files) {
    if (!ctx.wants(file.path)) continue;
    let list = fileDefs.get(file);
    if (!list) {
      list = [];
      for (const stmt of file.statements) {
        if (stmt.kind !== 'CreateStmt' && stmt.kind !== 'AlterTableStmt') continue;
        for (const { def, table } of statementDefs(stmt)) list.push({ stmt, def, table });
      }
      fileDefs.set(file, list);
    }
    for (const site of list) out.push(site);
  }
  return out;
}
const fileDefs = new WeakMap<ParsedFile, ColumnDefSite[]>();
const defsCache = new WeakMap<AstNode, { def: AstNode; table: string | undefined }[]>();
function statementDefs(stmt: Statement): { def: AstNode; table: string | undefined }[] {
  let d = defsCache.get(stmt.node);
  if (!d) defsCache.set(stmt.node, (d = [...columnDefsOf(stmt)].map(({ def, table }) => ({ def, table }))));
  return d;
}

/** Runs a type-preference check over every column definition in every statement. */
export function checkColumnTypes(
  ctx: RuleContext,
  meta: RuleMeta,
  advise: (type: TypeRef, def: AstNode, table: Table | undefined) => TypeAdvice | undefined,
): Finding[] {
  const out: Finding[] = [];
  for (const { stmt, def, table } of columnDefSites(ctx)) {
    if (!def.typeName) continue;
    const advice = advise(typeRefOf(def.typeName), def, table ? ctx.model.tables.get(table) : undefined);
    if (!advice) continue;
    const file = ctx.file(stmt.file)!;
    const span = typeSpan(file, stmt, def.typeName.location, advice.written);
    const range = span ? file.lines.range(span.start, span.end) : identRange(file, stmt, def.location);
    const fixes: Fix[] =
      span && advice.replacement
        ? [{ title: advice.fixTitle ?? `Use ${advice.replacement(span.match)}`, edits: [{ file: file.path, edits: [replaceOffsets(file, span.start, span.end, advice.replacement(span.match))] }], isPreferred: true }]
        : [];
    out.push(finding(meta, file.path, range, advice.message.replace('{column}', `"${def.colname}"`), { fixes }));
  }
  return out;
}
