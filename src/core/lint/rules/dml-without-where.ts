import type { Rule } from '../rule';
import { finding } from '../rule';
import { createdEarlierInFile, wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import { rangeVarKey, sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'dml-without-where',
  severity: 'warning',
  category: 'migration',
  summary: 'UPDATE or DELETE without WHERE in a migration touches every row',
  docs: `## dml-without-where

**What it finds:** \`UPDATE\` or \`DELETE\` with no \`WHERE\` clause in a migration, on a table that was not created
earlier in the same file.

**Why it matters:** it rewrites (or deletes) every row in one transaction: on a big table that is a long
row-locking operation, a burst of WAL and dead tuples, and, when unintended, lost data.

**How to fix:** add the condition you mean (\`where status is null\`), and backfill large tables in batches. When
every row really is meant, silence it: \`-- dbe-ignore dml-without-where\`.

**Peers:** Postgres Language Server \`banUpdateWithoutWhere\` and \`banDeleteWithoutWhere\`; squawk has no counterpart.
Differs deliberately: tables created earlier in the same migration are not reported (seeding a new table).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file } of wantedFiles(ctx)) {
      for (const s of file.statements) {
        if ((s.kind !== 'UpdateStmt' && s.kind !== 'DeleteStmt') || s.node.whereClause) continue;
        const key = rangeVarKey(s.node.relation);
        if (!key || createdEarlierInFile(ctx, s, key)) continue;
        const verb = s.kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE';
        out.push(finding(rule, file.path, headRange(file, s), `${verb} without WHERE ${s.kind === 'UpdateStmt' ? 'rewrites' : 'deletes'} every row of ${sqlName(key)}; add the condition you mean, or batch it.`));
      }
    }
    return out;
  },
};
