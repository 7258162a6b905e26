import type { Rule } from '../rule';
import { finding } from '../rule';
import { insertAt, insertAfterStatement, maskLiterals } from '../fixes';
import { alterCmds, alterationsOfExistingTables } from '../helpers';
import { identRange } from '../../schema/build';
import { nameOf, quoteIdent, sqlName, strings } from '../../schema/names';
import type { Finding, Fix } from '../types';

export const rule: Rule = {
  id: 'constraint-missing-not-valid',
  severity: 'warning',
  category: 'migration',
  summary: 'Adding a FOREIGN KEY or CHECK to an existing table without NOT VALID',
  docs: `## constraint-missing-not-valid

**What it finds:** \`ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY\` or \`CHECK\` on a table that existed before this
migration, without \`NOT VALID\`.

**Why it matters:** validating the constraint scans the whole table while holding a lock that blocks writes
(and, for a foreign key, writes to the referenced table too).

**How to fix:** add it as NOT VALID (instant; new rows are checked), then validate it separately, which
only takes a lock that lets reads and writes continue.
\`\`\`sql
alter table public.documents add constraint documents_owner_fk
  foreign key (owner_id) references public.profiles (id) not valid;
alter table public.documents validate constraint documents_owner_fk;
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_AddConstraint')) {
      const con = cmd.def?.Constraint;
      if (!con || (con.contype !== 'CONSTR_FOREIGN' && con.contype !== 'CONSTR_CHECK') || con.skip_validation) continue;
      const kind = con.contype === 'CONSTR_FOREIGN' ? 'foreign key' : 'check constraint';
      const table = facts.table!;
      const name: string | undefined =
        con.conname ?? (con.contype === 'CONSTR_FOREIGN' ? `${nameOf(table)}_${strings(con.fk_attrs).join('_')}_fkey`.slice(0, 63) : undefined);
      const fixes: Fix[] = [];
      // Mechanical only when the statement adds just this constraint: NOT VALID goes before its `;`.
      const masked = maskLiterals(stmt.text);
      const semi = masked.trimEnd().endsWith(';') ? masked.trimEnd().length - 1 : masked.trimEnd().length;
      if (alterCmds(stmt).length === 1 && name) {
        fixes.push({
          title: 'Add NOT VALID and validate in a separate statement',
          edits: [{ file: file.path, edits: [
            insertAt(file.lines.positionAt(stmt.offset + semi), ' not valid'),
            insertAfterStatement(stmt, `alter table ${sqlName(table)} validate constraint ${quoteIdent(name)};`),
          ] }],
          isPreferred: true,
        });
      }
      out.push(
        finding(rule, file.path, identRange(file, stmt, con.location),
          `Adding a ${kind} to ${sqlName(table)}, which already holds data, scans the table under a write-blocking lock; add it NOT VALID, then VALIDATE CONSTRAINT separately.`,
          { fixes }),
      );
    }
    return out;
  },
};
