import type { Rule, RuleContext } from '../rule';
import { finding } from '../rule';
import { insertAt, maskLiterals, moveToOwnMigration } from '../fixes';
import { fileFlow, wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import { keyOf, strings } from '../../schema/names';
import type { ParsedFile, Statement } from '../../sql/parse';
import type { Finding, Fix } from '../types';

/** Where an index was created: 'same' (earlier in this file: no data yet), 'earlier' or 'unknown' (already in the database). */
function createdWhere(ctx: RuleContext, stmt: Statement, key: string): 'same' | 'earlier' | 'unknown' {
  let where: 'same' | 'earlier' | 'unknown' = 'unknown';
  for (const file of ctx.files) {
    const same = file.path === stmt.file;
    for (const s of file.statements) {
      if (same && s.index >= stmt.index) return where;
      if (s.kind === 'IndexStmt' && s.node.idxname && keyOf(s.node.relation?.schemaname ?? 'public', s.node.idxname) === key) where = same ? 'same' : 'earlier';
    }
  }
  return where;
}

export const rule: Rule = {
  id: 'require-concurrent-index-drop',
  severity: 'warning',
  category: 'migration',
  summary: 'DROP INDEX without CONCURRENTLY locks the table against reads and writes',
  docs: `## require-concurrent-index-drop

**What it finds:** \`DROP INDEX\` without \`CONCURRENTLY\` of an index created by an earlier migration (or not created by
the migrations at all).

**Why it matters:** a plain DROP INDEX takes ACCESS EXCLUSIVE on the index's table. The drop itself is quick, but the
lock request queues behind every running query on the table, and every later query queues behind it.

**How to fix:** drop it concurrently, outside a transaction block (one index per statement, no CASCADE).
\`\`\`sql
drop index concurrently if exists public.documents_old_idx;
\`\`\`
The quick fix *Add CONCURRENTLY* edits the statement in place when its file runs outside a transaction, and moves it
into a migration of its own when the migration tool runs the file as one transaction.

**Peers:** squawk \`require-concurrent-index-deletion\`, Postgres Language Server \`requireConcurrentIndexDeletion\`.
Differs deliberately: an index created earlier in the same migration is not reported.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file } of wantedFiles(ctx)) {
      for (const s of file.statements) {
        if (s.kind !== 'DropStmt' || s.node.removeType !== 'OBJECT_INDEX' || s.node.concurrent) continue;
        const names = (s.node.objects ?? []).map((o: { List?: { items?: [] } }) => strings(o.List?.items));
        const keys = names.map((n: string[]) => (n.length > 1 ? keyOf(n[n.length - 2]!, n[n.length - 1]!) : keyOf('public', n[0]!)));
        if (keys.every((k: string) => createdWhere(ctx, s, k) === 'same')) continue;
        const fixable = keys.length === 1 && s.node.behavior !== 'DROP_CASCADE';
        out.push(finding(rule, file.path, headRange(file, s),
          `DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table, which queues behind running queries and blocks every later one; use DROP INDEX CONCURRENTLY.`,
          { fixes: fixable ? () => dropConcurrentlyFix(ctx, ctx.file(s.file)!, s) : [] }));
      }
    }
    return out;
  },
};

function dropConcurrentlyFix(ctx: RuleContext, file: ParsedFile, stmt: Statement): Fix[] {
  const m = /^\s*drop\s+index\b/i.exec(maskLiterals(stmt.text));
  if (!m) return [];
  const flow = fileFlow(ctx.config, file);
  if ((flow.tx[stmt.index] ?? -1) < 0) {
    return [{ title: 'Add CONCURRENTLY', edits: [{ file: file.path, edits: [insertAt(file.lines.positionAt(stmt.offset + m[0].length), ' concurrently')] }], isPreferred: true }];
  }
  if (flow.mode === 'wrapped' && flow.tool.id !== 'dbmate') return [];
  const sql = `${stmt.text.slice(0, m[0].length)} concurrently${stmt.text.slice(m[0].length)}`.trim();
  const body = flow.tool.id === 'dbmate' ? `-- migrate:up transaction:false\n${sql}\n\n-- migrate:down\n` : sql;
  return [moveToOwnMigration(ctx, file, stmt, body, 'Add CONCURRENTLY', `drop_index_${strings(stmt.node.objects?.[0]?.List?.items).pop() ?? 'concurrently'}`)];
}
