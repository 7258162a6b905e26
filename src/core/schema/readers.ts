import type { AstNode } from '../sql/parse';
import type { TypeRef } from './model';
import { qualifiedKey, rangeVarKey, strings } from './names';
import { walk } from './walk';

/** Readers of libpg-query parse trees: what a node names, reads or sets, without touching the model. */

const typeRefs = new WeakMap<AstNode, TypeRef>();
/** The type a TypeName node names (memoised per node: parse trees are shared across rebuilds). Treat as read-only. */
export function typeRefOf(tn: AstNode | undefined): TypeRef {
  if (!tn) return computeTypeRef(tn);
  let t = typeRefs.get(tn);
  if (!t) typeRefs.set(tn, (t = computeTypeRef(tn)));
  return t;
}

function computeTypeRef(tn: AstNode | undefined): TypeRef {
  const names = strings(tn?.names);
  const name = names[names.length - 1] ?? 'unknown';
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const mods = (tn?.typmods ?? []).map((m: AstNode) => m.A_Const?.ival?.ival ?? 0);
  return { name, ...(schema && schema !== 'pg_catalog' ? { schema } : {}), mods, array: Boolean(tn?.arrayBounds), loc: tn?.location };
}

export function defaultIndexName(table: string, n: AstNode): string {
  const cols = (n.indexParams ?? []).map((p: AstNode) => p.IndexElem?.name ?? 'expr').join('_');
  return `${table}_${cols}_${n.unique ? 'key' : 'idx'}`;
}

export function roleNames(roles: AstNode[] | undefined): string[] {
  const out = (roles ?? []).map((r) => {
    const spec = r.RoleSpec ?? {};
    if (spec.roletype === 'ROLESPEC_PUBLIC') return 'public';
    if (spec.roletype === 'ROLESPEC_CURRENT_USER') return 'current_user';
    if (spec.roletype === 'ROLESPEC_SESSION_USER') return 'session_user';
    if (spec.roletype === 'ROLESPEC_CURRENT_ROLE') return 'current_role';
    return spec.rolename as string;
  });
  return out.length > 0 ? out : ['public'];
}

export function optionOn(options: AstNode[] | undefined, name: string): boolean {
  const d = (options ?? []).find((o) => o.DefElem?.defname === name)?.DefElem;
  if (!d) return false;
  if (!d.arg) return true;
  const v = d.arg.String?.sval ?? d.arg.Boolean?.boolval ?? d.arg.Integer?.ival;
  return v === true || v === 1 || (typeof v === 'string' && ['on', 'true', 'yes', '1'].includes(v.toLowerCase()));
}

/** Keys of the tables and views a query reads (FROM clauses, joins, subqueries, CTE bodies minus CTE names). */
export function relationsRead(query: AstNode | undefined): string[] {
  if (!query) return [];
  let r = readsCache.get(query);
  if (!r) readsCache.set(query, (r = computeRelationsRead(query)));
  return r;
}

const readsCache = new WeakMap<AstNode, string[]>();
function computeRelationsRead(query: AstNode): string[] {
  const out = new Set<string>();
  const ctes = new Set<string>();
  walk(query, (node) => {
    if (node.CommonTableExpr?.ctename) ctes.add(node.CommonTableExpr.ctename);
    if (node.RangeVar) {
      const rv = node.RangeVar;
      if (!rv.schemaname && ctes.has(rv.relname)) return;
      out.add(rangeVarKey(rv)!);
    }
  });
  return [...out];
}

export function functionKey(name: AstNode[] | undefined, args: AstNode[] | undefined): string | undefined {
  const q = qualifiedKey(name);
  if (!q || !args) return q && `${q}()`;
  return `${q}(${args.map((a) => typeRefOf(a.TypeName ?? a).name).join(',')})`;
}

