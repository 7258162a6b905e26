/**
 * What an agent's answer offers after it: save a proposed migration, insert the answer's SQL at the cursor, apply it
 * to a file as a reviewable diff, open a query's plan in the EXPLAIN panel. Chat buttons and Optimize Query run these
 * commands; tests call them too. "Open in EXPLAIN panel" shows the plan the agent's tool produced in that turn.
 *
 * "Apply to file" opens `vscode.diff` of the file against the proposed text, with an Accept action, rather than a
 * WorkspaceEdit flagged `needsConfirmation`: the diff shows the whole result in context, works the same for chat
 * answers and Optimize Query, and nothing is applied until Accept (the refactor preview that `needsConfirmation`
 * relies on is not available in every editor build this runs in).
 */
import * as vscode from 'vscode';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { MigrationProposal } from '../../core/tools';
import { prepareExplain, type ExplainResult } from '../../core/db/explain';
import type { ExplainPanelApi, ShowResult } from '../explain/panel';
import type { ConnectionsApi } from '../db/connections';
import type { Host } from '../host';
import { BUILTIN, type CommandHandlers } from '../commands';
import { SCHEME } from '../selectors';

const PROPOSED_SCHEME = SCHEME.proposed;

/** What "Open in EXPLAIN panel" carries: the plan a tool produced in the turn (EXPLAIN JSON), and its query. */
export interface PlanButtonArgs {
  query: string;
  plan?: unknown;
}

/**
 * EXPLAIN for showing a plan outside the agent's tool (the panel button, Optimize Query): ANALYZE executes the
 * statement, so a write on a live database gets the estimated plan only (the tool asks first; a button must not).
 */
export async function explainForDisplay(connections: ConnectionsApi, query: string): Promise<ExplainResult> {
  const writes = await prepareExplain({ query }).then((p) => p.writes, () => false);
  const analyze = !writes || connections.target().database === 'embedded';
  return connections.explain({ query, analyze });
}

/** Where in a file an answer's SQL goes: a range (replaced) in a document. */
export interface EditTarget {
  uri: string;
  /** 0-based [startLine, startChar, endLine, endChar]; an empty range inserts. */
  range: [number, number, number, number];
}

interface PendingEdit {
  target: vscode.Uri;
  range: vscode.Range;
  newText: string;
  /** The document's version when proposed: an edit on a changed document is refused. */
  version: number;
  proposed: string;
}

/** Timestamp in the folder's style for a proposal saved later than proposed: never reuse a taken path. */
function freePath(absPath: string): string {
  if (!existsSync(absPath)) return absPath;
  const prisma = absPath.endsWith(`${sep}migration.sql`);
  const leaf = prisma ? dirname(absPath) : absPath;
  const m = /^(.*?)(\d{14})(_[^/\\]*)$/.exec(leaf);
  if (!m) return absPath.replace(/(\.sql)?$/, `_${Date.now()}.sql`);
  let ts = BigInt(m[2]!);
  let next: string;
  do {
    ts += 1n;
    next = `${m[1]}${ts}${m[3]}`;
  } while (existsSync(prisma ? join(next, 'migration.sql') : next));
  return prisma ? join(next, 'migration.sql') : next;
}

export interface AnswerActions {
  /** Writes the proposal in its migrations folder and opens it; returns the file written. */
  saveMigration(proposal: MigrationProposal): Promise<vscode.Uri | undefined>;
  /** The proposed edits waiting for Accept, by their virtual document. */
  readonly pending: ReadonlyMap<string, PendingEdit>;
  /** Opens a diff of `target` with `range` replaced by `newText`; Accept applies it. Returns the virtual document. */
  proposeEdit(target: vscode.Uri, range: vscode.Range, newText: string, title: string): Promise<vscode.Uri>;
  accept(proposed?: vscode.Uri): Promise<boolean>;
}

export type AnswerActionCommands = Pick<CommandHandlers, 'saveMigration' | 'insertSql' | 'applySql' | 'acceptProposedEdit' | 'openQueryPlan'>;

export function createAnswerActions({ extension, log }: Host, deps: { connections: ConnectionsApi; panel: ExplainPanelApi }): { api: AnswerActions; commands: AnswerActionCommands } {
  const root = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const pending = new Map<string, PendingEdit>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let counter = 0;

  const actions: AnswerActions = {
    pending,
    async saveMigration(proposal) {
      const base = root();
      if (!proposal || typeof proposal.sql !== 'string' || typeof proposal.absPath !== 'string') {
        void vscode.window.showErrorMessage('Database Engineer: there is no migration to save (the button lost its proposal). Ask the agent to propose it again.');
        return undefined;
      }
      if (!base || relative(base, proposal.absPath).startsWith('..')) {
        void vscode.window.showErrorMessage(`Database Engineer: ${proposal.path} is outside the open workspace; not saved.`);
        return undefined;
      }
      const file = freePath(proposal.absPath);
      try {
        mkdirSync(dirname(file), { recursive: true });
        const header = proposal.description ? `-- ${proposal.description.replace(/\n/g, '\n-- ')}\n` : '';
        writeFileSync(file, header + proposal.sql, { flag: 'wx' });
      } catch (err) {
        void vscode.window.showErrorMessage(`Database Engineer: could not write ${vscode.workspace.asRelativePath(file)}: ${(err as Error).message}`);
        return undefined;
      }
      const uri = vscode.Uri.file(file);
      log.info(`saved proposed migration ${vscode.workspace.asRelativePath(uri)}`);
      const beside = columnBesideWebview();
      await vscode.window.showTextDocument(uri, { preview: false, ...(beside ? { viewColumn: beside, preserveFocus: true } : {}) });
      return uri;
    },
    async proposeEdit(target, range, newText, title) {
      const doc = await vscode.workspace.openTextDocument(target);
      const proposedText = doc.getText(new vscode.Range(new vscode.Position(0, 0), range.start)) + newText + doc.getText(new vscode.Range(range.end, doc.lineAt(doc.lineCount - 1).range.end));
      const proposed = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: target.path, query: `n=${++counter}` });
      pending.set(proposed.toString(), { target, range, newText, version: doc.version, proposed: proposedText });
      changed.fire(proposed);
      await vscode.commands.executeCommand(BUILTIN.diff, target, proposed, title, { preview: true });
      return proposed;
    },
    async accept(proposed) {
      const key = proposed?.toString()
        ?? (vscode.window.activeTextEditor?.document.uri.scheme === PROPOSED_SCHEME ? vscode.window.activeTextEditor.document.uri.toString() : [...pending.keys()].at(-1));
      const edit = key ? pending.get(key) : undefined;
      if (!edit || !key) {
        void vscode.window.showInformationMessage('Database Engineer: no proposed change is waiting to be accepted.');
        return false;
      }
      const doc = await vscode.workspace.openTextDocument(edit.target);
      if (doc.version !== edit.version) {
        void vscode.window.showWarningMessage(`Database Engineer: ${vscode.workspace.asRelativePath(edit.target)} changed since the proposal; not applied. Ask again.`);
        return false;
      }
      const we = new vscode.WorkspaceEdit();
      we.replace(edit.target, edit.range, edit.newText);
      const ok = await vscode.workspace.applyEdit(we);
      if (ok) {
        pending.delete(key);
        // Close the diff: it no longer shows a pending change.
        for (const group of vscode.window.tabGroups.all) {
          for (const tab of group.tabs) {
            if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === key) await vscode.window.tabGroups.close(tab);
          }
        }
        await vscode.window.showTextDocument(edit.target, { selection: new vscode.Range(edit.range.start, edit.range.start) });
      }
      return ok;
    },
  };

  const targetOf = (t?: EditTarget) => {
    if (t?.uri) return { uri: vscode.Uri.parse(t.uri), range: new vscode.Range(...t.range) };
    const editor = vscode.window.activeTextEditor;
    return editor && editor.document.uri.scheme !== PROPOSED_SCHEME ? { uri: editor.document.uri, range: new vscode.Range(editor.selection.start, editor.selection.end) } : undefined;
  };

  extension.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => pending.get(uri.toString())?.proposed ?? '-- This proposal was accepted or discarded.\n',
    }),
  );
  const commands: AnswerActionCommands = {
    saveMigration: (p: MigrationProposal) => actions.saveMigration(p),
    insertSql: async (sql: string) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || typeof sql !== 'string') {
        void vscode.window.showInformationMessage('Database Engineer: open an editor and place the cursor where the SQL should go.');
        return false;
      }
      return editor.edit((b) => b.replace(editor.selection, sql));
    },
    applySql: async (sql: string, target?: EditTarget) => {
      const t = targetOf(target);
      if (!t || typeof sql !== 'string') {
        void vscode.window.showInformationMessage('Database Engineer: open the file the SQL should go into.');
        return undefined;
      }
      return actions.proposeEdit(t.uri, t.range, sql, `${vscode.workspace.asRelativePath(t.uri)} ↔ proposed (Accept to apply)`);
    },
    acceptProposedEdit: (uri?: vscode.Uri) => actions.accept(uri instanceof vscode.Uri ? uri : undefined),
    openQueryPlan: async (given: PlanButtonArgs | string): Promise<ShowResult | undefined> => {
      const args: PlanButtonArgs | undefined = typeof given === 'string' ? { query: given } : given && typeof given.query === 'string' ? given : undefined;
      if (!args) return undefined;
      // The plan the agent reasoned about, as its tool got it; EXPLAIN again only when the turn kept none.
      if (args.plan !== undefined) {
        const shown = await deps.panel.show(args.plan, { query: args.query, title: 'EXPLAIN (from chat)' });
        if (!shown.ok) void vscode.window.showErrorMessage(`Database Engineer: the plan from chat could not be read: ${shown.error}`);
        return shown;
      }
      try {
        const result = await explainForDisplay(deps.connections, args.query);
        return await deps.panel.show(result.plan, { query: result.query, title: 'EXPLAIN (from chat)' });
      } catch (err) {
        void vscode.window.showErrorMessage(`Database Engineer: EXPLAIN failed: ${(err as Error).message}`);
        return undefined;
      }
    },
  };
  return { api: actions, commands };
}

/**
 * Where a saved migration opens when the save came from a webview (the EXPLAIN panel's "Save as migration"): in
 * another group, so the file never covers the panel the user is reading. undefined: the active group, as usual.
 */
function columnBesideWebview(): vscode.ViewColumn | undefined {
  const active = vscode.window.tabGroups.activeTabGroup;
  if (!(active.activeTab?.input instanceof vscode.TabInputWebview)) return undefined;
  const other = vscode.window.tabGroups.all.find((g) => g !== active);
  return other?.viewColumn ?? (active.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
}
