import type { Rule } from '../rule';
import { finding } from '../rule';
import { alterationsOfExistingTables } from '../helpers';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'ban-drop-column',
  severity: 'warning',
  category: 'migration',
  summary: 'Dropping a column breaks clients that still read it',
  docs: `## ban-drop-column

**What it finds:** \`ALTER TABLE … DROP COLUMN\` on a table that existed before this migration.

**Why it matters:** the data is gone, and application versions still running (or cached clients) that
select the column fail the moment the migration lands.

**How to fix:** stop using the column in the application first, deploy, then drop it in a later migration
and silence this finding there: \`-- dbe-ignore ban-drop-column\`.

**Peers:** squawk \`ban-drop-column\`, Postgres Language Server \`banDropColumn\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_DropColumn')) {
      out.push(finding(rule, file.path, headRange(file, stmt), `Dropping column ${sqlName(facts.table!)}.${cmd.name} deletes its data and breaks clients that still read it.`));
    }
    return out;
  },
};
