import type { Rule } from '../rule';
import { finding } from '../rule';
import { factsOf, wantedFiles } from '../flow';
import { existedBefore } from '../helpers';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'multiple-alter-table',
  severity: 'info',
  category: 'migration',
  summary: 'Several ALTER TABLE statements on the same existing table that could be one',
  docs: `## multiple-alter-table

**What it finds:** a second \`ALTER TABLE\` of the same table, in the same migration file, when the table existed
before it. Reported once per table and file.

**Why it matters:** each ALTER TABLE queues for the table's ACCESS EXCLUSIVE lock again (and may scan or rewrite
the table again). One statement with several comma-separated actions takes the lock once and makes one pass.

**How to fix:**
\`\`\`sql
-- before
alter table public.documents add column archived boolean;
alter table public.documents add column archived_at timestamptz;
-- after
alter table public.documents
  add column archived boolean,
  add column archived_at timestamptz;
\`\`\`

**Peers:** Postgres Language Server \`multipleAlterTable\`; squawk has no counterpart. Differs deliberately: tables
created in the same migration are not reported (no data, no waiting), and it is \`info\`: the split form is often
kept on purpose for readability.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file } of wantedFiles(ctx)) {
      const first = new Map<string, number>();
      const reported = new Set<string>();
      for (const s of file.statements) {
        if (s.kind !== 'AlterTableStmt' || (s.node.objtype ?? 'OBJECT_TABLE') !== 'OBJECT_TABLE') continue;
        const facts = factsOf(ctx, s);
        if (!facts?.table || !existedBefore(facts.tableState)) continue;
        const line = first.get(facts.table);
        if (line === undefined) {
          first.set(facts.table, s.range.start.line);
          continue;
        }
        if (reported.has(facts.table)) continue;
        reported.add(facts.table);
        out.push(finding(rule, file.path, headRange(file, s),
          `${sqlName(facts.table)} is already altered at line ${line + 1} of this migration; combine the ALTER TABLE statements into one so the lock is taken once.`));
      }
    }
    return out;
  },
};
