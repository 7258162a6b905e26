/**
 * The agents' ToolContext as the editor builds it: the workspace root, the database (the active live connection,
 * read-only per its setting, else the embedded database built from the migrations), and a modal dialog for anything
 * that needs consent. Chat turns, Optimize Query and the `languageModelTools` all use this one.
 */
import * as vscode from 'vscode';
import type { ConfirmAction, ToolContext, ToolDatabase } from '../../core/tools';
import type { ConnectionsApi } from '../db/connections';
import type { Host } from '../host';

/** A modal warning: the user must press "Allow" for the action to run. */
export async function confirmModal(action: ConfirmAction): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(action.title, { modal: true, ...(action.detail ? { detail: action.detail } : {}) }, 'Allow');
  return choice === 'Allow';
}

export interface ToolContexts {
  /** The tool database, or undefined (no folder, or the live connection could not open: said in the log). */
  database(): Promise<ToolDatabase | undefined>;
  /** undefined when no folder is open: the tools need a workspace root. */
  context(opts?: { onProposal?: ToolContext['onProposal'] }): Promise<ToolContext | undefined>;
}

export function createToolContexts({ log }: Host, connections: ConnectionsApi): ToolContexts {
  const database = async (): Promise<ToolDatabase | undefined> => {
    try {
      return await connections.toolDatabase();
    } catch (err) {
      log.warn(`agent tools: no database for this turn: ${(err as Error).message}`);
      return undefined;
    }
  };
  return {
    database,
    async context(opts = {}) {
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (!root) return undefined;
      const db = await database();
      return {
        root,
        ...(db ? { database: db } : {}),
        confirm: confirmModal,
        ...(opts.onProposal ? { onProposal: opts.onProposal } : {}),
        log,
      };
    },
  };
}
