import type { Rule } from '../rule';
import { finding } from '../rule';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'no-primary-key',
  severity: 'warning',
  category: 'schema',
  summary: 'Table without a primary key',
  docs: `## no-primary-key

**What it finds:** a table that never gets a PRIMARY KEY (partitions inherit their parent's).

**Why it matters:** rows cannot be addressed reliably (updates from the API, Supabase realtime and
logical replication need a replica identity), and duplicates creep in.

**How to fix:**
\`\`\`sql
alter table public.events add column id bigint generated always as identity primary key;
\`\`\`

**Peers:** splinter 0004 (\`no_primary_key\`); squawk and the Postgres Language Server have no counterpart.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const table of ctx.model.tables.values()) {
      if (table.partitionOf || !ctx.wants(table.origin.file)) continue;
      if (table.constraints.some((c) => c.kind === 'primary')) continue;
      out.push(finding(rule, table.origin.file, table.origin.range, `Table ${sqlName(table.key)} has no primary key.`));
    }
    return out;
  },
};
