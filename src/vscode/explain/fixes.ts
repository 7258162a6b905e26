/**
 * "Save as migration" for a plan insight's SQL: a proposal named and placed like the project's other migrations
 * (the same naming the analyzer's fixes and the agents' proposals use), saved by the shared saveMigration command.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { newMigrationPath } from '../../core/lint/fixes';
import type { RuleContext } from '../../core/analysis';
import type { MigrationProposal } from '../../core/tools/types';
import type { Project } from '../../core/workspace/project';

/** "add_documents_owner_id_idx" from the statement's object name, else from the insight's title. */
function slugFor(sql: string, title: string): string {
  const named = /^\s*create\s+(?:unique\s+)?(?:index|statistics)\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?"?([\w$]+)"?/i.exec(sql);
  if (named) return `add_${named[1]}`;
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40) || 'plan_fix';
}

export function planFixMigration(project: Project, sql: string, title: string): { ok: true; proposal: MigrationProposal } | { ok: false; error: string } {
  const root = project.root;
  // The project's migration history: the folders the analyzer and the embedded database use.
  const set = project.migrations();
  const files = set.files;
  const folder = set.folders[0] ?? (existsSync(join(root, 'supabase')) ? 'supabase/migrations' : 'migrations');
  const near = files[files.length - 1] ?? join(root, folder, 'x.sql');
  // newMigrationPath needs only the files' paths and the clock from a rule context.
  const naming = { files: files.map((path) => ({ path })), now: () => new Date() } as unknown as RuleContext;
  const name = slugFor(sql, title);
  const absPath = newMigrationPath(naming, near, name);
  if (relative(root, absPath).startsWith('..')) return { ok: false, error: `the migration folder is outside ${root}; not saved` };
  const body = sql.trim().endsWith(';') ? sql.trim() : `${sql.trim()};`;
  return {
    ok: true,
    proposal: { path: relative(root, absPath), absPath, name, sql: `${body}\n`, description: `From the EXPLAIN panel: ${title}`, findings: [] },
  };
}
