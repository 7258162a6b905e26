import type { Rule } from '../rule';
import { finding } from '../rule';
import { alterCmds, alterationsOfExistingTables } from '../helpers';
import { isNewestMigration, migrationPathAfter, replaceOffsets } from '../fixes';
import { headRange } from '../../schema/build';
import { nameOf, quoteIdent, sqlName, strings } from '../../schema/names';
import { basename, dirname } from 'node:path';
import type { AstNode } from '../../sql/parse';
import type { RuleContext } from '../rule';
import type { Finding, Fix } from '../types';

/** `col IS NOT NULL` as a CHECK expression: the column it proves non-null. */
function notNullColumn(expr: AstNode | undefined): string | undefined {
  const t = expr?.NullTest;
  if (!t || t.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const f = strings(t.arg?.ColumnRef?.fields);
  return f[f.length - 1];
}

/**
 * Columns (table key + column) for which a validated `CHECK (col IS NOT NULL)` existed before a statement:
 * added without NOT VALID, or validated by VALIDATE CONSTRAINT. PostgreSQL 12+ then skips SET NOT NULL's scan.
 */
function provenNotNull(ctx: RuleContext): Map<string, { file: number; index: number }[]> {
  const checks = new Map<string, string>(); // table\0constraint → column
  const proven = new Map<string, { file: number; index: number }[]>();
  const prove = (key: string, at: { file: number; index: number }) => proven.set(key, [...(proven.get(key) ?? []), at]);
  ctx.files.forEach((file, fi) => {
    for (const s of file.statements) {
      if (s.kind !== 'AlterTableStmt') continue;
      const table = s.node.relation?.relname;
      for (const cmd of alterCmds(s)) {
        const con = cmd.def?.Constraint;
        if (cmd.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_CHECK') {
          const col = notNullColumn(con.raw_expr);
          if (!col) continue;
          if (con.conname) checks.set(`${table}\0${con.conname}`, col);
          if (!con.skip_validation) prove(`${table}\0${col}`, { file: fi, index: s.index });
        } else if (cmd.subtype === 'AT_ValidateConstraint') {
          const col = checks.get(`${table}\0${cmd.name}`);
          if (col) prove(`${table}\0${col}`, { file: fi, index: s.index });
        }
      }
    }
  });
  return proven;
}

export const rule: Rule = {
  id: 'set-not-null-existing-table',
  severity: 'warning',
  category: 'migration',
  summary: 'SET NOT NULL on an existing table scans it under an ACCESS EXCLUSIVE lock',
  docs: `## set-not-null-existing-table

**What it finds:** \`ALTER TABLE … ALTER COLUMN … SET NOT NULL\` on a table that existed before this migration, unless
a validated \`CHECK (column IS NOT NULL)\` was in place before it.

**Why it matters:** PostgreSQL checks every row for NULLs while holding ACCESS EXCLUSIVE: nothing reads or writes
the table until the scan finishes. Since PostgreSQL 12 the scan is skipped when a valid CHECK constraint already
proves the column non-null.

**How to fix (PostgreSQL 12+):** add the CHECK as NOT VALID (instant), validate it in a later migration (scans
without blocking reads or writes), then SET NOT NULL (no scan) and drop the CHECK.
\`\`\`sql
-- 20240301000000_documents_title_not_null.sql
alter table public.documents add constraint documents_title_not_null check (title is not null) not valid;
-- 20240301000001_documents_title_not_null_validate.sql
alter table public.documents validate constraint documents_title_not_null;
alter table public.documents alter column title set not null;
alter table public.documents drop constraint documents_title_not_null;
\`\`\`
The quick fix writes exactly this when the migration is the newest one.

**Peers:** squawk \`adding-not-nullable-field\`, Postgres Language Server \`addingNotNullField\`. Differs deliberately:
the recipe is recognised across migrations (a CHECK validated in an earlier file silences it), and tables created
in the same migration are not reported.`,
  check(ctx) {
    const out: Finding[] = [];
    let proven: ReturnType<typeof provenNotNull> | undefined;
    const order = new Map(ctx.files.map((f, i) => [f.path, i]));
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_SetNotNull')) {
      proven ??= provenNotNull(ctx);
      const fi = order.get(file.path)!;
      const before = (proven.get(`${stmt.node.relation?.relname}\0${cmd.name}`) ?? []).some((p) => p.file < fi || (p.file === fi && p.index < stmt.index));
      if (before) continue;
      const table = facts.table!;
      const col = cmd.name as string;
      const fixes: Fix[] = [];
      if (alterCmds(stmt).length === 1 && isNewestMigration(ctx, file.path)) {
        const con = `${nameOf(table)}_${col}_not_null`.slice(0, 63);
        const path = migrationPathAfter(ctx, file.path, `${con}_validate`);
        fixes.push({
          title: `Use a NOT VALID check, validated in a new migration (${basename(path) === 'migration.sql' ? basename(dirname(path)) : basename(path)})`,
          edits: [{ file: file.path, edits: [replaceOffsets(file, stmt.offset, stmt.offset + stmt.text.length,
            `alter table ${sqlName(table)} add constraint ${quoteIdent(con)} check (${quoteIdent(col)} is not null) not valid;`)] }],
          create: [{ file: path, content:
            `alter table ${sqlName(table)} validate constraint ${quoteIdent(con)};\n` +
            `alter table ${sqlName(table)} alter column ${quoteIdent(col)} set not null;\n` +
            `alter table ${sqlName(table)} drop constraint ${quoteIdent(con)};\n` }],
          isPreferred: true,
        });
      }
      out.push(finding(rule, file.path, headRange(file, stmt),
        `SET NOT NULL on ${sqlName(table)}.${col} scans the whole table under an ACCESS EXCLUSIVE lock; add CHECK (${col} IS NOT NULL) NOT VALID, validate it in a later migration, then SET NOT NULL.`,
        { fixes }));
    }
    return out;
  },
};
