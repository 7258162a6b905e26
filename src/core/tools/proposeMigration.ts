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
  description: 'Proposes a new migration (a name and its SQL) for the user to review and save; it is never applied or written by this tool. '
    + 'The SQL is checked with the analyzer on top of the existing migrations and the findings come back, so fix them before proposing the final version.',
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
  async run(input, ctx) {
    const sql = typeof input.sql === 'string' ? input.sql.trim() : '';
    const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim() : 'proposed_change';
    if (!sql) return toolError('No SQL given: pass the migration as `sql`.');
    const split = await parseScript(sql);
    if (!split.ok) return toolError(`The proposed migration does not parse: line ${split.line}: ${split.message}. Fix it and propose again.`, 'syntax error');
    const ws = await ctx.project.analysis();
    const root = ctx.project.root;
    const absPath = ctx.project.newMigrationPath(name, { folders: ws.folders, files: ws.files });
    const findings = formatFindings(findingsWithExtraFile(ws, absPath, sql + '\n'), (f) => displayRel(root, f));
    const proposal: MigrationProposal = {
      path: displayRel(root, absPath), absPath, name, sql: sql + '\n', findings,
      ...(input.description ? { description: String(input.description) } : {}),
    };
    ctx.onProposal?.(proposal);
    const lines = [
      `Proposed migration ${proposal.path} (${split.statements.length} statement${split.statements.length === 1 ? '' : 's'}); it was not applied or saved — the user decides.`,
      findings.length ? `The analyzer reports ${findings.length} finding${findings.length === 1 ? '' : 's'} on it:` : 'The analyzer reports no findings on it.',
      ...findings,
    ];
    return { content: capText(lines.join('\n'), resultBudget(ctx)).text, summary: `${proposal.path}, ${findings.length} finding${findings.length === 1 ? '' : 's'}` };
  },
};
