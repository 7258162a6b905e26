import type { Rule } from '../rule';
import { finding } from '../rule';
import { createdEarlierInFile, wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import { rangeVarKey, sqlName } from '../../schema/names';
import type { AstNode } from '../../sql/parse';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'truncate-table',
  severity: 'warning',
  category: 'migration',
  summary: 'TRUNCATE in a migration deletes every row under an ACCESS EXCLUSIVE lock',
  docs: `## truncate-table

**What it finds:** \`TRUNCATE\` of a table that was not created earlier in the same migration; \`CASCADE\` is called out
(it also empties every table that references it, however far).

**Why it matters:** every row is gone without a trace in the application's logic, and the ACCESS EXCLUSIVE lock blocks
all reads and writes meanwhile.

**How to fix:** delete the rows you mean with a \`WHERE\` (in batches), or silence it where emptying is intended:
\`-- dbe-ignore truncate-table\`.

**Peers:** squawk \`ban-truncate-cascade\`, Postgres Language Server \`banTruncate\` and \`banTruncateCascade\`. Differs
deliberately: tables created earlier in the same migration are not reported.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file } of wantedFiles(ctx)) {
      for (const s of file.statements) {
        if (s.kind !== 'TruncateStmt') continue;
        const keys = (s.node.relations ?? []).map((r: AstNode) => rangeVarKey(r.RangeVar)).filter((k: string | undefined): k is string => Boolean(k) && !createdEarlierInFile(ctx, s, k!));
        if (keys.length === 0) continue;
        const cascade = s.node.behavior === 'DROP_CASCADE';
        out.push(finding(rule, file.path, headRange(file, s),
          `TRUNCATE deletes every row of ${keys.map(sqlName).join(', ')}${cascade ? ' and, with CASCADE, of every table that references them' : ''}, under an ACCESS EXCLUSIVE lock.`));
      }
    }
    return out;
  },
};
