import type { Rule } from '../rule';

/**
 * Checked in the project's SQL files that are not migrations (queries, seeds, functions kept apart) and in the SQL
 * literals of its TypeScript/JavaScript, against the schema the migrations build: the Analyzer runs
 * `queryFileFindings` (../queryFiles) on its query files. Migrations themselves are checked by the other rules, so
 * `check` has nothing to do on them.
 */
export const rule: Rule = {
  id: 'unknown-reference',
  severity: 'error',
  category: 'schema',
  summary: 'A query file uses a table, column or function the migrations never create',
  docs: `## unknown-reference

**What it finds:** in the project's SQL files that are not migrations (\`queries/\`, \`supabase/seed.sql\`, snippets)
and in SQL literals in its TypeScript/JavaScript (\`\` sql\`…\` \`\`, \`$queryRaw\`, \`db.query('…')\`), a table or view, a column (in
INSERT/UPDATE targets, qualified references, and unqualified ones when every table in scope is known) or a function
that the schema built by all the migrations does not have, with the closest existing name ("did you mean") and its
position. Offline: no database connection. \`$1\`, \`:name\` and \`\${…}\` placeholders are accepted. Unqualified
functions are judged against PostgreSQL's built-ins, every function the migrations create and the functions of the
extensions they create (not at all when one of those extensions is unknown to us); schemas the migrations never
create (Supabase's \`auth\`, \`storage\` …) are not judged. These files are also checked for syntax errors
(\`syntax-error\`).

**Why it matters:** the query fails at run time — after a column rename in a migration, every query file that still
uses the old name is broken, and nothing tells you until the application calls it.

**How to fix:** use the name the schema has (the message suggests it).

**Peers:** the Postgres Language Server reports unknown relations and columns through type checking, with a live
database connection; squawk and splinter do not check queries against a schema.`,
  check: () => [],
};
