/**
 * The agents' ToolContext as the editor builds it: the first folder's Project (its config, migrations, analyzer and
 * database: the active live connection, read-only per its setting, else the embedded database) and a modal dialog
 * for anything that needs consent. Chat turns, Optimize Query and the `languageModelTools` all use this one.
 */
import * as vscode from 'vscode';
import type { ConfirmAction, ToolContext } from '../../core/tools';
import type { Projects } from '../db/projects';
import type { Host } from '../host';

/** A modal warning: the user must press "Allow" for the action to run. */
export async function confirmModal(action: ConfirmAction): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(action.title, { modal: true, ...(action.detail ? { detail: action.detail } : {}) }, 'Allow');
  return choice === 'Allow';
}

export interface ToolContexts {
  /** undefined when no folder is open: the tools need a project. */
  context(opts?: { onProposal?: ToolContext['onProposal'] }): ToolContext | undefined;
}

export function createToolContexts({ log }: Host, projects: Projects): ToolContexts {
  return {
    context(opts = {}) {
      const project = projects.forFile();
      if (!project) return undefined;
      return {
        project,
        confirm: confirmModal,
        ...(opts.onProposal ? { onProposal: opts.onProposal } : {}),
        log,
      };
    },
  };
}
