import type { Rule } from '../rule';
import { finding } from '../rule';
import { insertAt, maskLiterals } from '../fixes';
import { wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import type { Statement } from '../../sql/parse';
import type { Finding, TextEdit } from '../types';
import type { ParsedFile } from '../../sql/parse';

/** Statements that fail when run a second time, with where `if [not] exists` goes (after the matched head). */
function notRerunnable(s: Statement): { what: string; head: RegExp; insert: string; guard: string } | undefined {
  const n = s.node;
  switch (s.kind) {
    case 'IndexStmt':
      return n.if_not_exists || !n.idxname ? undefined : { what: 'CREATE INDEX', head: /^\s*create\s+(unique\s+)?index(\s+concurrently)?/i, insert: ' if not exists', guard: 'IF NOT EXISTS' };
    case 'DropStmt':
      if (n.missing_ok) return undefined;
      if (n.removeType === 'OBJECT_INDEX') return { what: 'DROP INDEX', head: /^\s*drop\s+index(\s+concurrently)?/i, insert: ' if exists', guard: 'IF EXISTS' };
      if (n.removeType === 'OBJECT_TABLE') return { what: 'DROP TABLE', head: /^\s*drop\s+table/i, insert: ' if exists', guard: 'IF EXISTS' };
      return undefined;
    case 'CreateStmt':
      return n.if_not_exists ? undefined : { what: 'CREATE TABLE', head: /^\s*create\s+((global|local)\s+)?((temp|temporary|unlogged)\s+)?table/i, insert: ' if not exists', guard: 'IF NOT EXISTS' };
    case 'AlterTableStmt': {
      const cmds = (n.cmds ?? []).map((c: { AlterTableCmd?: { subtype?: string; missing_ok?: boolean } }) => c.AlterTableCmd ?? {});
      const bad = cmds.find((c: { subtype?: string; missing_ok?: boolean }) => (c.subtype === 'AT_AddColumn' || c.subtype === 'AT_DropColumn') && !c.missing_ok);
      return bad ? { what: bad.subtype === 'AT_AddColumn' ? 'ADD COLUMN' : 'DROP COLUMN', head: /$^/, insert: '', guard: bad.subtype === 'AT_AddColumn' ? 'IF NOT EXISTS' : 'IF EXISTS' } : undefined;
    }
    default:
      return undefined;
  }
}

export const rule: Rule = {
  id: 'prefer-robust-stmts',
  severity: 'info',
  category: 'migration',
  summary: 'A migration that runs outside a transaction should be safe to run again',
  docs: `## prefer-robust-stmts

**What it finds:** in a migration file that holds a \`CONCURRENTLY\` statement running outside a transaction (so it
cannot be wrapped in one), statements that fail when the migration is run a second time: \`CREATE INDEX\`, \`CREATE
TABLE\`, \`ADD COLUMN\` without \`IF NOT EXISTS\`, \`DROP INDEX\`, \`DROP TABLE\`, \`DROP COLUMN\` without \`IF EXISTS\`.

**Why it matters:** without a transaction, a failure half-way leaves the earlier statements applied. The tool
marks the migration failed; running it again then fails on the first statement that already ran. A failed
\`CREATE INDEX CONCURRENTLY\` also leaves an INVALID index behind under its name.

**How to fix:** write each statement so it can run again (quick fix for CREATE/DROP INDEX and TABLE).
\`\`\`sql
create index concurrently if not exists documents_owner_id_idx on public.documents (owner_id);
\`\`\`
(After a failed concurrent build, drop the INVALID index before retrying: \`IF NOT EXISTS\` would skip it.)

**Peers:** squawk \`prefer-robust-stmts\`, Postgres Language Server \`preferRobustStmts\`. Differs deliberately: the
peers report every file not wrapped in a transaction, which floods projects whose runner applies plain files
statement by statement; we report the files that cannot be wrapped (they hold CONCURRENTLY), where a retry is the
expected recovery.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file, flow } of wantedFiles(ctx)) {
      const concurrent = file.statements.some((s) => s.node.concurrent && (flow.tx[s.index] ?? -1) < 0 && (s.kind === 'IndexStmt' || s.kind === 'DropStmt'));
      if (!concurrent) continue;
      for (const s of file.statements) {
        if ((flow.tx[s.index] ?? -1) >= 0) continue;
        const bad = notRerunnable(s);
        if (!bad) continue;
        const edit = fixEdit(file, s, bad.head, bad.insert);
        out.push(finding(rule, file.path, headRange(file, s),
          `${bad.what} without ${bad.guard} fails if this migration has to be run again; it runs outside a transaction, so a failure half-way leaves it applied.`,
          { fixes: edit ? [{ title: `Add ${bad.guard}`, edits: [{ file: file.path, edits: [edit] }], isPreferred: true }] : [] }));
      }
    }
    return out;
  },
};

function fixEdit(file: ParsedFile, s: Statement, head: RegExp, insert: string): TextEdit | undefined {
  if (!insert) return undefined;
  const m = head.exec(maskLiterals(s.text));
  return m ? insertAt(file.lines.positionAt(s.offset + m[0].length), insert) : undefined;
}
