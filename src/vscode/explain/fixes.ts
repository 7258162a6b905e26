/**
 * "Save as migration" for a plan insight's SQL: a proposal named and placed like the project's other migrations
 * (the same naming the analyzer's fixes and the agents' proposals use), saved by the shared saveMigration command.
 */
import { relative } from 'node:path';
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
  const name = slugFor(sql, title);
  const absPath = project.newMigrationPath(name);
  if (relative(root, absPath).startsWith('..')) return { ok: false, error: `the migration folder is outside ${root}; not saved` };
  const body = sql.trim().endsWith(';') ? sql.trim() : `${sql.trim()};`;
  return {
    ok: true,
    proposal: { path: relative(root, absPath), absPath, name, sql: `${body}\n`, description: `From the EXPLAIN panel: ${title}`, findings: [] },
  };
}
