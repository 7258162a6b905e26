import { statSync } from 'node:fs';
import { capText, resultBudget } from './budget';
import { displayRel, isAllowed } from './files';
import type { Tool } from './types';

export const listMigrations: Tool<Record<string, never>> = {
  name: 'list_migrations',
  description: 'Lists the workspace\'s migration files in the order they apply (Supabase, Prisma Migrate or plain SQL folders), with size and statement count.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  readOnly: true,
  progress: () => 'Listing the migrations…',
  async run(_input, ctx) {
    const ws = await ctx.project.analysis();
    const files = ws.files.filter((f) => isAllowed(ctx, f));
    if (!files.length) return { content: 'The workspace has no migration files (looked in supabase/migrations, prisma/migrations, db/migrations, migrations …).', summary: 'no migrations' };
    const lines = [`${files.length} migration file${files.length === 1 ? '' : 's'}${ws.folders.length ? ` in ${ws.folders.join(', ')}` : ''}, in apply order:`];
    for (const f of files) {
      const statements = ws.analyzer.parsed(f)?.statements.length ?? 0;
      let size = 0;
      try { size = statSync(f).size; } catch { /* listed a moment ago */ }
      lines.push(`${displayRel(ctx.project.root, f)}  (${statements} statement${statements === 1 ? '' : 's'}, ${size} bytes)`);
    }
    return { content: capText(lines.join('\n'), resultBudget(ctx)).text, summary: `${files.length} migration${files.length === 1 ? '' : 's'}` };
  },
};
