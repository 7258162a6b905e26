import { readFileSync, statSync } from 'node:fs';
import { capText, resultBudget } from './budget';
import { redactSecrets, resolveWorkspacePath } from './files';
import { toolError, type Tool } from './types';

interface Input { path?: string; startLine?: number; endLine?: number }

export const readFile: Tool<Input> = {
  name: 'read_file',
  description: 'Reads a text file of the workspace (a migration, schema.prisma, a query file), with line numbers. '
    + 'Paths are workspace-relative; files outside the workspace or the agent\'s allowed directories are refused.',
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'Workspace-relative path, e.g. "supabase/migrations/20240101_init.sql".' },
      startLine: { type: 'integer', minimum: 1, description: 'First line to return (1-based).' },
      endLine: { type: 'integer', minimum: 1, description: 'Last line to return (inclusive).' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  readOnly: true,
  progress: (input) => `Reading ${input.path ?? 'a file'}…`,
  async run(input, ctx) {
    const r = resolveWorkspacePath(ctx, String(input.path ?? ''));
    if (!r.ok) return toolError(r.message, r.message.includes('credentials') ? 'refused: credentials file' : 'refused: outside the allowed files');
    let text: string;
    try {
      if (statSync(r.abs).isDirectory()) return toolError(`${r.rel} is a folder; use list_migrations to see migration files, or give a file path.`);
      if (statSync(r.abs).size > 5_000_000) return toolError(`${r.rel} is over 5 MB; read a smaller file or a line range of it.`);
      text = redactSecrets(readFileSync(r.abs, 'utf8'));
    } catch (err) {
      return toolError(`Cannot read ${r.rel}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
    }
    if (text.includes('\0')) return toolError(`${r.rel} is a binary file.`);
    const lines = text.split(/\r?\n/);
    const start = Math.max(1, Math.floor(Number(input.startLine ?? 1)) || 1);
    const end = Math.min(lines.length, Math.floor(Number(input.endLine ?? lines.length)) || lines.length);
    const width = String(end).length;
    const body = lines.slice(start - 1, end).map((l, i) => `${String(start + i).padStart(width)}  ${l}`).join('\n');
    const { text: capped, cut } = capText(`${r.rel} (lines ${start}-${end} of ${lines.length}):\n${body}`, resultBudget(ctx), 'read a line range with startLine/endLine');
    return { content: capped, summary: `${r.rel}, ${end - start + 1} line${end - start === 0 ? '' : 's'}${cut ? ' (truncated)' : ''}` };
  },
};
