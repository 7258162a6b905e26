/**
 * # The analysis of a workspace (SQL migrations and Prisma schemas) — API for the editor face, the CLI and agents
 *
 * ```ts
 * import { Analyzer, loadConfig, allRuleIds, ruleMeta } from '../core/analysis';
 *
 * const { config } = loadConfig(root, allRuleIds);          // throws ConfigError (message says file/key/fix)
 * const analyzer = await Analyzer.create({ config });        // loads libpg-query's wasm once
 * analyzer.setOrder(findMigrationFiles(root, config.migrationFolders).files); // optional: apply order
 * analyzer.setFile(absPath, text);                           // on open/change/create (cheap when unchanged)
 * analyzer.removeFile(absPath);                              // on delete
 * analyzer.findingsFor(absPath);                             // Finding[] for one file → diagnostics
 * analyzer.findings();                                       // every finding, file order then position
 * analyzer.model();                                          // SchemaModel (tables, policies, indexes, …)
 * analyzer.tableAt(absPath, { line, column });               // Table under the cursor → hover
 * describeTable(analyzer.model(), table);                    // markdown for that hover
 * analyzer.setConfig(mergeConfig(fileConfig, editorSettings));
 * ```
 *
 * - **Positions** in `Finding.range`, `Fix` edits and `tableAt` are 0-based lines and UTF-16 columns,
 *   exactly `vscode.Range`'s units. Paths are absolute.
 * - **Finding** (`./types`): `rule`, `severity` (configured), `category`, `message`, `file`, `range`,
 *   `fixes`, `related`. Map `severity` error/warning/info → DiagnosticSeverity; set `code` to `rule`
 *   (link it to the rule docs with `ruleMeta(rule).docs`).
 * - **Fix** → one CodeAction: apply `edits` (per file) and `create` (new files with content, e.g. a new
 *   timestamped migration next to the others) in one WorkspaceEdit; `isPreferred` marks the main one.
 * - **Suppression** is built in: `-- dbe-ignore rule-id[, rule-id]` silences the next statement,
 *   `-- dbe-ignore-file rule-id` the whole file (no ids = all rules). The "suppress" code actions' edits come
 *   from `core/editing/suppress` (SQL and Prisma alike).
 * - **Incremental**: `setFile` re-parses only statements whose text changed; model and findings are
 *   rebuilt lazily on the next query. On a keystroke, call `findingsFor(editedFile)` first: it builds a
 *   focused model (only the tables that file's findings depend on) and gives exactly the findings a
 *   full analysis would for that file (≈ 15 ms for a 1,000-statement file in a 6,000-statement
 *   workspace). Then, debounced, `findings()` refreshes every file (cross-file effects: enabling RLS
 *   in one migration clears a finding in another).
 * - Rules never throw into the caller (a failing rule is logged and skipped); bad SQL becomes a
 *   `syntax-error` finding and the rest of the file is still analysed.
 * - **Prisma**: `.prisma` paths given to `setFile` are checked by the Prisma rules (`../prisma`, category
 *   `prisma`) against the model the SQL files build; their findings come with `findings()`.
 */
import { allRules } from '../lint/rules';
import { STATEMENT_TOO_COMPLEX, SYNTAX_ERROR, UNAPPLIED_STATEMENT } from '../lint/engine';
import type { RuleMeta } from '../findings/types';
import { prismaRules } from '../prisma/rules';
import { PRISMA_PARSE_ERROR } from '../prisma/lint';

export type { Finding, Fix, Range, Position, Severity, RuleCategory, RuleMeta, TextEdit } from '../findings/types';
export type { Rule, RuleContext } from '../lint/rule';
export { Analyzer, type AnalyzerOptions } from './analyzer';
export { runRules, STATEMENT_TOO_COMPLEX, SYNTAX_ERROR, UNAPPLIED_STATEMENT } from '../lint/engine';
export { statementAt, statementNear } from '../sql/cursor';
export { loadConfig, parseConfig, validateConfig, mergeConfig, defaultConfig, ConfigError, CONFIG_FILE, type DbeConfig } from '../findings/config';
export { allRules } from '../lint/rules';
export { describeTable } from '../schema/describe';
export type { SchemaModel, Table, Column, Index, Policy, FunctionDef, View } from '../schema/model';

/** Every rule id a config or suppression comment may name, syntax-error included. */
export const allRuleIds: readonly string[] = [SYNTAX_ERROR.id, STATEMENT_TOO_COMPLEX.id, UNAPPLIED_STATEMENT.id, ...allRules.map((r) => r.id), PRISMA_PARSE_ERROR.id, ...prismaRules.map((r) => r.id)];

/** Metadata of every rule (SQL, then Prisma), for rule lists and SARIF. */
export const allRuleMetas: readonly RuleMeta[] = [SYNTAX_ERROR, STATEMENT_TOO_COMPLEX, UNAPPLIED_STATEMENT, ...allRules, PRISMA_PARSE_ERROR, ...prismaRules];

/** Metadata (summary, docs markdown, default severity) of a rule id, syntax-error included. */
export function ruleMeta(id: string): RuleMeta | undefined {
  if (id === SYNTAX_ERROR.id) return SYNTAX_ERROR;
  if (id === UNAPPLIED_STATEMENT.id) return UNAPPLIED_STATEMENT;
  if (id === STATEMENT_TOO_COMPLEX.id) return STATEMENT_TOO_COMPLEX;
  if (id === PRISMA_PARSE_ERROR.id) return PRISMA_PARSE_ERROR;
  const r: RuleMeta | undefined = allRules.find((x) => x.id === id) ?? prismaRules.find((x) => x.id === id);
  return r && { id: r.id, severity: r.severity, category: r.category, summary: r.summary, docs: r.docs };
}
export { FIX_ALL_RULES, fixAllEdits } from '../lint/fixAll';
