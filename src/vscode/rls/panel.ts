/**
 * The matrix of one table in a webview: roles × commands with the deciding policies, the leaks with "Go to policy"
 * and "Apply fix". The HTML is built here with every value escaped (text only); the page's one script (nonce'd,
 * strict CSP) only posts which button was pressed.
 */
import * as vscode from 'vscode';
import { escapeHtml } from '../../core/plan/html';
import { RLS_COMMANDS as COMMANDS, type TableReport } from '../../core/rls/types';
import { describeCell } from './facts';

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

function nonce(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '');
}

export function matrixHtml(t: TableReport, _cspSource: string): string {
  const n = nonce();
  const roles = [...new Set(t.access.map((c) => c.role))];
  const rows = roles.map((r) => `<tr><th>${escapeHtml(r)}</th>${COMMANDS.map((cmd) => {
    const c = t.access.find((x) => x.role === r && x.command === cmd);
    const leak = t.leaks.some((l) => l.role === r && l.command === cmd);
    return `<td class="${escapeHtml(c?.rows ?? 'none')}${leak ? ' leak' : ''}" title="${escapeHtml(c ? `${describeCell(c)}. ${c.detail ?? ''}` : '')}">${escapeHtml(c?.rows ?? 'none')}${c?.policies.length ? `<small>${escapeHtml(c.policies.join(', '))}</small>` : ''}</td>`;
  }).join('')}</tr>`).join('');
  const leaks = t.leaks.map((l, i) => `<li><b>${escapeHtml(l.kind)}</b> — ${escapeHtml(`${l.role} ${l.command}`)}${l.policy ? `, policy “${escapeHtml(l.policy)}”` : ''}${l.file ? ` (${escapeHtml(`${l.file}:${l.line ?? ''}`)})` : ''}<p>${escapeHtml(l.message)}</p><pre>${escapeHtml(l.fix)}</pre>`
    + `${l.file ? `<button data-action="goToPolicy" data-index="${i}">Go to policy</button>` : ''}<button data-action="applyFix" data-index="${i}">Apply fix (new migration)</button></li>`).join('');
  const csp = `default-src 'none'; style-src 'nonce-${n}'; script-src 'nonce-${n}'`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<style nonce="${n}">body{font-family:var(--vscode-font-family);color:var(--vscode-foreground)}table{border-collapse:collapse}td,th{border:1px solid var(--vscode-panel-border);padding:4px 8px;text-align:left}
td small{display:block;opacity:.75}td.leak{outline:2px solid var(--vscode-errorForeground)}td.all{color:var(--vscode-errorForeground)}pre{white-space:pre-wrap;background:var(--vscode-textCodeBlock-background);padding:6px}</style></head>
<body><h2>${escapeHtml(t.table)} — RLS ${t.rls ? 'on' : 'off'}</h2><table><tr><th></th>${COMMANDS.map((c) => `<th>${c}</th>`).join('')}</tr>${rows}</table>
${leaks ? `<h3>Leaks</h3><ul>${leaks}</ul>` : '<p>No leak found.</p>'}
<script nonce="${n}">const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => { const b = e.target.closest('button[data-action]'); if (b) vscode.postMessage({ action: b.dataset.action, index: Number(b.dataset.index) }); });</script>
</body></html>`;
}
