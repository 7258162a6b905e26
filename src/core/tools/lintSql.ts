import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../analysis';
import { capText, resultBudget } from './budget';
import { displayRel, isAllowed, resolveWorkspacePath } from './files';
import { findingsWithExtraFile } from '../workspace/project';
import { toolError, type Tool } from './types';

interface Input { sql?: string; files?: string[] }

/** The virtual file name SQL text is analysed under (after the workspace's migrations, so it sees their schema). */
export const SNIPPET_FILE = '<sql>';

export function formatFindings(findings: Finding[], rel: (file: string) => string): string[] {
  return findings.map((f) => `${rel(f.file)}:${f.range.start.line + 1}:${f.range.start.column + 1} ${f.severity} [${f.rule}] ${f.message}`
    + (f.fixes.length ? ` (fix: ${f.fixes.map((x) => x.title).join('; ')})` : ''));
}

export const lintSql: Tool<Input> = {
  name: 'lint_sql',
  description: 'Runs the static analyzer (row level security, security, performance, migration safety rules) on SQL text or on workspace migration files. '
    + 'Returns findings with rule ids and file:line. Pass `sql` to check a statement or a draft migration (it is checked on top of the workspace schema), '
    + '`files` for specific workspace files, or nothing for all migrations.',
  inputSchema: {
    type: 'object',
    properties: {
      sql: { type: 'string', description: 'SQL text to check, e.g. a draft migration.' },
      files: { type: 'array', items: { type: 'string' }, description: 'Workspace-relative .sql files to report on.' },
    },
    additionalProperties: false,
  },
  readOnly: true,
  progress: (input) => (input.sql ? 'Linting the SQL…' : input.files?.length ? `Linting ${input.files.join(', ')}…` : 'Linting the workspace migrations…'),
  async run(input, ctx) {
    const ws = await ctx.project.analysis();
    const root = ctx.project.root;
    const snippetPath = join(root, '.dbe-snippet', `zzzz-${SNIPPET_FILE}.sql`);
    const rel = (f: string) => (f === snippetPath ? SNIPPET_FILE : displayRel(root, f));
    const findings: Finding[] = [];
    let reported = 0;
    if (typeof input.sql === 'string' && input.sql.trim()) {
      findings.push(...findingsWithExtraFile(ws, snippetPath, input.sql));
      reported++;
    }
    for (const given of input.files ?? []) {
      const r = resolveWorkspacePath(ctx, given);
      if (!r.ok) return toolError(r.message);
      if (ws.analyzer.hasFile(r.abs)) {
        findings.push(...ws.analyzer.findingsFor(r.abs));
      } else {
        // A .sql file outside the migrations (a query file): analysed after them, not kept.
        let text: string;
        try {
          text = readFileSync(r.abs, 'utf8');
        } catch (err) {
          return toolError(`Cannot read ${r.rel}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
        }
        findings.push(...findingsWithExtraFile(ws, r.abs, text));
      }
      reported++;
    }
    if (!reported) {
      const files = ws.files.filter((f) => isAllowed(ctx, f));
      findings.push(...files.flatMap((f) => ws.analyzer.findingsFor(f)));
      reported = files.length;
    }
    if (!reported) return toolError('Nothing to lint: give `sql` or `files`; the workspace has no migration files.');
    const what = input.sql?.trim() && !input.files?.length ? 'the SQL' : `${reported} file${reported === 1 ? '' : 's'}`;
    const lines = formatFindings(findings, rel);
    const head = findings.length
      ? `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${what} (${['error', 'warning', 'info'].map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`).join(', ')}):`
      : `No findings in ${what}.`;
    const { text } = capText([head, ...lines, ...(ws.configProblem ? [`(.dbe.json ignored: ${ws.configProblem})`] : [])].join('\n'), resultBudget(ctx), 'lint fewer files');
    return { content: text, summary: findings.length ? `${findings.length} finding${findings.length === 1 ? '' : 's'} (${[...new Set(findings.map((f) => f.rule))].slice(0, 4).join(', ')})` : 'no findings' };
  },
};
