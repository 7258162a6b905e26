import type { Rule } from '../rule';
import { finding } from '../rule';
import { headRange } from '../../schema/build';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'concurrent-index-in-transaction',
  severity: 'error',
  category: 'migration',
  summary: 'CREATE/DROP INDEX CONCURRENTLY inside a transaction block fails',
  docs: `## concurrent-index-in-transaction

**What it finds:** \`CREATE INDEX CONCURRENTLY\` or \`DROP INDEX CONCURRENTLY\` after a \`BEGIN\` in the same
file (or in any file when \`assumeInTransaction\` is set in \`.dbe.json\` because your migration tool wraps
each file in a transaction).

**Why it matters:** PostgreSQL refuses: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
and the migration fails.

**How to fix:** move the statement out of the transaction, into its own migration file.
\`\`\`sql
-- 20240301000000_documents_owner_idx.sql (no BEGIN/COMMIT)
create index concurrently if not exists documents_owner_id_idx on public.documents (owner_id);
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const facts of ctx.model.facts) {
      const s = facts.stmt;
      const concurrent = (s.kind === 'IndexStmt' || (s.kind === 'DropStmt' && s.node.removeType === 'OBJECT_INDEX')) && s.node.concurrent;
      if (!concurrent || !facts.inTransaction) continue;
      const file = ctx.file(s.file)!;
      out.push(
        finding(rule, s.file, headRange(file, s),
          `${s.kind === 'IndexStmt' ? 'CREATE' : 'DROP'} INDEX CONCURRENTLY cannot run inside a transaction block; this migration will fail. Move it to its own migration without BEGIN/COMMIT.`),
      );
    }
    return out;
  },
};
