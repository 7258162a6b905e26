import type { Rule } from '../rule';
import { finding, statementsOf } from '../rule';
import { existedBefore } from '../helpers';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'renaming-table',
  severity: 'warning',
  category: 'migration',
  summary: 'Renaming a table breaks clients that use the old name',
  docs: `## renaming-table

**What it finds:** \`ALTER TABLE … RENAME TO\` on a table that existed before this migration.

**Why it matters:** every running client, view definition written as text elsewhere, and API route using the
old name fails until it is updated.

**How to fix:** rename, then keep a view with the old name while clients move over:
\`\`\`sql
alter table public.docs rename to documents;
create view public.docs with (security_invoker = on) as select * from public.documents;
\`\`\`

**Peers:** squawk \`renaming-table\`, Postgres Language Server \`renamingTable\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file } of statementsOf(ctx, 'RenameStmt')) {
      if (stmt.node.renameType !== 'OBJECT_TABLE' || !existedBefore(facts.tableState)) continue;
      out.push(finding(rule, file.path, headRange(file, stmt), `Renaming ${sqlName(facts.table!)} to ${stmt.node.newname} breaks clients that still use the old name.`));
    }
    return out;
  },
};
