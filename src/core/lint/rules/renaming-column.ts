import type { Rule } from '../rule';
import { finding, statementsOf } from '../rule';
import { existedBefore } from '../helpers';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'renaming-column',
  severity: 'warning',
  category: 'migration',
  summary: 'Renaming a column breaks clients that use the old name',
  docs: `## renaming-column

**What it finds:** \`ALTER TABLE … RENAME COLUMN\` on a table that existed before this migration.

**Why it matters:** running application code (and the generated API types) still use the old name, and
fail from the moment the migration runs until every client is redeployed.

**How to fix:** add the new column, write to both, backfill, move readers, then drop the old column.
Or, when a short break is acceptable, rename and silence: \`-- dbe-ignore renaming-column\`.

**Peers:** squawk \`renaming-column\`, Postgres Language Server \`renamingColumn\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file } of statementsOf(ctx, 'RenameStmt')) {
      if (stmt.node.renameType !== 'OBJECT_COLUMN' || !existedBefore(facts.tableState)) continue;
      out.push(finding(rule, file.path, headRange(file, stmt), `Renaming ${sqlName(facts.table!)}.${stmt.node.subname} to ${stmt.node.newname} breaks clients that still use the old name.`));
    }
    return out;
  },
};
