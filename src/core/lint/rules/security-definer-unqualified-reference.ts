import type { Rule } from '../rule';
import { finding } from '../rule';
import { functionBodies, isSecurityDefiner } from '../plpgsql';
import { strings } from '../../schema/names';
import type { AstNode } from '../../sql/parse';
import type { Finding } from '../types';

/** Unqualified relations (and calls to functions the migrations define) in a parsed statement, with locations. */
function unqualified(tree: AstNode | undefined, userFunctions: Set<string>, locals: Set<string>): { name: string; loc: number }[] {
  const out: { name: string; loc: number }[] = [];
  const ctes = new Set<string>();
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const node = n as AstNode;
    for (const c of node.withClause?.ctes ?? []) if (c.CommonTableExpr?.ctename) ctes.add(c.CommonTableExpr.ctename);
    const rv = node.RangeVar ?? (node.relname !== undefined && node.inh !== undefined ? node : undefined);
    if (rv?.relname && !rv.schemaname && !ctes.has(rv.relname) && !locals.has(rv.relname)) out.push({ name: rv.relname, loc: rv.location ?? -1 });
    if (node.FuncCall) {
      const name = strings(node.FuncCall.funcname);
      if (name.length === 1 && userFunctions.has(name[0]!)) out.push({ name: `${name[0]}()`, loc: node.FuncCall.location ?? -1 });
    }
    for (const v of Object.values(node)) if (v && typeof v === 'object') visit(v);
  };
  visit(tree);
  return out;
}

export const rule: Rule = {
  id: 'security-definer-unqualified-reference',
  severity: 'warning',
  category: 'security',
  summary: 'A SECURITY DEFINER function with a mutable search_path names tables or functions without their schema',
  docs: `## security-definer-unqualified-reference

**What it finds:** in a \`SECURITY DEFINER\` function (PL/pgSQL or SQL) that does not fix its \`search_path\`, the body's
references to tables and to the migrations' own functions without a schema (\`from profiles\` instead of
\`from public.profiles\`). One finding per function, at the first such reference.

**Why it matters:** the body resolves names through the *caller's* search_path, while running with the owner's
rights. A caller who can create objects in a schema searched earlier (or a temporary table: \`pg_temp\` is searched
first for relations) substitutes their own \`profiles\` and reads or writes through the owner's privileges.

**How to fix:** pin the search_path on the function and qualify names.
\`\`\`sql
create function public.is_member(org bigint) returns boolean
  language sql security definer set search_path = '' stable
as $$ select exists (select 1 from public.memberships m where m.org_id = org and m.user_id = auth.uid()) $$;
\`\`\`

**Peers:** splinter 0011 (\`function_search_path_mutable\`) reports the missing search_path (ours:
\`security-definer-search-path\`); this rule shows which names in the body are exposed. squawk and the Postgres
Language Server have no counterpart.`,
  check(ctx) {
    const out: Finding[] = [];
    const userFunctions = new Set([...ctx.model.functions.values()].map((f) => f.name));
    for (const fn of functionBodies(ctx, isSecurityDefiner)) {
      if (!fn.securityDefiner || fn.searchPath !== undefined) continue;
      const refs = fn.exprs.flatMap((e) => unqualified(e.tree, userFunctions, fn.variables).map((r) => ({ ...r, e })));
      if (refs.length === 0) continue;
      const names = [...new Set(refs.map((r) => r.name))];
      out.push(finding(rule, fn.file.path, refs[0]!.e.range(refs[0]!.loc),
        `SECURITY DEFINER function ${fn.name} has no fixed search_path and names ${names.slice(0, 4).map((n) => `"${n}"`).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''} without a schema: a caller's search_path decides what they are. Add SET search_path = '' and qualify them.`));
    }
    return out;
  },
};
