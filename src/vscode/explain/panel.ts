import * as vscode from 'vscode';
import type { Host } from '../host';
import { BUILTIN, COMMAND, type CommandHandlers } from '../commands';
import type { Projects } from '../db/projects';
import { htmlPage, newNonce } from '../../core/html';
import { tryAnalyzePlan } from '../../core/plan/analyze';
import { renderPlanText } from '../../core/plan/text';
import { planToExplainJson } from '../../core/plan/serialize';
import { comparePlans, type PlanComparison } from '../../core/plan/compare';
import { isWebviewToHost, type HostToWebview, type RunContext, type WebviewToHost } from '../../core/plan/protocol';
import { encodeMessage } from '../../core/plan/wire';
import type { PlanAnalysis } from '../../core/plan/types';
import { worstNode } from '../../core/plan/advice';
import { planFixMigration } from './fixes';
import { EXPLAIN_VIEW_TYPE as VIEW_TYPE } from './viewType';

export interface ShowOptions {
  title?: string;
  query?: string;
  /** Open beside the active editor and leave the focus there (the Explain commands: the query stays in view). */
  beside?: boolean;
  /** Where and how it ran, for the header. */
  context?: RunContext;
  /** The query's document: the panel opens in another group, and Insert/Save as migration act on it. */
  source?: vscode.Uri;
}

export type ShowResult = { ok: true; analysis: PlanAnalysis } | { ok: false; error: string };
/** What the comparison said, for the caller's own message (Optimize Query warns when the results differ). */
export type CompareResult = (ShowResult & { ok: false }) | { ok: true; analysis: PlanAnalysis; comparison: PlanComparison };

/** The EXPLAIN panel as other services (the Explain commands, chat's buttons, Optimize Query) and tests use it. */
export interface ExplainPanelApi {
  /** Shows a plan: an analysis, or raw EXPLAIN JSON (array, object or text). */
  show(plan: PlanAnalysis | unknown, options?: ShowOptions): Promise<ShowResult>;
  /**
   * Compares two plans. With `runs` (each side's measured runs, from core/plan's measureRuns) the times compare
   * by their medians and spread; two single plans can only be compared by shape.
   */
  compare(before: PlanAnalysis | unknown, after: PlanAnalysis | unknown, options?: ShowOptions & { beforeLabel?: string; afterLabel?: string; runs?: { before: PlanAnalysis[]; after: PlanAnalysis[] } }): Promise<CompareResult>;
  /** Feeds a message as if the webview sent it (tests). */
  receive(message: WebviewToHost): Promise<void>;
  readonly panel: vscode.WebviewPanel | undefined;
  readonly current: HostToWebview | undefined;
  readonly messages: readonly WebviewToHost[];
  readonly lastMessage: WebviewToHost | undefined;
  readonly lastChatQuery: string | undefined;
  /** The plan file attached to the last "Ask @query-performance". */
  readonly lastChatAttachment: vscode.Uri | undefined;
  readonly lastSavedUri: vscode.Uri | undefined;
  /** Shows a failed EXPLAIN in the panel (the server's message), replacing the previous plan. */
  showError(message: string, options?: ShowOptions): void;
  /** The serializer's part after a window reload: a restored panel and the state its webview saved. */
  restorePanel(panel: vscode.WebviewPanel, state: unknown): void;
  /** The same on a new panel, with a given state (tests). */
  restore(state: unknown): void;
}

const isAnalysis = (v: unknown): v is PlanAnalysis =>
  typeof v === 'object' && v !== null && Array.isArray((v as PlanAnalysis).nodes) && Array.isArray((v as PlanAnalysis).insights);

function toAnalysis(plan: unknown, query: string | undefined): ShowResult {
  if (isAnalysis(plan)) return { ok: true, analysis: query ? { ...plan, query } : plan };
  return tryAnalyzePlan(plan, { query: query ?? null });
}


/** A plan bigger than this is not kept in the webview's state: reloading the window would copy it whole. */
const MAX_RESTORED_NODES = 5_000;
/**
 * The last message shown, also kept in the workspace's state. The webview's own state travels with the editor
 * layout, which VS Code saves at intervals and on shutdown; in the browser (code-server, vscode.dev) a reload can
 * cut that last save off, and the panel would come back empty. A memento write lands at once.
 */
const LAST_SHOWN_KEY = 'databaseEngineer.explain.lastShown';
const nodesOf = (m: HostToWebview) => (m.type === 'show' ? m.plan.nodes.length : m.type === 'compare' ? m.before.nodes.length + m.after.nodes.length : 0);

class ExplainPanel {
  panel: vscode.WebviewPanel | undefined;
  current: HostToWebview | undefined;
  readonly messages: WebviewToHost[] = [];
  lastChatQuery: string | undefined;
  lastChatAttachment: vscode.Uri | undefined;
  lastSavedUri: vscode.Uri | undefined;
  /** The document of the query the panel shows. */
  source: vscode.Uri | undefined;
  /** The last message packed, kept: a hidden panel asks again each time it is shown, and 50,000 nodes take a while to pack. */
  private packed: { message: HostToWebview; text: string } | undefined;

  constructor(private readonly host: Host, private readonly projects: Projects) {}

  private get plan(): PlanAnalysis | undefined {
    const c = this.current;
    return c?.type === 'show' ? c.plan : c?.type === 'compare' ? c.after : undefined;
  }

  /** The editor group to use: the panel's own unless the query is there, else the one beside the query. */
  private column(source: vscode.Uri | undefined): vscode.ViewColumn | undefined {
    const query = source ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === source.toString())?.viewColumn : undefined;
    if (this.panel?.viewColumn !== undefined && this.panel.viewColumn !== query) return this.panel.viewColumn;
    return query !== undefined ? query + 1 : undefined;
  }

  present(message: HostToWebview, title: string, beside = false, source?: vscode.Uri): void {
    if (source) this.source = source;
    this.current = this.source ? { ...message, source: this.source.toString() } : message;
    message = this.current;
    void this.host.extension.workspaceState.update(LAST_SHOWN_KEY, nodesOf(message) <= MAX_RESTORED_NODES ? message : undefined);
    const column = this.column(source);
    if (!this.panel) {
      // No retainContextWhenHidden: the app re-asks with 'ready' and restores its selection from state.
      const where = column !== undefined ? { viewColumn: column, preserveFocus: true } : beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : vscode.ViewColumn.Active;
      this.attach(vscode.window.createWebviewPanel(VIEW_TYPE, title, where, this.options()));
    } else {
      this.panel.title = title;
      // Moves the panel off the query's group if it is there; the focus stays in the editor.
      this.panel.reveal(column, beside || source !== undefined);
      void this.send(message);
    }
  }

  /** Posts the packed form (core/plan/wire.ts) as one string. */
  private async send(message: HostToWebview): Promise<void> {
    if (!this.panel) return;
    if (this.packed?.message !== message) this.packed = { message, text: encodeMessage(message) };
    await this.panel.webview.postMessage(this.packed.text);
  }

  options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.host.extension.extensionUri, 'dist')] };
  }

  /** Wires a panel, new or restored after a window reload. */
  attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = this.options();
    panel.webview.html = this.html(panel.webview, vscode.Uri.joinPath(this.host.extension.extensionUri, 'dist'));
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (isWebviewToHost(m)) void this.receive(m);
      else this.host.log.warn('EXPLAIN panel: ignored a malformed message from the webview');
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
  }

  /** After a reload: the plan the webview kept in its state, or a message saying why it could not. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const kept = (state as { message?: HostToWebview } | undefined)?.message ?? this.host.extension.workspaceState.get<HostToWebview>(LAST_SHOWN_KEY);
    this.current = kept ?? { type: 'error', title: 'EXPLAIN plan', message: 'This plan was too large to keep across a window reload. Run Explain again to see it.' };
    if (kept?.source) this.source = vscode.Uri.parse(kept.source);
    this.attach(panel);
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    return htmlPage({
      title: 'EXPLAIN plan',
      nonce: newNonce(),
      cspSource: webview.cspSource,
      styleHref: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      scriptSrc: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      images: true,
      bodyAttributes: `data-keep-nodes="${MAX_RESTORED_NODES}"`,
      body: '<div id="app"></div>',
    });
  }

  async receive(m: WebviewToHost): Promise<void> {
    this.messages.push(m);
    // Kept for tests and diagnostics; selection changes would otherwise grow it without bound.
    if (this.messages.length > 200) this.messages.splice(0, this.messages.length - 200);
    const plan = this.plan;
    try {
      switch (m.type) {
        case 'ready':
          if (this.current) await this.send(this.current);
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
        case 'fix':
          await this.fix(m.action, plan?.insights[m.insight]?.sql ?? null, plan?.insights[m.insight]?.title ?? '');
          break;
        case 'ask':
          if (plan) await this.ask(plan, m.nodeId);
          break;
      }
    } catch (err) {
      this.host.log.error(`EXPLAIN panel: ${m.type} failed: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`Database Engineer: could not ${m.type} the plan: ${(err as Error).message}`);
    }
  }

  /** An insight's SQL: to the clipboard, into the query's editor at its cursor, or into a new migration. */
  private async fix(action: 'copy' | 'insert' | 'migration', sql: string | null, title: string): Promise<void> {
    if (!sql) return;
    if (action === 'copy') {
      await vscode.env.clipboard.writeText(sql);
      void vscode.window.showInformationMessage('Database Engineer: the fix\'s SQL is on the clipboard.');
      return;
    }
    if (action === 'insert') {
      const editor = this.source
        ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.source!.toString())
          ?? await vscode.window.showTextDocument(this.source, { viewColumn: this.column(undefined) === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One })
        : vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'sql');
      if (!editor) {
        void vscode.window.showInformationMessage('Database Engineer: open the SQL file to insert the fix into.');
        return;
      }
      const at = editor.selection.active;
      const line = editor.document.lineAt(at.line);
      const text = line.isEmptyOrWhitespace ? `${sql}\n` : `\n${sql}\n`;
      await editor.edit((b) => b.insert(line.isEmptyOrWhitespace ? at : line.range.end, text));
      return;
    }
    const project = this.projects.forFile(this.source);
    if (!project) {
      void vscode.window.showErrorMessage('Database Engineer: open a folder to save a migration into.');
      return;
    }
    const proposal = planFixMigration(project, sql, title);
    if (!proposal.ok) {
      void vscode.window.showErrorMessage(`Database Engineer: ${proposal.error}`);
      return;
    }
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMAND.saveMigration, proposal.proposal);
    if (uri) this.lastSavedUri = uri;
  }

  /**
   * "Ask @query-performance": a short prompt about the worst node, with the whole plan attached as a file the
   * agent can read, rather than a pasted summary posted as the user's own words.
   */
  private async ask(plan: PlanAnalysis, nodeId: number | null): Promise<void> {
    const id = nodeId ?? worstNode(plan);
    const node = id !== null ? plan.nodes[id] : undefined;
    const top = plan.insights.find((i) => i.nodeId === id);
    const focus = node ? ` Node #${node.id} (${node.label}) is where it loses most${top ? `: ${top.title.charAt(0).toLowerCase()}${top.title.slice(1)}` : ''}.` : '';
    const storage = this.host.extension.globalStorageUri;
    await vscode.workspace.fs.createDirectory(storage);
    const file = vscode.Uri.joinPath(storage, 'explain-plan.json');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(planToExplainJson(plan, 2)));
    const query = `@query-performance How do I make this query faster?${focus} Its EXPLAIN plan is attached.`;
    this.lastChatQuery = query;
    this.lastChatAttachment = file;
    await vscode.commands.executeCommand(BUILTIN.chatOpen, { query, attachFiles: [file] });
  }
}

async function readPlanFile(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

async function pickPlanFiles(many: boolean, title: string): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({ canSelectMany: many, filters: { 'EXPLAIN plans (JSON or text)': ['json', 'txt', 'plan'], 'All files': ['*'] }, openLabel: 'Open plan', title });
}

/** The panel and its commands (Open EXPLAIN Plan…, Show EXPLAIN Plan from Clipboard, Compare Two EXPLAIN Plans…). */
export function createExplainPanel(host: Host, projects: Projects): { api: ExplainPanelApi; commands: Pick<CommandHandlers, 'openPlanFile' | 'pastePlan' | 'comparePlanFiles'> } {
    const panel = new ExplainPanel(host, projects);
    const api: ExplainPanelApi = {
      async show(plan, options = {}) {
        const r = toAnalysis(plan, options.query);
        if (!r.ok) return r;
        const title = options.title ?? 'EXPLAIN plan';
        panel.present({ type: 'show', title, plan: r.analysis, ...(options.context ? { context: options.context } : {}) }, title, options.beside, options.source);
        return r;
      },
      async compare(before, after, options = {}) {
        const a = toAnalysis(before, undefined);
        if (!a.ok) return { ok: false, error: `before: ${a.error}` };
        const b = toAnalysis(after, options.query);
        if (!b.ok) return { ok: false, error: `after: ${b.error}` };
        const title = options.title ?? 'EXPLAIN comparison';
        const comparison = comparePlans(options.runs?.before ?? [a.analysis], options.runs?.after ?? [b.analysis]);
        panel.present({ type: 'compare', title, before: a.analysis, after: b.analysis, beforeLabel: options.beforeLabel ?? 'Before', afterLabel: options.afterLabel ?? 'After',
          comparison, ...(options.context ? { context: options.context } : {}) }, title, options.beside, options.source);
        return { ...b, comparison };
      },
      showError(message, options = {}) {
        const title = options.title ?? 'EXPLAIN failed';
        panel.present({ type: 'error', title, message, ...(options.query ? { query: options.query } : {}), ...(options.context ? { context: options.context } : {}) }, title, options.beside, options.source);
      },
      receive: (m) => panel.receive(m),
      restorePanel: (restored, state) => panel.restore(restored, state),
      restore(state) {
        panel.panel?.dispose();
        panel.restore(vscode.window.createWebviewPanel(VIEW_TYPE, 'EXPLAIN plan', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, panel.options()), state);
      },
      get panel() { return panel.panel; },
      get current() { return panel.current; },
      get messages() { return panel.messages; },
      get lastMessage() { return panel.messages[panel.messages.length - 1]; },
      get lastChatQuery() { return panel.lastChatQuery; },
      get lastChatAttachment() { return panel.lastChatAttachment; },
      get lastSavedUri() { return panel.lastSavedUri; },
    };

    const showFile = async (uri: vscode.Uri) => {
      const r = await api.show(await readPlanFile(uri), { title: `EXPLAIN: ${vscode.workspace.asRelativePath(uri)}` });
      if (!r.ok) void vscode.window.showErrorMessage(`Database Engineer: ${vscode.workspace.asRelativePath(uri)} is ${r.error}`);
    };
    const commands = {
      // A plan copied from psql, pgAdmin or a log: EXPLAIN JSON or the text format.
      pastePlan: async () => {
        const r = await api.show(await vscode.env.clipboard.readText(), { title: 'EXPLAIN: pasted plan' });
        if (!r.ok) void vscode.window.showErrorMessage(`Database Engineer: the clipboard holds ${r.error.replace(/^not EXPLAIN JSON: /, 'no EXPLAIN plan (JSON or text): ')}`);
      },
      openPlanFile: async (uri?: vscode.Uri) => {
        const target = uri ?? (await pickPlanFiles(false, 'Open an EXPLAIN plan (JSON, or the text psql prints)'))?.[0];
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
