import type { Rule } from '../rule';
import { finding } from '../rule';
import { alterationsOfExistingTables } from '../helpers';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'dropping-not-null',
  severity: 'warning',
  category: 'migration',
  summary: 'Dropping NOT NULL lets NULLs reach code that does not expect them',
  docs: `## dropping-not-null

**What it finds:** \`ALTER TABLE … ALTER COLUMN … DROP NOT NULL\` on a table that existed before this migration.

**Why it matters:** the change itself is instant, but every application version still running assumes the
column always has a value. The first NULL written by new code crashes or corrupts old code that reads it
(and generated client types change from \`string\` to \`string | null\`).

**How to fix:** deploy code that handles NULL first, then drop the constraint, and silence this finding there:
\`-- dbe-ignore dropping-not-null\`.

**Peers:** squawk \`ban-drop-not-null\`, Postgres Language Server \`banDropNotNull\`. Differs deliberately: tables
created in the same migration are not reported.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_DropNotNull')) {
      out.push(finding(rule, file.path, headRange(file, stmt),
        `Dropping NOT NULL on ${sqlName(facts.table!)}.${cmd.name} lets NULLs reach application code that assumes a value; ship code that handles NULL first.`));
    }
    return out;
  },
};
