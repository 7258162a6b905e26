import type { Rule } from '../rule';
import { finding, statementsOf } from '../rule';
import { headRange } from '../../schema/build';
import { qualifiedKey, sqlName } from '../../schema/names';
import type { AstNode } from '../../sql/parse';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'ban-drop-table',
  severity: 'warning',
  category: 'migration',
  summary: 'Dropping a table deletes its data and breaks its clients',
  docs: `## ban-drop-table

**What it finds:** \`DROP TABLE\` of a table created by an earlier migration (or one the migrations do not
create). Dropping a table created earlier in the same file is fine, and so is \`DROP TABLE IF EXISTS\` of a
table no migration knows.

**Why it matters:** the data is gone for good, and every query, view and function still using the table fails.

**How to fix:** remove its uses first, keep a backup, then drop it deliberately with
\`-- dbe-ignore ban-drop-table\` on the statement.

**Peers:** squawk \`ban-drop-table\`, Postgres Language Server \`banDropTable\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file } of statementsOf(ctx, 'DropStmt')) {
      if (stmt.node.removeType !== 'OBJECT_TABLE') continue;
      const s = facts.tableState;
      if (s !== 'existing' && !(s === 'unknown' && !stmt.node.missing_ok)) continue;
      const names = (stmt.node.objects ?? []).map((o: AstNode) => sqlName(qualifiedKey(o.List?.items ?? [o])!));
      out.push(finding(rule, file.path, headRange(file, stmt), `Dropping ${names.join(', ')} deletes ${names.length > 1 ? 'their' : 'its'} data and breaks every query that still uses ${names.length > 1 ? 'them' : 'it'}.`));
    }
    return out;
  },
};
