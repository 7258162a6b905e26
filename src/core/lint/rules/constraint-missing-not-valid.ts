import type { Rule } from '../rule';
import { finding } from '../rule';
import { insertAt, insertAfterStatement, maskLiterals, migrationPathAfter, moveToOwnMigration } from '../fixes';
import { alterCmds, alterationsOfExistingTables } from '../helpers';
import { fileFlow, txDescription } from '../flow';
import { identRange } from '../../schema/build';
import { nameOf, quoteIdent, sqlName, strings } from '../../schema/names';
import { basename, dirname } from 'node:path';
import type { Finding, Fix } from '../types';

export const rule: Rule = {
  id: 'constraint-missing-not-valid',
  severity: 'warning',
  category: 'migration',
  summary: 'Adding a FOREIGN KEY or CHECK to an existing table without NOT VALID, or validating it in the same transaction',
  docs: `## constraint-missing-not-valid

**What it finds:**
- \`ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY\` or \`CHECK\` on a table that existed before this migration, without
  \`NOT VALID\`;
- \`VALIDATE CONSTRAINT\` in the same transaction as the \`ADD … NOT VALID\` it validates (the same file, when the
  migration tool runs the file as one transaction, or inside one BEGIN … COMMIT).

**Why it matters:** validating the constraint scans the whole table while holding a lock that blocks writes
(and, for a foreign key, writes to the referenced table too). NOT VALID makes the ADD instant, but only if the
VALIDATE runs in a later transaction: in the same one, the ADD's lock is still held during the whole scan.

**How to fix:** add it as NOT VALID (instant; new rows are checked), then validate it in a separate migration,
which only takes a lock that lets reads and writes continue.
\`\`\`sql
-- 20240301000000_documents_owner_fk.sql
alter table public.documents add constraint documents_owner_fk
  foreign key (owner_id) references public.profiles (id) not valid;
-- 20240301000001_validate_documents_owner_fk.sql
alter table public.documents validate constraint documents_owner_fk;
\`\`\`

**Peers:** squawk \`constraint-missing-not-valid\` and \`adding-foreign-key-constraint\`, Postgres Language Server
\`constraintMissingNotValid\`, \`addingForeignKeyConstraint\` and \`banNotValidValidateSameTransaction\`. Now agrees
with them on NOT VALID followed by VALIDATE in one transaction. Differs deliberately: a table created in the same
migration is not reported (it holds no rows to scan), and whether two statements share a transaction follows the
project's migration tool rather than a single assume-in-transaction switch.`,
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
        const notValid = insertAt(file.lines.positionAt(stmt.offset + semi), ' not valid');
        const validate = `alter table ${sqlName(table)} validate constraint ${quoteIdent(name)};`;
        // A second statement in the file would share its transaction under a tool that runs files atomically.
        const flow = fileFlow(ctx.config, file);
        const inTx = (flow.tx[stmt.index] ?? -1) >= 0 || flow.mode === 'atomic';
        if (!inTx) {
          fixes.push({ title: 'Add NOT VALID and validate in a separate statement', edits: [{ file: file.path, edits: [notValid, insertAfterStatement(stmt, validate)] }], isPreferred: true });
        } else {
          // Validating in the same transaction would keep the ADD's lock through the scan: a later migration does it.
          const path = migrationPathAfter(ctx, file.path, `validate_${name}`);
          fixes.push({
            title: `Add NOT VALID and validate in a new migration (${basename(path) === 'migration.sql' ? basename(dirname(path)) : basename(path)})`,
            edits: [{ file: file.path, edits: [notValid] }],
            create: [{ file: path, content: `${validate}\n` }],
            isPreferred: true,
          });
        }
      }
      out.push(
        finding(rule, file.path, identRange(file, stmt, con.location),
          `Adding a ${kind} to ${sqlName(table)}, which already holds data, scans the table under a write-blocking lock; add it NOT VALID, then VALIDATE CONSTRAINT in a later migration.`,
          { fixes }),
      );
    }
    // NOT VALID then VALIDATE in one transaction.
    const added = new Map<string, { tx: number; line: number }>();
    for (const { stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_AddConstraint')) {
      const con = cmd.def?.Constraint;
      if (!con?.skip_validation || !con.conname) continue;
      const tx = fileFlow(ctx.config, file).tx[stmt.index] ?? -1;
      if (tx >= 0) added.set(`${file.path}\0${tx}\0${stmt.node.relation?.relname}\0${con.conname}`, { tx, line: stmt.range.start.line });
    }
    if (added.size === 0) return out;
    for (const { stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_ValidateConstraint')) {
      const flow = fileFlow(ctx.config, file);
      const tx = flow.tx[stmt.index] ?? -1;
      const hit = added.get(`${file.path}\0${tx}\0${stmt.node.relation?.relname}\0${cmd.name}`);
      if (!hit) continue;
      const fixes = alterCmds(stmt).length === 1 ? [moveToOwnMigration(ctx, file, stmt, stmt.text, 'Validate in a later migration', `validate_${cmd.name}`)] : [];
      out.push(
        finding(rule, file.path, identRange(file, stmt, stmt.node.relation?.location),
          `VALIDATE CONSTRAINT "${cmd.name}" runs ${txDescription(flow, file, stmt)} that added it NOT VALID (line ${hit.line + 1}): the ADD's lock is held through the whole scan, so NOT VALID gains nothing. Validate in a later migration.`,
          { fixes }),
      );
    }
    return out;
  },
};
