import type { Rule } from '../rule';
import { finding } from '../rule';
import { functionBodies, isSecurityDefiner, type FunctionBody } from '../plpgsql';
import { strings } from '../../schema/names';
import type { AstNode } from '../../sql/parse';
import type { Finding } from '../types';

/** Calls that make a value safe to splice into SQL text. */
const QUOTING = new Set(['quote_ident', 'quote_literal', 'quote_nullable']);
/** Statements that run a string as SQL. */
const DYNAMIC = new Set(['PLpgSQL_stmt_dynexecute', 'PLpgSQL_stmt_dynfors', 'PLpgSQL_stmt_return_query', 'PLpgSQL_stmt_open']);

/**
 * The first reference to a tainted name that reaches the SQL text unquoted: directly, through `||`/concat(), or
 * through format()'s %s. quote_ident/quote_literal, format's %I/%L and casts to regclass quote it.
 */
function unsafeUse(expr: AstNode | undefined, tainted: Set<string>): { name: string; loc: number } | undefined {
  let hit: { name: string; loc: number } | undefined;
  const visit = (n: unknown): void => {
    if (hit || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const node = n as AstNode;
    if (node.FuncCall) {
      const fn = strings(node.FuncCall.funcname).pop() ?? '';
      if (QUOTING.has(fn)) return;
      if (fn === 'format') {
        const [fmt, ...args] = node.FuncCall.args ?? [];
        const spec: string | undefined = fmt?.A_Const?.sval?.sval;
        // Only %s splices text raw; with a literal format string without %s every argument is quoted.
        if (spec !== undefined && !/%(\d+\$)?-?\d*s/.test(spec)) return;
        return args.forEach(visit);
      }
    }
    if (node.TypeCast && strings(node.TypeCast.typeName?.names).pop() === 'regclass') return;
    if (node.SubLink) return;
    const ref = node.ColumnRef;
    if (ref) {
      const f = strings(ref.fields);
      if (f.length === 1 && tainted.has(f[0]!)) hit = { name: f[0]!, loc: ref.location ?? -1 };
      return;
    }
    const param = node.ParamRef;
    if (param && tainted.has(`$${param.number}`)) {
      hit = { name: `$${param.number}`, loc: param.location ?? -1 };
      return;
    }
    Object.values(node).forEach(visit);
  };
  visit(expr);
  return hit;
}

/** The select-list expression of a `SELECT <expr>` wrapper. */
const valueOf = (tree: AstNode | undefined) => tree?.SelectStmt?.targetList?.[0]?.ResTarget?.val;

export function dynamicSqlFindings(fn: FunctionBody): { range: ReturnType<FunctionBody['exprs'][number]['range']>; name: string; via?: string }[] {
  const tainted = new Set(fn.params);
  const out: { range: ReturnType<FunctionBody['exprs'][number]['range']>; name: string; via?: string }[] = [];
  const via = new Map<string, string>();
  for (const e of fn.exprs) {
    const value = valueOf(e.tree);
    if (e.assigns && !DYNAMIC.has(e.kind)) {
      // A variable built from a parameter without quoting carries the taint into a later EXECUTE.
      const hit = unsafeUse(value, tainted);
      if (hit) {
        tainted.add(e.assigns);
        via.set(e.assigns, via.get(hit.name) ?? hit.name);
      }
      continue;
    }
    // The SQL text only: values passed with USING are parameters, never spliced.
    if (!DYNAMIC.has(e.kind) || !value || (e.field !== 'query' && e.field !== 'dynquery')) continue;
    const hit = unsafeUse(value, tainted);
    if (hit) out.push({ range: e.range(hit.loc), name: hit.name, ...(via.has(hit.name) ? { via: via.get(hit.name)! } : {}) });
  }
  return out;
}

export const rule: Rule = {
  id: 'security-definer-dynamic-sql',
  severity: 'error',
  category: 'security',
  summary: 'A SECURITY DEFINER function builds dynamic SQL from its parameters without quoting (SQL injection)',
  docs: `## security-definer-dynamic-sql

**What it finds:** in a PL/pgSQL function declared \`SECURITY DEFINER\`, an \`EXECUTE\` (also \`RETURN QUERY EXECUTE\`,
\`FOR … IN EXECUTE\`, \`OPEN … FOR EXECUTE\`) whose SQL text includes a parameter, or a variable built from one, without
quoting: by \`||\`, \`concat()\`, or \`format()\`'s \`%s\`. Checked offline with PostgreSQL's own PL/pgSQL parser.

**Why it matters:** the function runs with its owner's rights (usually a superuser-like role on Supabase), and on
Supabase every function in an exposed schema can be called through the API (\`/rpc/…\`). A caller who passes
\`x; drop table users; --\` gets it executed with those rights.

**How to fix:** pass values as parameters with \`USING\`, and identifiers through \`format('%I', …)\` (or
\`quote_ident\`); literals through \`%L\`.
\`\`\`sql
-- before
execute 'delete from ' || tbl || ' where id = ' || id_value;
-- after
execute format('delete from %I where id = $1', tbl) using id_value;
\`\`\`

**Peers:** none: squawk, the Postgres Language Server and splinter do not look inside function bodies for this
(PGLS's \`plpgsql_check\` integration needs a live database). Related: splinter 0028/0029 (SECURITY DEFINER functions
executable by \`anon\`/\`authenticated\`).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const fn of functionBodies(ctx, isSecurityDefiner)) {
      if (!fn.securityDefiner || fn.language !== 'plpgsql') continue;
      for (const f of dynamicSqlFindings(fn)) {
        out.push(finding(rule, fn.file.path, f.range,
          `SECURITY DEFINER function ${fn.name} runs dynamic SQL built from ${f.via ? `"${f.name}" (from parameter "${f.via}")` : `parameter "${f.name}"`} without quoting: SQL injection with the owner's rights. Use format('%I', …) for identifiers and EXECUTE … USING for values.`));
      }
    }
    return out;
  },
};
