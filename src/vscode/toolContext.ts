/**
 * The agents' ToolContext as the editor builds it: the workspace root, the database (the active live connection,
 * read-only per its setting, else the embedded database built from the migrations), and a modal dialog for anything
 * that needs consent. Chat turns, Optimize Query and the `languageModelTools` all use this one.
 */
import * as vscode from 'vscode';
import type { ConfirmAction, ToolContext, ToolDatabase } from '../core/tools';
import type { ConnectionsApi } from './connections';

/** A modal warning: the user must press "Allow" for the action to run. */
export async function confirmModal(action: ConfirmAction): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(action.title, { modal: true, ...(action.detail ? { detail: action.detail } : {}) }, 'Allow');
  return choice === 'Allow';
}

export interface EditorToolContextOptions {
  api: Record<string, unknown>;
  log: vscode.LogOutputChannel;
  onProposal?: ToolContext['onProposal'];
}

/** The tool database, or undefined (no folder, or the live connection could not open: said in the log). */
export async function editorToolDatabase(api: Record<string, unknown>, log: vscode.LogOutputChannel): Promise<ToolDatabase | undefined> {
  const connections = api['connections'] as ConnectionsApi | undefined;
  if (!connections?.toolDatabase) return undefined;
  try {
    return await connections.toolDatabase();
  } catch (err) {
    log.warn(`agent tools: no database for this turn: ${(err as Error).message}`);
    return undefined;
  }
}

/** undefined when no folder is open: the tools need a workspace root. */
export async function editorToolContext(opts: EditorToolContextOptions): Promise<ToolContext | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) return undefined;
  const database = await editorToolDatabase(opts.api, opts.log);
  return {
    root,
    ...(database ? { database } : {}),
    confirm: confirmModal,
    ...(opts.onProposal ? { onProposal: opts.onProposal } : {}),
    log: opts.log,
  };
}

export function workspaceRoot(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}
