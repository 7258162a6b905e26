import type { Rule } from '../rule';
import { finding } from '../rule';
import { headRange } from '../../schema/build';
import { txDescription, wantedFiles } from '../flow';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'concurrent-index-in-transaction',
  severity: 'error',
  category: 'migration',
  summary: 'CREATE/DROP INDEX CONCURRENTLY inside a transaction block fails',
  docs: `## concurrent-index-in-transaction

**What it finds:** \`CREATE INDEX CONCURRENTLY\`, \`DROP INDEX CONCURRENTLY\` or \`REINDEX … CONCURRENTLY\` that will run
inside a transaction:
- after a \`BEGIN\` in the same file (up to its \`COMMIT\`);
- in a file the migration tool runs as one transaction with other statements. The Supabase CLI, Prisma Migrate,
  golang-migrate and Flyway run a multi-statement file atomically, so CONCURRENTLY works there only as the
  file's sole statement; node-pg-migrate, dbmate, Rails and Knex wrap every migration in BEGIN … COMMIT unless
  the migration opts out. The tool is detected from the project or set with \`"migrationTool"\` in \`.dbe.json\`;
  \`"transactional": true\` says every file runs in a transaction your runner opens (see docs/rules.md).

**Why it matters:** PostgreSQL refuses: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
and the migration fails.

**How to fix:** give the statement a migration file of its own (the quick fix *Add CONCURRENTLY* does this
when the file runs in a transaction).
\`\`\`sql
-- 20240301000000_documents_owner_idx.sql: this statement only
create index concurrently if not exists documents_owner_id_idx on public.documents (owner_id);
\`\`\`

**Peers:** squawk \`ban-concurrent-index-creation-in-transaction\`, Postgres Language Server
\`banConcurrentIndexCreationInTransaction\`. Now agrees with both that a statement after an explicit \`COMMIT\`
runs outside the transaction a wrapping tool opened (no finding). Differs deliberately where the tool runs the
file as one multi-statement batch (Supabase CLI, Prisma, golang-migrate): PostgreSQL starts a new implicit
transaction after the \`COMMIT\`, so we still report it there; and we also report \`DROP INDEX CONCURRENTLY\` and
\`REINDEX CONCURRENTLY\`, which fail the same way.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file, flow } of wantedFiles(ctx)) {
      for (const s of file.statements) {
        const n = s.node;
        const concurrent =
          ((s.kind === 'IndexStmt' || (s.kind === 'DropStmt' && n.removeType === 'OBJECT_INDEX')) && n.concurrent) ||
          (s.kind === 'ReindexStmt' && (n.params ?? []).some((p: { DefElem?: { defname?: string } }) => p.DefElem?.defname === 'concurrently'));
        if (!concurrent || (flow.tx[s.index] ?? -1) < 0) continue;
        const what = s.kind === 'IndexStmt' ? 'CREATE INDEX' : s.kind === 'DropStmt' ? 'DROP INDEX' : 'REINDEX';
        out.push(
          finding(rule, s.file, headRange(file, s),
            `${what} CONCURRENTLY runs ${txDescription(flow, file, s)}, where PostgreSQL refuses it; this migration will fail. Move it to a migration file of its own${flow.tool.optOut && flow.mode === 'wrapped' ? ` (${flow.tool.optOut})` : ''}.`),
        );
      }
    }
    return out;
  },
};
