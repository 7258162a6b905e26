/**
 * The project context that follows the agent's prompt in the system prompt: which stack the workspace uses, which
 * database is connected (its name and provider — never a URL, user, password or key), and a schema summary trimmed
 * to a token budget, so the model starts from the real tables instead of asking.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isManagedSchema, type LiveSchema } from '../db/introspect';
import { PROVIDER_LABELS, type Provider } from '../db/provider';
import type { SchemaModel } from '../schema/model';
import { indexesOf, policiesOf } from '../schema/model';
import { findMigrationFiles } from '../workspace/migrations';

export type Stack = 'supabase' | 'prisma' | 'migrations';

export interface StackInfo {
  stacks: Stack[];
  /** Workspace-relative migration folders found. */
  migrationFolders: string[];
  migrationCount: number;
  /** Workspace-relative path of schema.prisma, when there is one. */
  prismaSchema?: string;
}

/** Supabase (supabase/config.toml or supabase/migrations), Prisma (schema.prisma), plain SQL migrations. */
export function detectStack(root: string, folders?: string[]): StackInfo {
  const stacks: Stack[] = [];
  if (existsSync(join(root, 'supabase', 'config.toml')) || existsSync(join(root, 'supabase', 'migrations'))) stacks.push('supabase');
  const prismaSchema = ['prisma/schema.prisma', 'schema.prisma', 'prisma/schema'].find((p) => existsSync(join(root, p)))
    ?? findShallow(root, 'schema.prisma', 3);
  if (prismaSchema) stacks.push('prisma');
  const migrations = findMigrationFiles(root, folders);
  if (migrations.folders.length && !stacks.length) stacks.push('migrations');
  return { stacks, migrationFolders: migrations.folders, migrationCount: migrations.folders.length ? migrations.files.length : 0, ...(prismaSchema ? { prismaSchema } : {}) };
}

function findShallow(root: string, name: string, depth: number, rel = ''): string | undefined {
  if (depth < 0) return undefined;
  let entries;
  try { entries = readdirSync(join(root, rel), { withFileTypes: true }); } catch { return undefined; }
  for (const e of entries) if (e.isFile() && e.name === name) return rel ? `${rel}/${name}` : name;
  for (const e of entries) {
    if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') {
      const found = findShallow(root, name, depth - 1, rel ? `${rel}/${e.name}` : e.name);
      if (found) return found;
    }
  }
  return undefined;
}

export interface ProjectContextInput {
  stack?: StackInfo;
  /** The active database: its display name (a saved connection's name), kind and provider. */
  connection?: { name: string; kind: 'live' | 'embedded'; provider?: Provider };
  /** Schema from the live catalog (preferred) … */
  liveSchema?: LiveSchema;
  /** … or from the workspace migrations. */
  model?: SchemaModel;
  /** Budget for the schema summary. Default 2000 tokens (about 8000 characters). */
  schemaTokens?: number;
  /** Tools the agent can call, by name, so the prompt can tell it to use them. */
  toolNames?: string[];
}

const STACK_LABELS: Record<Stack, string> = { supabase: 'Supabase', prisma: 'Prisma', migrations: 'plain SQL migrations' };

/** The context block appended to the agent's prompt. */
export function buildProjectContext(input: ProjectContextInput): string {
  const lines = ['# Project context', ''];
  const s = input.stack;
  if (s) {
    lines.push(`- Stack: ${s.stacks.length ? s.stacks.map((x) => STACK_LABELS[x]).join(' + ') : 'no database project files detected'}`);
    if (s.migrationFolders.length) lines.push(`- Migrations: ${s.migrationCount} file${s.migrationCount === 1 ? '' : 's'} in ${s.migrationFolders.join(', ')}`);
    if (s.prismaSchema) lines.push(`- Prisma schema: ${s.prismaSchema}`);
  }
  const c = input.connection;
  if (c) {
    lines.push(c.kind === 'live'
      ? `- Database: connected to "${c.name}"${c.provider ? ` (${PROVIDER_LABELS[c.provider]})` : ''}`
      : `- Database: none connected; tools use an ${c.name}`);
  } else {
    lines.push('- Database: none connected');
  }
  if (input.toolNames?.length) lines.push(`- Tools you can call: ${input.toolNames.join(', ')}. Use them to check facts (schema, plans, lint findings) instead of guessing; never claim to have applied a change.`);
  const budget = (input.schemaTokens ?? 2000) * 4;
  const summary = input.liveSchema ? liveSummary(input.liveSchema) : input.model ? modelSummary(input.model) : [];
  if (summary.length) {
    lines.push('', `## Schema (${input.liveSchema ? 'live catalog' : 'from the migrations'}, ${summary.length} table${summary.length === 1 ? '' : 's'})`);
    let used = 0;
    let shown = 0;
    for (const line of summary) {
      if (used + line.length + 1 > budget) break;
      lines.push(line);
      used += line.length + 1;
      shown++;
    }
    if (shown < summary.length) lines.push(`[… ${summary.length - shown} more table${summary.length - shown === 1 ? '' : 's'} not listed (schema summary budget); call get_schema for them]`);
  }
  return lines.join('\n');
}

function liveSummary(schema: LiveSchema): string[] {
  return schema.tables.filter((t) => (t.kind === 'table' || t.kind === 'partitioned') && !isManagedSchema(t.schema)).map((t) => {
    const cols = t.columns.map((c) => `${c.name} ${c.type}${t.primaryKey.includes(c.name) ? ' PK' : ''}`).join(', ');
    const fks = t.foreignKeys.map((f) => f.definition.replace(/^FOREIGN KEY /, '')).join('; ');
    return `- ${t.schema}.${t.name}(${cols}) RLS ${t.rlsEnabled ? 'on' : 'OFF'}, ${t.policies.length} polic${t.policies.length === 1 ? 'y' : 'ies'}`
      + `${t.indexes.length ? `, ${t.indexes.length} index${t.indexes.length === 1 ? '' : 'es'}` : ''}${fks ? `; FK ${fks}` : ''}`;
  });
}

function modelSummary(model: SchemaModel): string[] {
  return [...model.tables.values()].map((t) => {
    const pk = t.constraints.find((k) => k.kind === 'primary')?.columns ?? [];
    const cols = [...t.columns.values()].map((c) => `${c.name} ${c.type.name}${c.type.array ? '[]' : ''}${pk.includes(c.name) ? ' PK' : ''}`).join(', ');
    const fks = t.constraints.filter((k) => k.kind === 'foreign').map((f) => `(${f.columns.join(', ')}) → ${f.refTable ?? '?'}`).join('; ');
    const policies = policiesOf(model, t.key).length;
    const indexes = indexesOf(model, t.key).length;
    return `- ${t.key}(${cols}) RLS ${t.rlsEnabled ? 'on' : 'OFF'}, ${policies} polic${policies === 1 ? 'y' : 'ies'}${indexes ? `, ${indexes} index${indexes === 1 ? '' : 'es'}` : ''}${fks ? `; FK ${fks}` : ''}`;
  });
}
