import type { Rule } from '../rule';
import { finding } from '../rule';
import { maskLiterals, insertAt } from '../fixes';
import type { Finding } from '../types';
import { plpgsqlOf, type AstNode } from '../../sql/parse';
import { walk } from '../../schema/walk';

function runsDynamicSql(tree: AstNode | null): boolean {
  let found = false;
  walk(tree, (n) => {
    if (n.PLpgSQL_stmt_dynexecute || n.PLpgSQL_stmt_dynfors) found = true;
    return found ? false : undefined;
  });
  return found;
}

export const rule: Rule = {
  id: 'security-definer-search-path',
  severity: 'warning',
  category: 'security',
  summary: 'SECURITY DEFINER function without a fixed search_path',
  docs: `## security-definer-search-path

**What it finds:** a \`SECURITY DEFINER\` function that does not set its own \`search_path\`.

**Why it matters:** the function runs with its owner's privileges but resolves unqualified names through
the caller's \`search_path\`. A caller who can create objects in a schema on that path can shadow a table or
function the body uses and run code as the owner.

**How to fix:** pin the path (empty is safest; then qualify every name in the body).
\`\`\`sql
create or replace function public.is_org_member(org uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$ select exists (select 1 from public.memberships m where m.organization_id = org and m.user_id = (select auth.uid())) $$;
\`\`\`

**Peers:** splinter 0011 (\`function_search_path_mutable\`).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const fn of ctx.model.functions.values()) {
      if (!fn.securityDefiner || fn.searchPath !== undefined) continue;
      const stmt = fn.origin.stmt;
      const file = ctx.file(fn.origin.file);
      if (!file) continue;
      const fixes = [];
      if (stmt.kind === 'CreateFunctionStmt') {
        const m = /\bsecurity\s+definer\b/i.exec(maskLiterals(stmt.text));
        if (m) {
          const pos = file.lines.positionAt(stmt.offset + m.index + m[0].length);
          fixes.push({ title: "Add SET search_path = ''", edits: [{ file: file.path, edits: [insertAt(pos, "\nset search_path = ''")] }], isPreferred: true });
        }
      }
      const nameAt = /\bfunction\s+([^\s(]+)/i.exec(maskLiterals(stmt.text));
      const range = nameAt ? file.lines.range(stmt.offset + nameAt.index + nameAt[0].length - nameAt[1]!.length, stmt.offset + nameAt.index + nameAt[0].length) : fn.origin.range;
      // PL/pgSQL bodies are parsed to see whether the function also runs dynamic SQL, which makes it worse.
      const dynamic = runsDynamicSql(plpgsqlOf(stmt));
      out.push(
        finding(rule, fn.origin.file, range,
          `SECURITY DEFINER function ${fn.schema}.${fn.name} does not set search_path: callers can shadow the objects it uses and run code with its owner's rights. Add SET search_path = ''.` +
            (dynamic ? ' It also runs dynamic SQL (EXECUTE): quote every identifier with format(\'%I\') and pass values with USING.' : ''),
          { fixes }),
      );
    }
    return out;
  },
};
