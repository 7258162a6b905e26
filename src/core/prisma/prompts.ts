import type { SchemaModel } from '../schema/model';
import { describeTable } from '../schema/describe';
import { sqlName } from '../schema/names';
import type { PrismaFile, PrismaModel } from './parse';
import { tableOf } from './schema';

/** Keeps a chat query within what the chat input handles comfortably. */
const MAX_CHARS = 24_000;

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n)}\n… (${s.length - n} more characters left out)`);

export const modelText = (file: PrismaFile, model: PrismaModel): string =>
  file.text.slice(file.lines.offsetAt(model.range.start), file.lines.offsetAt(model.range.end));

/** The table the analyzer built from the migrations for a model, as markdown, when there is one. */
function sqlTableOf(model: PrismaModel, sql: SchemaModel | undefined): string | undefined {
  const t = sql?.tables.get(tableOf(model).key);
  return t && sql ? describeTable(sql, t) : undefined;
}

/** `@prisma` query for "Optimize model": the model, its table as the migrations leave it, and an optional plan. */
export function optimizeModelQuery(file: PrismaFile, model: PrismaModel, sql: SchemaModel | undefined, plan?: string): string {
  const table = sqlTableOf(model, sql);
  const key = tableOf(model).key;
  const parts = [
    `@prisma Optimize the Prisma model ${model.name} (table ${sqlName(key)}) for PostgreSQL: indexes for its relations and common queries, field types, constraints, and row level security. Answer with the changed model and any migration SQL.`,
    '',
    '```prisma',
    clip(modelText(file, model), MAX_CHARS / 2),
    '```',
  ];
  if (table) parts.push('', `The table as the migrations leave it:`, '', clip(table, MAX_CHARS / 4));
  else parts.push('', `No migration creates ${sqlName(key)} yet.`);
  if (plan) parts.push('', 'A query plan for it:', '```json', clip(plan, MAX_CHARS / 4), '```');
  return clip(parts.join('\n'), MAX_CHARS);
}

/** `@prisma` query for "Review schema": every file of the schema. */
export function reviewSchemaQuery(files: PrismaFile[]): string {
  const body = files.map((f) => `// ${f.path}\n${f.text.trimEnd()}`).join('\n\n');
  return clip(
    `@prisma Review this Prisma schema for PostgreSQL/Supabase: missing indexes on relations, row level security for every table, money and time types, primary keys, cascades. List concrete changes, most important first.\n\n\`\`\`prisma\n${clip(body, MAX_CHARS - 400)}\n\`\`\``,
    MAX_CHARS,
  );
}
