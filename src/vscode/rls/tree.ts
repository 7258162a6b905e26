/** The "Row Level Security" view: tables → roles → commands, an icon per level, leaks highlighted. */
import * as vscode from 'vscode';
import type { RlsNode } from './view';
import { cellLeaks, describeCell } from './facts';
import type { RlsReports } from './reports';
import { COMMAND } from '../commands';

const ICON: Record<string, string> = { none: 'circle-slash', own: 'person', tenant: 'organization', all: 'globe', denied: 'lock' };

export class RlsTree implements vscode.TreeDataProvider<RlsNode> {
  private readonly changed = new vscode.EventEmitter<RlsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly reports: RlsReports) {
    reports.onDidChange(() => this.changed.fire(undefined));
  }

  async getChildren(node?: RlsNode): Promise<RlsNode[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!node) {
      if (folders.length === 1) return this.tablesOf(folders[0]!);
      return folders.map((folder) => ({ kind: 'folder', folder }));
    }
    if (node.kind === 'folder') return this.tablesOf(node.folder);
    if (node.kind === 'table') return [...new Set(node.table.access.map((c) => c.role))].map((role) => ({ kind: 'role', folder: node.folder, table: node.table, role }));
    if (node.kind === 'role') return node.table.access.filter((c) => c.role === node.role).map((cell) => ({ kind: 'cell', folder: node.folder, table: node.table, cell }));
    return [];
  }

  private async tablesOf(folder: vscode.WorkspaceFolder): Promise<RlsNode[]> {
    const state = await this.reports.get(folder);
    if (state.status === 'error') return [{ kind: 'message', text: state.message }];
    if (state.report.tables.length === 0) return [{ kind: 'message', text: 'No tables in the exposed schemas.' }];
    return state.report.tables.map((table) => ({ kind: 'table', folder, table }));
  }

  getTreeItem(node: RlsNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    if (node.kind === 'folder') return Object.assign(new vscode.TreeItem(node.folder.name, C.Expanded), { iconPath: new vscode.ThemeIcon('root-folder') });
    if (node.kind === 'message') return Object.assign(new vscode.TreeItem(node.text, C.None), { iconPath: new vscode.ThemeIcon('info') });
    if (node.kind === 'table') {
      const t = node.table;
      const item = new vscode.TreeItem(t.table, C.Collapsed);
      item.description = `${t.rls ? 'RLS on' : 'RLS OFF'}${t.leaks.length ? ` · ${t.leaks.length} leak${t.leaks.length === 1 ? '' : 's'}` : ''}`;
      item.iconPath = new vscode.ThemeIcon(t.leaks.length ? 'warning' : 'shield', t.leaks.length ? new vscode.ThemeColor('errorForeground') : undefined);
      item.contextValue = 'rlsTable';
      item.command = { command: COMMAND.rlsShowMatrix, title: 'Show RLS matrix', arguments: [node.folder.uri, t.table] };
      item.tooltip = t.leaks.map((l) => `${l.kind}: ${l.message}`).join('\n') || undefined;
      return item;
    }
    if (node.kind === 'role') {
      const leaks = node.table.leaks.filter((l) => l.role === node.role).length;
      const item = new vscode.TreeItem(node.role, C.Collapsed);
      item.description = node.table.access.filter((c) => c.role === node.role).map((c) => `${c.command[0]}:${c.rows}`).join(' ');
      item.iconPath = new vscode.ThemeIcon(leaks ? 'warning' : 'account', leaks ? new vscode.ThemeColor('errorForeground') : undefined);
      return item;
    }
    const c = node.cell;
    const leaks = cellLeaks(node.table, c);
    const item = new vscode.TreeItem(c.command, C.None);
    item.description = `${c.rows}${c.policies.length ? ` — ${c.policies.join(', ')}` : ''}${leaks.length ? ` — LEAK ${leaks.map((l) => l.kind).join(', ')}` : ''}`;
    item.tooltip = [describeCell(c), c.detail ?? '', ...leaks.map((l) => `${l.kind}: ${l.message}`)].filter(Boolean).join('\n');
    item.iconPath = new vscode.ThemeIcon(leaks.length ? 'warning' : ICON[c.rows] ?? 'circle-outline', leaks.length ? new vscode.ThemeColor('errorForeground') : undefined);
    item.contextValue = leaks.length ? 'rlsLeak' : 'rlsCell';
    const policy = c.policies.length ? node.table.policies?.find((p) => p.name === c.policies[0]) : undefined;
    if (policy?.file) item.command = { command: COMMAND.rlsGoToPolicy, title: 'Go to policy', arguments: [node.folder.uri, policy.file, policy.line] };
    return item;
  }
}
