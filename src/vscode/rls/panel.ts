/**
 * The matrix of one table in a webview: roles × commands with the deciding policies, the leaks with "Go to policy"
 * and "Apply fix". The HTML is built here with every value escaped (text only); the page's one script (nonce'd,
 * strict CSP) only posts which button was pressed.
 */
import * as vscode from 'vscode';
import { htmlPage, newNonce } from '../../core/html';
import { tableHtml } from '../../core/rls/render';
import type { TableReport } from '../../core/rls/types';

export interface PanelMessage { action: 'goToPolicy' | 'applyFix'; index: number }

export class RlsPanel {
  panel: vscode.WebviewPanel | undefined;
  current: { folder: vscode.Uri; table: TableReport } | undefined;

  constructor(private readonly onMessage: (folder: vscode.Uri, table: TableReport, m: PanelMessage) => void) {}

  show(folder: vscode.Uri, table: TableReport): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('databaseEngineer.rlsMatrix', `RLS: ${table.table}`, vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [] });
      this.panel.onDidDispose(() => { this.panel = undefined; this.current = undefined; });
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = m as PanelMessage;
        if (this.current && (msg?.action === 'goToPolicy' || msg?.action === 'applyFix') && Number.isInteger(msg.index)) this.onMessage(this.current.folder, this.current.table, msg);
      });
    }
    this.current = { folder, table };
    this.panel.title = `RLS: ${table.table}`;
    this.panel.webview.html = matrixHtml(table, this.panel.webview.cspSource);
    this.panel.reveal(undefined, true);
  }
}


/** The matrix page: core's table HTML in the one page shell, themed, with a script that only posts button presses. */
export function matrixHtml(t: TableReport, cspSource: string): string {
  return htmlPage({
    title: `RLS: ${t.table}`,
    nonce: newNonce(),
    cspSource,
    style: `body{font-family:var(--vscode-font-family);color:var(--vscode-foreground)}table{border-collapse:collapse}td,th{border:1px solid var(--vscode-panel-border);padding:4px 8px;text-align:left}
td small{display:block;opacity:.75}td.leak{outline:2px solid var(--vscode-errorForeground)}td.all{color:var(--vscode-errorForeground)}h2 span{font-size:70%;opacity:.75}pre{white-space:pre-wrap;background:var(--vscode-textCodeBlock-background);padding:6px}`,
    script: `const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => { const b = e.target.closest('button[data-action]'); if (b) vscode.postMessage({ action: b.dataset.action, index: Number(b.dataset.index) }); });`,
    body: tableHtml(t, { actions: true }),
  });
}
