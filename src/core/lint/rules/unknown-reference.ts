import type { Rule } from '../rule';

/**
 * Checked in the project's SQL files that are not migrations (queries, seeds, functions kept apart), against the
 * schema the migrations build: see `lintQueryFiles` in ../queryFiles. Migrations themselves are checked by the
 * other rules, so `check` has nothing to do on them.
 */
export const rule: Rule = {
  id: 'unknown-reference',
  severity: 'error',
  category: 'schema',
  summary: 'A query file uses a table, column or function the migrations never create',
  docs: `## unknown-reference

**What it finds:** in the project's SQL files that are not migrations (\`queries/\`, \`supabase/seed.sql\`, snippets),
a table or view, a column (in INSERT/UPDATE targets, qualified references, and unqualified ones when every table in
scope is known) or a schema-qualified function that the schema built by all the migrations does not have, with the
closest existing name ("did you mean") and its position. Offline: no database connection. \`$1\` and \`:name\`
placeholders are accepted. Schemas the migrations never create (Supabase's \`auth\`, \`storage\` …) are not judged.
These files are also checked for syntax errors (\`syntax-error\`).

**Why it matters:** the query fails at run time — after a column rename in a migration, every query file that still
uses the old name is broken, and nothing tells you until the application calls it.

**How to fix:** use the name the schema has (the message suggests it).

**Peers:** the Postgres Language Server reports unknown relations and columns through type checking, with a live
database connection; squawk and splinter do not check queries against a schema.`,
  check: () => [],
};
