import type { Rule } from '../rule';
import { finding } from '../rule';
import { accessExclusiveTable, factsOf, txDescription, wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'wide-lock-window',
  severity: 'info',
  category: 'migration',
  summary: 'One transaction takes ACCESS EXCLUSIVE locks on several tables that hold data',
  docs: `## wide-lock-window

**What it finds:** a statement that takes an ACCESS EXCLUSIVE lock on a table holding data, in a transaction that
already holds one on another such table (whether statements share a transaction follows the project's migration
tool and the file's BEGIN/COMMIT). One finding per transaction.

**Why it matters:** every lock is held until commit, so the first table stays closed while the migration waits for
the second one's lock. Application transactions that touch both tables in the other order deadlock with it.

**How to fix:** change one table per migration (or per transaction).

**Peers:** Postgres Language Server \`warnWideLockWindow\` (also \`avoidWideLockWindow\`); squawk has no counterpart.
Differs deliberately: tables created in the same migration are not counted, and it is \`info\` by default.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file, flow } of wantedFiles(ctx)) {
      const locked = new Map<number, { table: string; line: number }>();
      const reported = new Set<number>();
      for (const s of file.statements) {
        const tx = flow.tx[s.index] ?? -1;
        if (tx < 0 || reported.has(tx)) continue;
        const table = accessExclusiveTable(ctx, s, factsOf(ctx, s));
        if (!table) continue;
        const prior = locked.get(tx);
        if (!prior) {
          locked.set(tx, { table, line: s.range.start.line });
        } else if (prior.table !== table) {
          reported.add(tx);
          out.push(finding(rule, file.path, headRange(file, s),
            `This locks ${sqlName(table)} while ${sqlName(prior.table)} is still locked from line ${prior.line + 1}, ${txDescription(flow, file, s)}; both stay closed until commit. Change one table per migration.`));
        }
      }
    }
    return out;
  },
};
