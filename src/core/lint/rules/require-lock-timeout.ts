import type { Rule } from '../rule';
import { finding } from '../rule';
import { accessExclusiveTable, factsOf, wantedFiles } from '../flow';
import { existedBefore } from '../helpers';
import { insertAt, isNewestMigration } from '../fixes';
import { headRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { AstNode, Statement } from '../../sql/parse';
import type { Finding } from '../types';

/** `SET [LOCAL] lock_timeout = …` (also `set_config('lock_timeout', …)` is not recognised: write SET). */
const setsLockTimeout = (s: Statement) => s.kind === 'VariableSetStmt' && s.node.name === 'lock_timeout' && s.node.kind === 'VAR_SET_VALUE';

export const rule: Rule = {
  id: 'require-lock-timeout',
  severity: 'info',
  category: 'migration',
  summary: 'A migration locks a table that holds data without setting lock_timeout first',
  docs: `## require-lock-timeout

**What it finds:** the first statement of a migration that takes an ACCESS EXCLUSIVE lock (ALTER TABLE, RENAME,
DROP TABLE, CREATE/ALTER POLICY, TRUNCATE …) or a write-blocking lock (CREATE INDEX without CONCURRENTLY, a new
foreign key) on a table that existed before the migration, when no \`SET lock_timeout\` comes before it in the file.
One finding per file.

**Why it matters:** the lock is queued behind any long-running query on the table, and every query that arrives
after it queues behind the lock: one slow report can turn a millisecond ALTER into minutes of outage. With a
lock timeout the migration gives up instead, and you retry later.

**How to fix:** set it at the top of the migration (the quick fix does so in the newest migration).
\`\`\`sql
set lock_timeout = '5s';
alter table public.documents add column archived boolean;
\`\`\`

**Peers:** squawk \`require-timeout-settings\` (lock part; \`require-lock-timeout\` in newer releases), Postgres
Language Server \`lockTimeoutWarning\`. Differs deliberately: \`statement_timeout\` is not required (it would also
cancel a long but harmless \`CREATE INDEX CONCURRENTLY\`), statements on tables created in the same migration are
not reported, and it is \`info\` by default so established projects are not flooded; raise it to \`warning\` in
\`.dbe.json\` once your migrations follow it.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file } of wantedFiles(ctx)) {
      for (const s of file.statements) {
        if (setsLockTimeout(s)) break;
        const facts = factsOf(ctx, s);
        let table = accessExclusiveTable(ctx, s, facts);
        if (!table && facts?.table && existedBefore(facts.tableState)) {
          if (s.kind === 'IndexStmt' && !s.node.concurrent) table = facts.table;
          // A new foreign key: SHARE ROW EXCLUSIVE on both tables, which blocks writes.
          const fk = s.kind === 'AlterTableStmt' && (s.node.cmds ?? []).some((c: AstNode) => c.AlterTableCmd?.def?.Constraint?.contype === 'CONSTR_FOREIGN');
          if (fk) table = facts.table;
        }
        if (!table) continue;
        const first = file.statements[0]!;
        const fixes = isNewestMigration(ctx, file.path) && !file.statements.some((x) => x.node.concurrent)
          ? [{ title: "Set lock_timeout = '5s' at the top of the migration", edits: [{ file: file.path, edits: [insertAt({ line: first.range.start.line, column: 0 }, "set lock_timeout = '5s';\n\n")] }], isPreferred: false }]
          : [];
        out.push(finding(rule, file.path, headRange(file, s),
          `This statement locks ${sqlName(table)}, which holds data, with no lock_timeout set: if the lock has to wait, every query on the table waits behind it. Put \`set lock_timeout = '5s';\` at the top of the migration.`,
          { fixes }));
        break;
      }
    }
    return out;
  },
};
