/**
 * Row level security in the editor: the "Row Level Security" view, the matrix panel per table, the CodeLens over
 * policies and `enable row level security`, and the leak fixes as quick actions — all from one `dbe rls` report per
 * workspace folder (reports.ts).
 */
import * as vscode from 'vscode';
import { applyFix } from './fix';
import { RlsLenses } from './lens';
import { RlsPanel } from './panel';
import { RlsReports, type RlsHost } from './reports';
import { RlsTree } from './tree';
import { RLS_VIEW } from './view';
import type { CommandHandlers } from '../commands';

export { RLS_VIEW };

export interface RlsApi {
  reports: RlsReports;
  tree: RlsTree;
  lenses: RlsLenses;
  panel: RlsPanel;
}

type RlsCommands = Pick<CommandHandlers, 'rlsRefresh' | 'rlsShowMatrix' | 'rlsGoToPolicy' | 'rlsApplyFix'>;

export function createRls(host: RlsHost): { api: RlsApi; commands: RlsCommands; disposables: vscode.Disposable[] } {
  const reports = new RlsReports(host);
  const tree = new RlsTree(reports);
  const lenses = new RlsLenses(reports);
  const tableOf = async (folder: vscode.Uri, name: string) => {
    const wf = vscode.workspace.getWorkspaceFolder(folder);
    const state = wf ? await reports.get(wf) : undefined;
    return state?.status === 'ok' ? state.report.tables.find((t) => t.table === name) : undefined;
  };
  const goToPolicy = async (folder: vscode.Uri, file: string, line?: number) => {
    const pos = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
  };
  const panel = new RlsPanel((folder, table, m) => {
    const leak = table.leaks[m.index];
    if (!leak) return;
    if (m.action === 'goToPolicy' && leak.file) void goToPolicy(folder, leak.file, leak.line);
    if (m.action === 'applyFix') void applyFix(folder, table.table, leak);
  });
  const commands: RlsCommands = {
    rlsRefresh: () => reports.refresh(),
    rlsShowMatrix: async (folder: vscode.Uri, name: string) => {
      const t = await tableOf(folder, name);
      if (t) panel.show(folder, t);
      else void vscode.window.showWarningMessage(`No RLS simulation of ${name}: see the Database Engineer log.`);
    },
    rlsGoToPolicy: goToPolicy,
    rlsApplyFix: async (folder: vscode.Uri, name: string, index: number) => {
      const t = await tableOf(folder, name);
      const leak = t?.leaks[index];
      return t && leak ? applyFix(folder, t.table, leak) : undefined;
    },
  };
  return { api: { reports, tree, lenses, panel }, commands, disposables: [reports] };
}
