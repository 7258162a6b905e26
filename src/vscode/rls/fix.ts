/** The fix of a leak as a new migration beside the one that caused it, opened for review (never applied). */
import * as vscode from 'vscode';
import { basename, dirname, posix } from 'node:path';
import type { Leak } from '../../core/rls/types';

/** `YYYYMMDDHHMMSS`, as Supabase and Prisma name migrations. */
const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

export function fixMigrationPath(leak: Leak, table: string, now = new Date()): string | undefined {
  if (!leak.file) return undefined;
  const name = `${stamp(now)}_fix_rls_${table.replace(/^public\./, '').replace(/\W+/g, '_')}`;
  // Prisma Migrate: one folder per migration holding migration.sql.
  if (basename(leak.file) === 'migration.sql') return posix.join(dirname(dirname(leak.file)), name, 'migration.sql');
  return posix.join(dirname(leak.file), `${name}.sql`);
}

export async function applyFix(folder: vscode.Uri, table: string, leak: Leak): Promise<vscode.Uri | undefined> {
  const rel = fixMigrationPath(leak, table);
  const body = `-- Fix for the ${leak.kind} leak found by the RLS simulator on ${table} (${leak.role} ${leak.command}${leak.policy ? `, policy "${leak.policy}"` : ''}).\n-- ${leak.message}\n${leak.fix}\n`;
  if (!rel) {
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: body });
    await vscode.window.showTextDocument(doc);
    return undefined;
  }
  const uri = vscode.Uri.joinPath(folder, rel);
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { ignoreIfExists: false, contents: new TextEncoder().encode(body) });
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(uri);
  return uri;
}
