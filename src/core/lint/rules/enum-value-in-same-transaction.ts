import type { Rule } from '../rule';
import { finding } from '../rule';
import { txDescription, wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import { qualifiedKey, sqlName } from '../../schema/names';
import { walk } from '../../schema/walk';
import type { AstNode } from '../../sql/parse';
import type { Finding } from '../types';

/** The string constants a statement contains. */
function literals(node: AstNode): Set<string> {
  const out = new Set<string>();
  walk(node, (n) => {
    const v = n.A_Const?.sval?.sval;
    if (typeof v === 'string') out.add(v);
    return undefined;
  });
  return out;
}

export const rule: Rule = {
  id: 'enum-value-in-same-transaction',
  severity: 'error',
  category: 'migration',
  summary: 'A new enum value is used in the same transaction that added it',
  docs: `## enum-value-in-same-transaction

**What it finds:** \`ALTER TYPE … ADD VALUE 'x'\` followed, in the same transaction, by a statement that uses
\`'x'\` (as a literal in a statement that names the enum type or one of its columns). Whether statements share a
transaction follows the project's migration tool (the Supabase CLI and Prisma run a file as one transaction)
and the file's own BEGIN/COMMIT.

**Why it matters:** PostgreSQL 12+ lets ADD VALUE run inside a transaction, but the new value cannot be used until
that transaction commits: "unsafe use of new value". The migration fails. (Before PostgreSQL 12, ADD VALUE could
not run in a transaction block at all.)

**How to fix:** add the value in one migration and use it in the next.
\`\`\`sql
-- 20240301000000_add_archived_status.sql
alter type public.doc_status add value if not exists 'archived';
-- 20240301000001_archive_old_docs.sql
update public.documents set status = 'archived' where updated_at < now() - interval '1 year';
\`\`\`

**Peers:** squawk and the Postgres Language Server flag every \`ADD VALUE\` (\`ban-alter-enum-add-value\`-style advice,
\`creatingEnum\`); neither checks the use of the value. Differs deliberately: adding a value is instant and safe on
PostgreSQL 12+, so only the failing pattern is reported, as an error.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file, flow } of wantedFiles(ctx)) {
      // Added values per transaction: label → type key and the line that added it.
      const added = new Map<number, Map<string, { type: string; line: number }>>();
      for (const s of file.statements) {
        const tx = flow.tx[s.index] ?? -1;
        if (tx < 0) continue;
        if (s.kind === 'AlterEnumStmt' && s.node.newVal && !s.node.oldVal) {
          const type = qualifiedKey(s.node.typeName);
          if (!type) continue;
          const m = added.get(tx) ?? new Map();
          m.set(s.node.newVal, { type, line: s.range.start.line });
          added.set(tx, m);
          continue;
        }
        const pending = added.get(tx);
        if (!pending) continue;
        const used = literals(s.node);
        for (const [label, { type, line }] of pending) {
          if (!used.has(label)) continue;
          // The statement must be about the enum: it names the type or a column of that type.
          const typeName = type.split('.').pop()!;
          const columns = [...ctx.model.tables.values()].flatMap((t) => [...t.columns.values()].filter((c) => c.type.name === typeName).map((c) => c.name));
          const text = s.text.toLowerCase();
          const mentions = text.includes(typeName.toLowerCase()) || columns.some((c) => new RegExp(`\\b${c.replace(/[^\w]/g, '')}\\b`, 'i').test(text));
          if (!mentions) continue;
          out.push(finding(rule, file.path, headRange(file, s),
            `'${label}' was added to ${sqlName(type)} at line ${line + 1} ${txDescription(flow, file, s)}; PostgreSQL refuses to use a new enum value before it commits ("unsafe use of new value"). Use it in a later migration.`));
          pending.delete(label);
          break;
        }
      }
    }
    return out;
  },
};
