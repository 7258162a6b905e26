import type { Rule } from '../rule';
import { finding } from '../rule';
import { closingParen, replaceOffsets } from '../fixes';
import { funcDisplayName, perRowAuthCalls } from '../helpers';
import { locOffset, type AstNode } from '../../sql/parse';
import type { Origin, Policy } from '../../schema/model';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

/** The statement that wrote an expression of the policy (its CREATE, or the ALTER that replaced it). */
function ownerOf(p: Policy, expr: AstNode): Origin {
  const alt = p.changedIn;
  if (alt && (alt.stmt.node.qual === expr || alt.stmt.node.with_check === expr)) return alt;
  return p.origin;
}

export const rule: Rule = {
  id: 'auth-function-per-row',
  severity: 'warning',
  category: 'performance',
  summary: 'auth.uid() / auth.jwt() / current_setting() called per row in a policy; wrap it in (select …)',
  docs: `## auth-function-per-row

**What it finds:** \`auth.uid()\`, \`auth.jwt()\`, \`auth.role()\`, \`auth.email()\` or \`current_setting()\` called
directly in a policy's USING or WITH CHECK expression.

**Why it matters:** written directly, the function is evaluated for every row the query scans. Wrapped in a
scalar subquery, PostgreSQL evaluates it once per statement (an initPlan) and can use an index on the
compared column. On large tables this is the difference between milliseconds and seconds.

**How to fix:**
\`\`\`sql
-- before
using (auth.uid() = user_id)
-- after
using ((select auth.uid()) = user_id)
\`\`\`

**Peers:** splinter 0003 (\`auth_rls_initplan\`, the Supabase advisor's "Auth RLS Initialization Plan"); squawk and the Postgres Language Server have no counterpart.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const policies of ctx.model.policies.values()) {
      for (const p of policies) {
        for (const expr of [p.using, p.withCheck]) {
          if (!expr) continue;
          const at = ownerOf(p, expr);
          if (!ctx.wants(at.file)) continue;
          const file = ctx.file(at.file);
          if (!file) continue;
          for (const fc of perRowAuthCalls(expr)) {
            const start = locOffset(at.stmt, fc.location);
            const local = start - at.stmt.offset;
            const localEnd = closingParen(at.stmt.text, local);
            if (localEnd < 0) continue;
            const end = at.stmt.offset + localEnd;
            const call = file.text.slice(start, end);
            out.push(
              finding(rule, at.file, file.lines.range(start, end),
                `${funcDisplayName(fc)}() in policy "${p.name}" on ${sqlName(p.table)} runs once per row; write (select ${call}) so it runs once per query.`,
                { fixes: [{ title: `Wrap in (select ${call})`, edits: [{ file: at.file, edits: [replaceOffsets(file, start, end, `(select ${call})`)] }], isPreferred: true }] }),
            );
          }
        }
      }
    }
    return out;
  },
};
