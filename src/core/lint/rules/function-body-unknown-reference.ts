import type { Rule } from '../rule';
import { finding } from '../rule';
import { bodyText, functionBodies } from '../plpgsql';
import { checkReferences, mayHaveReferenceProblems } from '../references';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'function-body-unknown-reference',
  severity: 'warning',
  category: 'schema',
  summary: 'A function body uses a table, column or function the migrations never create',
  docs: `## function-body-unknown-reference

**What it finds:** in PL/pgSQL and SQL function bodies, tables, columns (in INSERT/UPDATE targets, qualified
references, and unqualified ones when every table in scope is known) and schema-qualified functions that the
schema built by all the migrations does not have, with the closest existing name. Offline: no database needed.
Schemas the migrations do not create (Supabase's \`auth\`, \`storage\` …) are not judged.

**Why it matters:** PostgreSQL checks a PL/pgSQL body only when it runs, so a typo or a column renamed by a later
migration breaks the function in production, at its first call.

**How to fix:** use the name the schema has (the message suggests it), or update the function in a new migration
after a rename.

**Peers:** the Postgres Language Server's type checking and \`plpgsql_check\` integration find these with a live
database connection; squawk and splinter do not.`,
  check(ctx) {
    const out: Finding[] = [];
    // A body that names no table and no schema of ours has nothing to find: skip parsing it (most trigger bodies).
    for (const fn of functionBodies(ctx, (stmt) => mayHaveReferenceProblems(bodyText(stmt) ?? '', ctx.model))) {
      const searchPath = fn.searchPath ? fn.searchPath.split(',').map((s) => s.trim().replace(/^"|"$/g, '')).filter((s) => s && s !== '$user' && s !== 'pg_temp' && s !== 'pg_catalog') : undefined;
      for (const e of fn.exprs) {
        // Plain expressions name tables only inside a subquery: skip parsing the rest.
        if (e.prefix > 0 && !/\bfrom\b/i.test(e.text)) continue;
        if (!e.tree) continue;
        for (const p of checkReferences(e.tree, ctx.model, { variables: fn.variables, ...(searchPath && searchPath.length ? { searchPath } : {}) })) {
          out.push(finding(rule, fn.file.path, e.range(p.loc), `In function ${fn.name}: ${p.message}`));
        }
      }
    }
    return out;
  },
};
