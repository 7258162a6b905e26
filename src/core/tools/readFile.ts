import { redact } from '../security/redact';
import { readFileForModel } from '../security/secretFiles';
import { capText, resultBudget } from './budget';
import { resolveWorkspacePath } from './files';
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
    // Name, content, regular file and size rules shared with `dbe ask --file`; the text comes back redacted.
    const read = readFileForModel(r.abs, r.rel, { root: ctx.project.root, given: String(input.path), maxBytes: 5_000_000, redact: ctx.project.databaseInfo()?.redact ?? redact });
    if (!read.ok) return toolError(read.reason === 'folder' ? `${r.rel} is a folder; use list_migrations to see migration files, or give a file path.` : read.message, read.reason === 'credentials' ? 'refused: credentials file' : undefined);
    const text = read.text;
    const lines = text.split(/\r?\n/);
    const start = Math.max(1, Math.floor(Number(input.startLine ?? 1)) || 1);
    const end = Math.min(lines.length, Math.floor(Number(input.endLine ?? lines.length)) || lines.length);
    const width = String(end).length;
    const body = lines.slice(start - 1, end).map((l, i) => `${String(start + i).padStart(width)}  ${l}`).join('\n');
    const { text: capped, cut } = capText(`${r.rel} (lines ${start}-${end} of ${lines.length}):\n${body}`, resultBudget(ctx), 'read a line range with startLine/endLine');
    return { content: capped, summary: `${r.rel}, ${end - start + 1} line${end - start === 0 ? '' : 's'}${cut ? ' (truncated)' : ''}` };
  },
};
