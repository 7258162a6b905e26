import type { Rule } from '../rule';
import { finding, statementsOf } from '../rule';
import { insertAt, maskLiterals } from '../fixes';
import { existedBefore } from '../helpers';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'require-concurrent-index',
  severity: 'warning',
  category: 'migration',
  summary: 'CREATE INDEX without CONCURRENTLY on a table that already holds data',
  docs: `## require-concurrent-index

**What it finds:** \`CREATE INDEX\` without \`CONCURRENTLY\` on a table created by an earlier migration (or not
created by the migrations at all). An index created right after its table in the same migration is fine.

**Why it matters:** a plain CREATE INDEX takes a SHARE lock: every INSERT, UPDATE and DELETE on the table
waits until the whole index is built — minutes of blocked writes on a big table.

**How to fix:** build it concurrently (outside a transaction block).
\`\`\`sql
create index concurrently if not exists documents_owner_id_idx on public.documents (owner_id);
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file } of statementsOf(ctx, 'IndexStmt')) {
      if (stmt.node.concurrent || !existedBefore(facts.tableState)) continue;
      // CONCURRENTLY is not supported on partitioned tables.
      if (facts.table && ctx.model.tables.get(facts.table)?.partitioned) continue;
      const m = /^\s*create\s+(unique\s+)?index\b/i.exec(maskLiterals(stmt.text));
      const fixes = m
        ? [{ title: 'Add CONCURRENTLY', edits: [{ file: file.path, edits: [insertAt(file.lines.positionAt(stmt.offset + m[0].length), ' concurrently')] }], isPreferred: true }]
        : [];
      out.push(
        finding(rule, file.path, headRange(file, stmt),
          `CREATE INDEX on ${sqlName(facts.table!)}, which existed before this migration, blocks writes to it until the index is built; use CREATE INDEX CONCURRENTLY.`,
          { fixes }),
      );
    }
    return out;
  },
};
