import type { Rule } from '../rule';
import { finding } from '../rule';
import { alterationsOfExistingTables } from '../helpers';
import { identRange } from '../../schema/build';
import { sqlName, strings } from '../../schema/names';
import { walk } from '../../schema/walk';
import type { AstNode } from '../../sql/parse';
import type { Finding } from '../types';

/** Volatile functions commonly used as defaults: each row needs its own value, so the table is rewritten. */
const VOLATILE = new Set(['random', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current', 'gen_random_bytes']);

function volatileCall(expr: AstNode | undefined): string | undefined {
  let found: string | undefined;
  walk(expr, (node) => {
    if (found) return false;
    if (node.FuncCall) {
      const name = strings(node.FuncCall.funcname).pop();
      if (name && VOLATILE.has(name)) found = name;
    }
    return undefined;
  });
  return found;
}

export const rule: Rule = {
  id: 'volatile-default-rewrite',
  severity: 'warning',
  category: 'migration',
  summary: 'Adding a column with a volatile default (or a stored generated column) rewrites the table',
  docs: `## volatile-default-rewrite

**What it finds:** \`ADD COLUMN\` on an existing table with a volatile default (\`gen_random_uuid()\`,
\`random()\`, \`clock_timestamp()\`, \`nextval()\` …) or \`GENERATED ALWAYS AS (…) STORED\`.

**Why it matters:** since PostgreSQL 11 a constant (or stable, like \`now()\`) default is stored once in the
catalog. A volatile one must be computed per row, so PostgreSQL rewrites the whole table under an
ACCESS EXCLUSIVE lock: no reads or writes until it finishes.

**How to fix:** add the column without the default, set the default for new rows, backfill in batches.
\`\`\`sql
alter table public.documents add column public_id uuid;
alter table public.documents alter column public_id set default gen_random_uuid();
update public.documents set public_id = gen_random_uuid() where public_id is null; -- in batches
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_AddColumn')) {
      const def = cmd.def?.ColumnDef;
      if (!def) continue;
      const cons: AstNode[] = (def.constraints ?? []).map((c: AstNode) => c.Constraint ?? {});
      const dflt = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
      const fn = volatileCall(dflt?.raw_expr);
      const generated = cons.some((c) => c.contype === 'CONSTR_GENERATED');
      if (!fn && !generated) continue;
      const why = fn ? `its default ${fn}() is volatile` : 'it is a stored generated column';
      out.push(
        finding(rule, file.path, identRange(file, stmt, def.location),
          `Adding column "${def.colname}" to ${sqlName(facts.table!)} rewrites the whole table under an exclusive lock because ${why}.`),
      );
    }
    return out;
  },
};
