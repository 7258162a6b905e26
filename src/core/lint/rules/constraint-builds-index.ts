import type { Rule } from '../rule';
import { finding } from '../rule';
import { alterationsOfExistingTables } from '../helpers';
import { identRange } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { AstNode } from '../../sql/parse';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'constraint-builds-index',
  severity: 'warning',
  category: 'migration',
  summary: 'ADD PRIMARY KEY / ADD UNIQUE on an existing table builds its index under ACCESS EXCLUSIVE',
  docs: `## constraint-builds-index

**What it finds:** \`ALTER TABLE … ADD PRIMARY KEY\`, \`ADD UNIQUE\` (or \`ADD CONSTRAINT … PRIMARY KEY/UNIQUE\`, or a new
column declared \`PRIMARY KEY\`/\`UNIQUE\`) on a table that existed before this migration, without \`USING INDEX\`.

**Why it matters:** PostgreSQL builds the unique index inside the ALTER TABLE, holding ACCESS EXCLUSIVE: the
table is closed to reads and writes for the whole build.

**How to fix:** build the unique index concurrently in its own migration, then attach it (instant).
\`\`\`sql
-- 20240301000000_documents_slug_key_index.sql
create unique index concurrently if not exists documents_slug_key on public.documents (slug);
-- 20240301000001_documents_slug_key.sql
alter table public.documents add constraint documents_slug_key unique using index documents_slug_key;
\`\`\`

**Peers:** squawk \`disallowed-unique-constraint\` and \`adding-serial-primary-key-field\`, Postgres Language Server
\`disallowUniqueConstraint\` and \`addingPrimaryKeyConstraint\`. Differs deliberately: tables created in the same
migration are not reported (nothing to index yet).`,
  check(ctx) {
    const out: Finding[] = [];
    const report = (file: Parameters<typeof identRange>[0], stmt: Parameters<typeof identRange>[1], table: string, con: AstNode) => {
      const kind = con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
      out.push(finding(rule, file.path, identRange(file, stmt, con.location),
        `ADD ${kind} on ${sqlName(table)}, which holds data, builds its index while the table is locked against reads and writes; create a unique index CONCURRENTLY first, then ADD ${kind} USING INDEX.`));
    };
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_AddConstraint')) {
      const con = cmd.def?.Constraint;
      if ((con?.contype === 'CONSTR_PRIMARY' || con?.contype === 'CONSTR_UNIQUE') && !con.indexname) report(file, stmt, facts.table!, con);
    }
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_AddColumn')) {
      for (const c of cmd.def?.ColumnDef?.constraints ?? []) {
        const con = c.Constraint;
        if (con?.contype === 'CONSTR_PRIMARY' || con?.contype === 'CONSTR_UNIQUE') report(file, stmt, facts.table!, con);
      }
    }
    return out;
  },
};
