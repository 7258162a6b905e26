import type { Rule, RuleContext } from '../rule';
import { finding, statementsOf } from '../rule';
import { insertAt, maskLiterals, moveToOwnMigration } from '../fixes';
import { existedBefore } from '../helpers';
import { fileFlow } from '../flow';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { ParsedFile, Statement } from '../../sql/parse';
import type { Finding, Fix } from '../types';

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

**How to fix:** build it concurrently, outside a transaction block.
\`\`\`sql
create index concurrently if not exists documents_owner_id_idx on public.documents (owner_id);
\`\`\`
The quick fix *Add CONCURRENTLY* edits the statement in place when its file runs outside a transaction. When
the migration tool runs the file as one transaction with other statements (Supabase CLI, Prisma Migrate,
golang-migrate, Flyway), it moves the index into a new migration of its own, timestamped right after the
current one, since CONCURRENTLY fails inside a transaction (see \`concurrent-index-in-transaction\`).

**Peers:** squawk \`require-concurrent-index-creation\`, Postgres Language Server \`requireConcurrentIndexCreation\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file } of statementsOf(ctx, 'IndexStmt')) {
      if (stmt.node.concurrent || !existedBefore(facts.tableState)) continue;
      // CONCURRENTLY is not supported on partitioned tables.
      if (facts.table && ctx.model.tables.get(facts.table)?.partitioned) continue;
      out.push(
        finding(rule, file.path, headRange(file, stmt),
          `CREATE INDEX on ${sqlName(facts.table!)}, which existed before this migration, blocks writes to it until the index is built; use CREATE INDEX CONCURRENTLY.`,
          { fixes: () => concurrentlyFix(ctx, ctx.file(stmt.file)!, stmt) }),
      );
    }
    return out;
  },
};

/** *Add CONCURRENTLY*: in place when the file runs outside a transaction, else in a migration of its own. */
export function concurrentlyFix(ctx: RuleContext, file: ParsedFile, stmt: Statement): Fix[] {
  const m = /^\s*(create\s+(unique\s+)?index)\b(\s+if\s+not\s+exists\b)?/i.exec(maskLiterals(stmt.text));
  if (!m) return [];
  const flow = fileFlow(ctx.config, file);
  // Just past `create [unique] index`, where CONCURRENTLY goes.
  const headEnd = m[0].length - (m[3]?.length ?? 0);
  if ((flow.tx[stmt.index] ?? -1) < 0) {
    return [{ title: 'Add CONCURRENTLY', edits: [{ file: file.path, edits: [insertAt(file.lines.positionAt(stmt.offset + headEnd), ' concurrently')] }], isPreferred: true }];
  }
  // Inside a transaction: CONCURRENTLY would fail here. A wrapping tool without an opt-out in SQL cannot be fixed mechanically.
  if (flow.mode === 'wrapped' && flow.tool.id !== 'dbmate') return [];
  // Named indexes also get IF NOT EXISTS: a concurrent build that fails half-way leaves the name taken.
  const robust = !m[3] && stmt.node.idxname ? ' if not exists' : '';
  const sql = `${stmt.text.slice(0, headEnd)} concurrently${robust}${stmt.text.slice(headEnd)}`.trim();
  const body = flow.tool.id === 'dbmate' ? `-- migrate:up transaction:false\n${sql}\n\n-- migrate:down\n` : sql;
  return [moveToOwnMigration(ctx, file, stmt, body.endsWith(';') || body.endsWith('\n') ? body : `${body};`, 'Add CONCURRENTLY', `index_${stmt.node.idxname ?? stmt.node.relation?.relname ?? 'concurrently'}`)];
}
