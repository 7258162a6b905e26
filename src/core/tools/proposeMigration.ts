import { parseScript } from '../sql/script';
import { capText, resultBudget } from './budget';
import { displayRel } from './files';
import { formatFindings } from './lintSql';
import { findingsWithExtraFile } from '../workspace/project';
import { toolError, type MigrationProposal, type Tool } from './types';

interface Input { name?: string; sql?: string; description?: string }

export type { MigrationProposal } from './types';

export const proposeMigration: Tool<Input> = {
  name: 'propose_migration',
  description: 'Proposes a new migration (a name and its SQL) for the user to review and save; it is never applied to the user\'s database or written by this tool. '
    + 'The SQL is checked with the analyzer on top of the existing migrations and, when the embedded database is in use, run on a throwaway copy of it; '
    + 'the findings and any statement PostgreSQL refused come back, so fix them before proposing the final version.',
  inputSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Short snake_case name, e.g. "enable_rls_on_invoices".' },
      sql: { type: 'string', description: 'The whole migration SQL.' },
      description: { type: 'string', description: 'One or two sentences on what it changes and why.' },
    },
    required: ['name', 'sql'],
    additionalProperties: false,
  },
  readOnly: true,
  progress: (input) => `Checking the proposed migration ${input.name ?? ''}…`.replace(' …', '…'),
  async run(input, ctx, signal) {
    const sql = typeof input.sql === 'string' ? input.sql.trim() : '';
    const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim() : 'proposed_change';
    if (!sql) return toolError('No SQL given: pass the migration as `sql`.');
    const split = await parseScript(sql);
    if (!split.ok) return toolError(`The proposed migration does not parse: line ${split.line}: ${split.message}. Fix it and propose again.`, 'syntax error');
    const ws = await ctx.project.analysis();
    const root = ctx.project.root;
    const absPath = ctx.project.newMigrationPath(name, { folders: ws.folders, files: ws.files });
    const findings = formatFindings(findingsWithExtraFile(ws, absPath, sql + '\n'), (f) => displayRel(root, f));
    const path = displayRel(root, absPath);
    const trial = await tryOnEmbedded(ctx, path, sql + '\n', signal);
    const proposal: MigrationProposal = {
      path, absPath, name, sql: sql + '\n', findings,
      ...(input.description ? { description: String(input.description) } : {}),
      ...(trial.refused ? { refused: trial.refused } : {}),
    };
    ctx.onProposal?.(proposal);
    const lines = [
      `Proposed migration ${proposal.path} (${split.statements.length} statement${split.statements.length === 1 ? '' : 's'}); it was not applied to the user's database or saved — the user decides.`,
      findings.length ? `The analyzer reports ${findings.length} finding${findings.length === 1 ? '' : 's'} on it:` : 'The analyzer reports no findings on it.',
      ...findings,
      ...trial.lines,
    ];
    const refusedNote = trial.refused?.length ? `, ${trial.refused.length} statement${trial.refused.length === 1 ? '' : 's'} refused by the embedded database` : '';
    return { content: capText(lines.join('\n'), resultBudget(ctx)).text, summary: `${proposal.path}, ${findings.length} finding${findings.length === 1 ? '' : 's'}${refusedNote}` };
  },
};

/**
 * Runs the proposal on a throwaway copy of the embedded database, when that is the database in use: what PostgreSQL
 * refuses (a missing column, a type that does not cast) is caught before the user saves the file. A live connection
 * is never used for this.
 */
async function tryOnEmbedded(ctx: Parameters<Tool['run']>[1], path: string, sql: string, signal: AbortSignal): Promise<{ refused?: string[]; lines: string[] }> {
  const db = await ctx.project.database().catch(() => undefined);
  if (!db) return { lines: [] };
  if (!db.withMigration) return { lines: [`It was not run: the database in use is ${db.name}, a live connection, and proposals only run on a copy of the embedded database.`] };
  try {
    const refused = (await db.withMigration(path, sql, async (copy) => copy.refused, signal)).map((i) => `line ${i.line}: ${i.message}`);
    return refused.length
      ? { refused, lines: [`Run on a throwaway copy of the embedded database (built from the migrations), ${refused.length} statement${refused.length === 1 ? ' was' : 's were'} refused:`, ...refused, 'Fix it and propose again.'] }
      : { refused, lines: ['Run on a throwaway copy of the embedded database (built from the migrations): every statement ran.'] };
  } catch (err) {
    return { lines: [`It could not be run on a copy of the embedded database: ${(err as Error).message}`] };
  }
}
