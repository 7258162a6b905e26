import type { Rule } from '../rule';
import { finding } from '../rule';
import { accessExclusiveTable, factsOf, txDescription, wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

/** Statements that do work proportional to data (or run arbitrary code) while they hold the transaction open. */
const SLOW_KINDS = new Set([
  'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'SelectStmt', 'MergeStmt', 'CopyStmt', 'IndexStmt', 'RefreshMatViewStmt',
  'DoStmt', 'CallStmt', 'VacuumStmt', 'CreateTableAsStmt', 'ClusterStmt', 'ReindexStmt',
]);

export const rule: Rule = {
  id: 'statement-after-access-exclusive',
  severity: 'warning',
  category: 'migration',
  summary: 'Slow statements run while an earlier statement in the same transaction holds ACCESS EXCLUSIVE on a table',
  docs: `## statement-after-access-exclusive

**What it finds:** a data-moving statement (UPDATE/INSERT/DELETE/SELECT, CREATE INDEX, REFRESH MATERIALIZED VIEW,
DO/CALL …) that runs in the same transaction after a statement took an ACCESS EXCLUSIVE lock on a table that
already holds data (ALTER TABLE, RENAME, CREATE POLICY …). Whether statements share a transaction follows the
project's migration tool and the file's own BEGIN/COMMIT. One finding per transaction.

**Why it matters:** locks are released only at commit. The ALTER itself may take a millisecond, but the table
stays closed to every read and write until the backfill or index build after it has finished.

**How to fix:** move the slow part into its own migration (its own transaction), after the one that changes
the table; batch large backfills.
\`\`\`sql
-- 20240301000000_add_status.sql
alter table public.orders add column status text;
-- 20240301000001_backfill_status.sql
update public.orders set status = 'open' where status is null;
\`\`\`

**Peers:** Postgres Language Server \`runningStatementWhileHoldingAccessExclusive\` (from eugene E4); squawk has no
counterpart. Differs deliberately: cheap catalog statements after the lock (another ALTER of the same table,
CREATE FUNCTION, GRANT, COMMENT, SET) are not reported, since they do not extend the lock window noticeably;
a second ALTER of the same table is \`multiple-alter-table\`'s, a second table locked is \`wide-lock-window\`'s.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file, flow } of wantedFiles(ctx)) {
      const held = new Map<number, { table: string; line: number }>();
      const reported = new Set<number>();
      for (const s of file.statements) {
        const tx = flow.tx[s.index] ?? -1;
        if (tx < 0) continue;
        const lock = held.get(tx);
        if (lock && !reported.has(tx) && SLOW_KINDS.has(s.kind) && !(s.kind === 'IndexStmt' && s.node.concurrent)) {
          reported.add(tx);
          out.push(finding(rule, file.path, headRange(file, s),
            `${sqlName(lock.table)} stays locked against all reads and writes (ACCESS EXCLUSIVE from line ${lock.line + 1}) while this statement runs ${txDescription(flow, file, s)}; run it in a later migration.`));
        }
        if (!lock) {
          const table = accessExclusiveTable(ctx, s, factsOf(ctx, s));
          if (table) held.set(tx, { table, line: s.range.start.line });
        }
      }
    }
    return out;
  },
};
