/**
 * The agents' ToolContext as the editor builds it: the first folder's Project (its config, migrations, analyzer and
 * database: the active live connection, read-only per its setting, else the embedded database) and a modal dialog
 * for anything that needs consent. Chat turns, Optimize Query and the `languageModelTools` all use this one.
 */
import * as vscode from 'vscode';
import type { ConfirmAction, ToolContext } from '../../core/tools';
import type { Projects } from '../db/projects';
import type { RlsReports } from '../rls/reports';
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

export function createToolContexts({ log }: Host, projects: Projects, rls: RlsReports): ToolContexts {
  return {
    context(opts = {}) {
      const project = projects.forFile();
      if (!project) return undefined;
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(project.root));
      return {
        project,
        confirm: confirmModal,
        // check_rls reads the report the RLS view runs in a child process: seconds of PGlite stay off this thread.
        ...(folder ? { rlsReport: () => rlsReportOf(rls, folder) } : {}),
        ...(opts.onProposal ? { onProposal: opts.onProposal } : {}),
        log,
      };
    },
  };
}

async function rlsReportOf(rls: RlsReports, folder: vscode.WorkspaceFolder) {
  const state = await rls.get(folder);
  if (state.status === 'error') throw new Error(state.message);
  return state.report;
}
