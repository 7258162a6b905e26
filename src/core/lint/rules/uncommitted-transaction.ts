import type { Rule } from '../rule';
import { finding } from '../rule';
import { wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'uncommitted-transaction',
  severity: 'warning',
  category: 'migration',
  summary: 'BEGIN without a matching COMMIT in the same migration file',
  docs: `## uncommitted-transaction

**What it finds:** a \`BEGIN\`/\`START TRANSACTION\` with no \`COMMIT\` (or \`ROLLBACK\`) after it in the same file.

**Why it matters:** depending on the tool, the open transaction is rolled back when the connection closes (the
migration silently does nothing but is recorded as applied), or it swallows the next migration's statements.

**How to fix:** end the transaction in the file that opens it.

**Peers:** squawk \`ban-uncommitted-transaction\`; the Postgres Language Server has no counterpart.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file } of wantedFiles(ctx)) {
      let open: (typeof file.statements)[number] | undefined;
      for (const s of file.statements) {
        if (s.kind !== 'TransactionStmt') continue;
        const k = s.node.kind;
        if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') open ??= s;
        else if (k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK' || k === 'TRANS_STMT_PREPARE') open = undefined;
      }
      if (open) out.push(finding(rule, file.path, headRange(file, open), 'This transaction is never committed in this file; add COMMIT at the end.'));
    }
    return out;
  },
};
