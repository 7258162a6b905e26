import type { Rule } from '../rule';
import { finding } from '../rule';
import { hasLeadingIndex, indexFix } from '../helpers';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'unindexed-foreign-key',
  severity: 'warning',
  category: 'performance',
  summary: 'Foreign key columns without an index',
  docs: `## unindexed-foreign-key

**What it finds:** a foreign key whose columns are not the leading columns of any index on the referencing
table (PostgreSQL indexes the referenced side, never the referencing one).

**Why it matters:** joins from parent to children scan the child table, and every DELETE or key UPDATE on the
parent scans it too (to check or cascade), holding locks while it does.

**How to fix:**
\`\`\`sql
create index concurrently if not exists memberships_organization_id_idx on public.memberships (organization_id);
\`\`\`

**Peers:** splinter 0001 (\`unindexed_foreign_keys\`).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const table of ctx.model.tables.values()) {
      // Partitions get their parent's indexes; checking the parent is enough.
      if (table.partitionOf) continue;
      for (const fk of table.constraints) {
        if (fk.kind !== 'foreign' || fk.columns.length === 0 || !ctx.wants(fk.origin.file)) continue;
        if (hasLeadingIndex(ctx.model, table.key, fk.columns)) continue;
        out.push(
          finding(rule, fk.origin.file, fk.origin.range,
            `Foreign key ${sqlName(table.key)} (${fk.columns.join(', ')}) → ${fk.refTable ? sqlName(fk.refTable) : '?'} has no index: joins and deletes on the referenced table scan ${sqlName(table.key)}.`,
            { fixes: () => [indexFix(ctx, table, fk.origin.stmt, fk.columns)] }),
        );
      }
    }
    return out;
  },
};
