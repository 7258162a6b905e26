import type { Rule } from '../rule';
import { finding } from '../rule';
import { alterationsOfExistingTables } from '../helpers';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'changing-column-type',
  severity: 'warning',
  category: 'migration',
  summary: 'Changing a column type on an existing table rewrites it under an exclusive lock',
  docs: `## changing-column-type

**What it finds:** \`ALTER TABLE … ALTER COLUMN … TYPE\` on a table that existed before this migration.

**Why it matters:** most type changes rewrite the table and rebuild its indexes while holding an ACCESS
EXCLUSIVE lock, and clients reading the column may break on the new type.

**How to fix:** add a new column, backfill it in batches, switch the application, then drop the old one.
\`\`\`sql
alter table public.orders add column amount_cents bigint;
update public.orders set amount_cents = amount * 100 where amount_cents is null; -- in batches
\`\`\`

**Peers:** squawk \`changing-column-type\`, Postgres Language Server \`changingColumnType\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_AlterColumnType')) {
      out.push(
        finding(rule, file.path, headRange(file, stmt),
          `Changing the type of ${sqlName(facts.table!)}.${cmd.name} rewrites the table and its indexes under an exclusive lock and can break clients.`),
      );
    }
    return out;
  },
};
