import type { Rule } from '../rule';
import { finding } from '../rule';
import { alterationsOfExistingTables } from '../helpers';
import { identRange, typeRefOf } from '../../schema/build';
import { sqlName } from '../../schema/names';
import type { AstNode } from '../../sql/parse';
import type { Finding } from '../types';

const has = (def: AstNode, type: string) => (def.constraints ?? []).some((c: AstNode) => c.Constraint?.contype === type);

export const rule: Rule = {
  id: 'adding-required-column',
  severity: 'error',
  category: 'migration',
  summary: 'Adding a NOT NULL column without a default to an existing table',
  docs: `## adding-required-column

**What it finds:** \`ALTER TABLE … ADD COLUMN … NOT NULL\` without a \`DEFAULT\` on a table that existed before
this migration.

**Why it matters:** existing rows would get NULL, so the statement fails as soon as the table has a row —
in production, not on your empty development database.

**How to fix:** give it a default, or add it nullable, backfill, then set NOT NULL.
\`\`\`sql
alter table public.profiles add column plan text not null default 'free';
-- or
alter table public.profiles add column plan text;
update public.profiles set plan = 'free' where plan is null;
alter table public.profiles alter column plan set not null;
\`\`\`

**Peers:** squawk \`adding-required-field\`, Postgres Language Server \`addingRequiredField\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_AddColumn')) {
      const def = cmd.def?.ColumnDef;
      if (!def) continue;
      const required = has(def, 'CONSTR_NOTNULL') || has(def, 'CONSTR_PRIMARY');
      const filled = has(def, 'CONSTR_DEFAULT') || has(def, 'CONSTR_IDENTITY') || has(def, 'CONSTR_GENERATED') || def.identity || /serial/.test(typeRefOf(def.typeName).name);
      if (!required || filled) continue;
      out.push(
        finding(rule, file.path, identRange(file, stmt, def.location),
          `Column "${def.colname}" is added to ${sqlName(facts.table!)} as NOT NULL without a default: the migration fails on a table that has rows.`),
      );
    }
    return out;
  },
};
