import type { Rule } from '../rule';
import { finding } from '../rule';
import { wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'transaction-nesting',
  severity: 'warning',
  category: 'migration',
  summary: 'BEGIN or COMMIT in a migration the tool already wraps in a transaction',
  docs: `## transaction-nesting

**What it finds:** \`BEGIN\`/\`START TRANSACTION\` or \`COMMIT\` in a migration file whose tool wraps every migration in
BEGIN … COMMIT (node-pg-migrate, dbmate, Rails, Knex, or \`"transactional": true\` in \`.dbe.json\`).

**Why it matters:** PostgreSQL has no nested transactions. The inner BEGIN only warns, and the file's COMMIT
commits the tool's transaction early: the statements after it run outside any transaction, and the migration is
no longer all-or-nothing (and the tool's own COMMIT then warns that no transaction is in progress).

**How to fix:** remove the BEGIN/COMMIT and let the tool's transaction cover the file; to run something outside
one, use the tool's opt-out for that migration. Files of tools that run each file as one batch (Supabase CLI,
Prisma, golang-migrate, Flyway) are not reported: an explicit BEGIN … COMMIT there is the usual way to say it.

**Peers:** squawk \`transaction-nesting\`, Postgres Language Server \`transactionNesting\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file, flow } of wantedFiles(ctx)) {
      if (flow.mode !== 'wrapped') continue;
      for (const s of file.statements) {
        if (s.kind !== 'TransactionStmt') continue;
        const k = s.node.kind;
        const begin = k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START';
        if (!begin && k !== 'TRANS_STMT_COMMIT') continue;
        out.push(finding(rule, file.path, headRange(file, s),
          begin
            ? `${flow.tool.called.replace(/^t/, 'T')} already runs this migration in a transaction; this BEGIN does not nest, and the file's COMMIT will end that transaction early.`
            : `This COMMIT ends the transaction ${flow.tool.called} opened for the migration: what follows runs outside it, and a failure no longer rolls everything back.`));
      }
    }
    return out;
  },
};
