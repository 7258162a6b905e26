import * as vscode from 'vscode';
import type { Host } from '../host';
import { BUILTIN, type CommandHandlers } from '../commands';
import { tryAnalyzePlan } from '../../core/plan/analyze';
import { renderPlanText } from '../../core/plan/text';
import { planToExplainJson } from '../../core/plan/serialize';
import { planSummary } from '../../core/plan/summary';
import { isWebviewToHost, type HostToWebview, type WebviewToHost } from '../../core/plan/protocol';
import type { PlanAnalysis } from '../../core/plan/types';

export interface ShowOptions {
  title?: string;
  query?: string;
  /** Open beside the active editor and leave the focus there (the Explain commands: the query stays in view). */
  beside?: boolean;
}

export type ShowResult = { ok: true; analysis: PlanAnalysis } | { ok: false; error: string };

/** The EXPLAIN panel as other services (the Explain commands, chat's buttons, Optimize Query) and tests use it. */
export interface ExplainPanelApi {
  /** Shows a plan: an analysis, or raw EXPLAIN JSON (array, object or text). */
  show(plan: PlanAnalysis | unknown, options?: ShowOptions): Promise<ShowResult>;
  compare(before: PlanAnalysis | unknown, after: PlanAnalysis | unknown, options?: ShowOptions & { beforeLabel?: string; afterLabel?: string }): Promise<ShowResult>;
  /** Feeds a message as if the webview sent it (tests). */
  receive(message: WebviewToHost): Promise<void>;
  readonly panel: vscode.WebviewPanel | undefined;
  readonly current: HostToWebview | undefined;
  readonly messages: readonly WebviewToHost[];
  readonly lastMessage: WebviewToHost | undefined;
  readonly lastChatQuery: string | undefined;
  readonly lastSavedUri: vscode.Uri | undefined;
}

const isAnalysis = (v: unknown): v is PlanAnalysis =>
  typeof v === 'object' && v !== null && Array.isArray((v as PlanAnalysis).nodes) && Array.isArray((v as PlanAnalysis).insights);

function toAnalysis(plan: unknown, query: string | undefined): ShowResult {
  if (isAnalysis(plan)) return { ok: true, analysis: query ? { ...plan, query } : plan };
  return tryAnalyzePlan(plan, { query: query ?? null });
}

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

class ExplainPanel {
  panel: vscode.WebviewPanel | undefined;
  current: HostToWebview | undefined;
  readonly messages: WebviewToHost[] = [];
  lastChatQuery: string | undefined;
  lastSavedUri: vscode.Uri | undefined;

  constructor(private readonly host: Host) {}

  private get plan(): PlanAnalysis | undefined {
    const c = this.current;
    return c?.type === 'show' ? c.plan : c?.type === 'compare' ? c.after : undefined;
  }

  present(message: HostToWebview, title: string, beside = false): void {
    this.current = message;
    if (!this.panel) {
      const dist = vscode.Uri.joinPath(this.host.extension.extensionUri, 'dist');
      // No retainContextWhenHidden: the app re-asks with 'ready' and restores its selection from state.
      const column = beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : vscode.ViewColumn.Active;
      this.panel = vscode.window.createWebviewPanel('databaseEngineer.explain', title, column, {
        enableScripts: true,
        localResourceRoots: [dist],
      });
      this.panel.webview.html = this.html(this.panel.webview, dist);
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewToHost(m)) void this.receive(m);
        else this.host.log.warn('EXPLAIN panel: ignored a malformed message from the webview');
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    } else {
      this.panel.title = title;
      this.panel.reveal(undefined, beside);
      void this.panel.webview.postMessage(message);
    }
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    const n = nonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
    const csp = `default-src 'none'; script-src 'nonce-${n}'; style-src ${webview.cspSource} 'nonce-${n}'; img-src ${webview.cspSource} data:;`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style}" nonce="${n}">
<title>EXPLAIN plan</title>
</head>
<body>
<div id="app"></div>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
  }

  async receive(m: WebviewToHost): Promise<void> {
    this.messages.push(m);
    // Kept for tests and diagnostics; selection changes would otherwise grow it without bound.
    if (this.messages.length > 200) this.messages.splice(0, this.messages.length - 200);
    const plan = this.plan;
    try {
      switch (m.type) {
        case 'ready':
          if (this.current && this.panel) await this.panel.webview.postMessage(this.current);
          break;
        case 'select':
          break;
        case 'copy':
          if (!plan) return;
          await vscode.env.clipboard.writeText(renderPlanText(plan));
          void vscode.window.showInformationMessage('EXPLAIN plan copied to the clipboard.');
          break;
        case 'save': {
          if (!plan) return;
          const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
          const uri = await vscode.window.showSaveDialog({
            filters: { 'EXPLAIN JSON': ['json'] },
            defaultUri: folder ? vscode.Uri.joinPath(folder, 'plan.json') : undefined,
            saveLabel: 'Save plan',
          });
          if (!uri) return;
          await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(planToExplainJson(plan, 2)));
          this.lastSavedUri = uri;
          break;
        }
        case 'ask': {
          if (!plan) return;
          const about = m.nodeId !== null && plan.nodes[m.nodeId] ? ` Focus on node #${m.nodeId} (${plan.nodes[m.nodeId]!.label}).` : '';
          const query = `@database-engineer Optimize this query using its EXPLAIN plan.${about}\n\n${planSummary(plan)}`;
          this.lastChatQuery = query;
          await vscode.commands.executeCommand(BUILTIN.chatOpen, { query });
          break;
        }
      }
    } catch (err) {
      this.host.log.error(`EXPLAIN panel: ${m.type} failed: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`Database Engineer: could not ${m.type} the plan: ${(err as Error).message}`);
    }
  }
}

async function readPlanFile(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

async function pickPlanFiles(many: boolean, title: string): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({ canSelectMany: many, filters: { 'EXPLAIN JSON': ['json'] }, openLabel: 'Open plan', title });
}

/** The panel and its commands (Open EXPLAIN Plan JSON…, Compare Two EXPLAIN Plans…). */
export function createExplainPanel(host: Host): { api: ExplainPanelApi; commands: Pick<CommandHandlers, 'openPlanFile' | 'comparePlanFiles'> } {
    const panel = new ExplainPanel(host);
    const api: ExplainPanelApi = {
      async show(plan, options = {}) {
        const r = toAnalysis(plan, options.query);
        if (!r.ok) return r;
        const title = options.title ?? 'EXPLAIN plan';
        panel.present({ type: 'show', title, plan: r.analysis }, title, options.beside);
        return r;
      },
      async compare(before, after, options = {}) {
        const a = toAnalysis(before, undefined);
        if (!a.ok) return { ok: false, error: `before: ${a.error}` };
        const b = toAnalysis(after, options.query);
        if (!b.ok) return { ok: false, error: `after: ${b.error}` };
        const title = options.title ?? 'EXPLAIN comparison';
        panel.present({ type: 'compare', title, before: a.analysis, after: b.analysis, beforeLabel: options.beforeLabel ?? 'Before', afterLabel: options.afterLabel ?? 'After' }, title);
        return b;
      },
      receive: (m) => panel.receive(m),
      get panel() { return panel.panel; },
      get current() { return panel.current; },
      get messages() { return panel.messages; },
      get lastMessage() { return panel.messages[panel.messages.length - 1]; },
      get lastChatQuery() { return panel.lastChatQuery; },
      get lastSavedUri() { return panel.lastSavedUri; },
    };

    const showFile = async (uri: vscode.Uri) => {
      const r = await api.show(await readPlanFile(uri), { title: `EXPLAIN: ${vscode.workspace.asRelativePath(uri)}` });
      if (!r.ok) void vscode.window.showErrorMessage(`Database Engineer: ${vscode.workspace.asRelativePath(uri)} is ${r.error}`);
    };
    const commands = {
      openPlanFile: async (uri?: vscode.Uri) => {
        const target = uri ?? (await pickPlanFiles(false, 'Open an EXPLAIN (FORMAT JSON) plan'))?.[0];
        if (target) await showFile(target);
      },
      comparePlanFiles: async (_first?: vscode.Uri, selected?: vscode.Uri[]) => {
        const files = selected && selected.length === 2 ? selected : await pickPlanFiles(true, 'Pick two EXPLAIN plans: before and after');
        if (!files || files.length !== 2) {
          if (files) void vscode.window.showWarningMessage('Database Engineer: pick exactly two plan files to compare.');
          return;
        }
        const r = await api.compare(await readPlanFile(files[0]!), await readPlanFile(files[1]!), {
          beforeLabel: vscode.workspace.asRelativePath(files[0]!), afterLabel: vscode.workspace.asRelativePath(files[1]!),
        });
        if (!r.ok) void vscode.window.showErrorMessage(`Database Engineer: ${r.error}`);
      },
    };
    return { api, commands };
}
