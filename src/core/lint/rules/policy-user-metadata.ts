import type { Rule } from '../rule';
import { finding } from '../rule';
import { walk } from '../../schema/walk';
import { strings, sqlName } from '../../schema/names';
import type { AstNode } from '../../sql/parse';
import { memoByNode } from '../helpers';

const readsUserMetadata = memoByNode((expr: AstNode) => {
  let hit = false;
  walk(expr, (node) => {
    if (node.A_Const?.sval?.sval === 'user_metadata') hit = true;
    if (node.ColumnRef && strings(node.ColumnRef.fields).includes('raw_user_meta_data')) hit = true;
    if (node.String?.sval === 'raw_user_meta_data') hit = true;
    return hit ? false : undefined;
  });
  return hit;
});

export const rule: Rule = {
  id: 'policy-user-metadata',
  severity: 'error',
  category: 'security',
  summary: 'Policy trusts user_metadata, which every user can edit about themselves',
  docs: `## policy-user-metadata

**What it finds:** a policy that reads \`auth.jwt() -> 'user_metadata'\` or \`auth.users.raw_user_meta_data\`.

**Why it matters:** user metadata is written by the user (\`supabase.auth.updateUser({ data })\`). A policy
that grants access from \`user_metadata.role = 'admin'\` lets anyone make themselves admin.

**How to fix:** keep authorization data where only the server writes it: \`app_metadata\` (set with the
service role) or your own table.
\`\`\`sql
-- before
using ((auth.jwt() -> 'user_metadata' ->> 'role') = 'admin')
-- after
using ((select auth.jwt() -> 'app_metadata' ->> 'role') = 'admin')
\`\`\`

**Peers:** splinter 0015 (\`rls_references_user_metadata\`).`,
  check(ctx) {
    const out = [];
    for (const policies of ctx.model.policies.values()) {
      for (const p of policies) {
        if (!ctx.wants((p.changedIn ?? p.origin).file)) continue;
        if (!readsUserMetadata(p.using, false) && !readsUserMetadata(p.withCheck, false)) continue;
        const at = p.changedIn ?? p.origin;
        out.push(
          finding(rule, at.file, at.range,
            `Policy "${p.name}" on ${sqlName(p.table)} decides access from user metadata, which users can change themselves; use app_metadata or a table only the server writes.`),
        );
      }
    }
    return out;
  },
};
