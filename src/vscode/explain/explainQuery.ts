/**
 * Explain Query / Explain Analyze Query / Explain Analyze Query as… on the selection, or on the SQL statement under
 * the cursor (the analyzer's statement ranges). Asks for placeholder values (remembered per query), runs on the
 * current target through the connections service with cancellable progress, and opens the EXPLAIN panel.
 * Also the "Explain query" code actions on .sql statements and the editor context-menu entries.
 */
import * as vscode from 'vscode';
import { createHash, randomUUID } from 'node:crypto';
import type { Host } from '../host';
import { COMMAND, type CommandHandlers } from '../commands';
import type { ConnectionsApi } from '../db/connections';
import type { ExplainPanelApi } from './panel';
import type { SqlDocuments } from '../sqlDocument';
import { KIND } from '../selectors';
import { ConnectError, ExplainError, type ExplainResult, type MigrationIssue, type ParamValue } from '../../core/db';
import { findPlaceholders } from '../../core/sql/split';


/** Statement kinds EXPLAIN takes: the code actions are offered on these only (not on DDL in migrations). */
const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'ExecuteStmt', 'DeclareCursorStmt', 'CreateTableAsStmt']);
const PARAMS_KEY = 'databaseEngineer.explain.params';
const RUN_AS_KEY = 'databaseEngineer.explain.runAs';
const SUPABASE_ROLES = ['authenticated', 'anon', 'service_role'];

type Mode = 'plan' | 'analyze' | 'analyzeAs';

/** Options a caller (a test, another feature) may pass instead of answering the prompts. */
export interface ExplainCommandOptions {
  params?: Record<string, ParamValue>;
  runAs?: { role?: string; claims?: Record<string, unknown> };
}

export interface ExplainRun {
  mode: Mode;
  /** The text explained: the selection, or the statement under the cursor. */
  query: string;
  uri: string;
  database?: 'live' | 'embedded';
  analyzed?: boolean;
  notes?: string[];
  /** The message shown when it failed. */
  error?: string;
  errorKind?: string;
  /** Where a syntax error points, in the document. */
  errorPosition?: vscode.Position;
  /** The embedded database was built (or opened) during this run. */
  built: boolean;
  ms: number;
}

/** What tests see of the Explain commands. */
export interface ExplainCommandsApi {
  readonly last: ExplainRun | undefined;
  /** The embedded database's failed migration statements last reported (`file:line: message`). */
  readonly shownIssues: readonly string[];
  /** Resolves when the command in flight (if any) has finished. */
  idle(): Promise<void>;
}

export interface ExplainQueryDeps {
  connections: ConnectionsApi;
  panel: ExplainPanelApi;
  sql: SqlDocuments;
}

/** The three Explain commands and the "Explain query" code actions. */
export function createExplainQuery(host: Host, deps: ExplainQueryDeps): {
  api: ExplainCommandsApi;
  commands: Pick<CommandHandlers, 'explainQuery' | 'explainAnalyzeQuery' | 'explainAnalyzeQueryAs'>;
  codeActions: vscode.CodeActionProvider;
} {
  const commands = new ExplainCommands(host, deps);
  return {
    api: commands.api,
    commands: {
      explainQuery: (...args: unknown[]) => commands.run('plan', args),
      explainAnalyzeQuery: (...args: unknown[]) => commands.run('analyze', args),
      explainAnalyzeQueryAs: (...args: unknown[]) => commands.run('analyzeAs', args),
    },
    codeActions: new ExplainCodeActions(deps.sql),
  };
}

class ExplainCommands {
  private last?: ExplainRun;
  private inFlight: Promise<void> = Promise.resolve();
  private shownIssues = '';
  readonly api: ExplainCommandsApi;

  constructor(private readonly host: Host, private readonly deps: ExplainQueryDeps) {
    const self = this;
    this.api = { get last() { return self.last; }, get shownIssues() { return self.shownIssues ? self.shownIssues.split('\n') : []; }, idle: () => self.inFlight };
  }

  /** What to explain: the selection, else the statement under the cursor (a broken one too, so its error shows). */
  async target(document: vscode.TextDocument, selection: vscode.Range): Promise<vscode.Range | string> {
    if (!selection.isEmpty) return document.getText(selection).trim() ? selection : 'The selection is empty: select a SQL statement to explain.';
    return (await this.deps.sql.statementAt(document, selection.start))?.range ?? 'Put the cursor in a SQL statement (or select one) to explain it.';
  }

  run(mode: Mode, args: unknown[]): Promise<void> {
    const p = this.inFlight.then(() => this.runOne(mode, args)).catch((err) => this.host.log.error(`explain: ${(err as Error).stack ?? err}`));
    this.inFlight = p;
    return p;
  }

  private async runOne(mode: Mode, args: unknown[]): Promise<void> {
    const uriArg = args.find((a): a is vscode.Uri => a instanceof vscode.Uri);
    const rangeArg = args.find((a): a is vscode.Range => a instanceof vscode.Range);
    const options = (args.find((a) => typeof a === 'object' && a !== null && !(a instanceof vscode.Uri) && !(a instanceof vscode.Range) && ('params' in a || 'runAs' in a)) ?? {}) as ExplainCommandOptions;
    let editor = vscode.window.activeTextEditor;
    if (uriArg && editor?.document.uri.toString() !== uriArg.toString()) editor = await vscode.window.showTextDocument(uriArg, { preserveFocus: false });
    // Focus on the panel (or elsewhere): the SQL editor still in view, the one explained last first.
    editor ??= vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.last?.uri)
      ?? vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'sql');
    if (!editor) {
      void vscode.window.showWarningMessage('Database Engineer: open a .sql file and put the cursor in a query to explain it.');
      return;
    }
    const document = editor.document;
    const found = await this.target(document, rangeArg ?? editor.selection);
    if (typeof found === 'string') {
      this.record({ mode, query: '', uri: document.uri.toString(), error: found, errorKind: 'empty', built: false, ms: 0 });
      void vscode.window.showWarningMessage(`Database Engineer: ${found}`);
      return;
    }
    const query = document.getText(found).trim();

    // Placeholder values, from the caller or asked for (prefilled with the last ones given for this query).
    let params = options.params;
    if (!params) {
      const asked = await this.askParams(query);
      if (!asked) return;
      params = asked;
    }
    let runAs = options.runAs;
    if (mode === 'analyzeAs' && !runAs) {
      runAs = await this.askRunAs();
      if (!runAs) return;
    }

    const { connections, panel } = this.deps;
    const analyze = mode !== 'plan';
    const verb = analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
    const target = connections.target();
    const started = Date.now();
    let built = false;
    const run: ExplainRun = { mode, query, uri: document.uri.toString(), built: false, ms: 0 };
    try {
      const result: ExplainResult = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Database Engineer: ${verb}`, cancellable: true },
        async (progress, token) => {
          progress.report({ message: `on ${target.database === 'live' ? target.label : 'the embedded database'}…` });
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          try {
            return await connections.explain({ query, analyze, params, runAs, signal: abort.signal }, {
              onProgress: (p) => {
                built = true;
                progress.report({ message: `Building the embedded database from ${p.total} migration${p.total === 1 ? '' : 's'}… (${p.index}/${p.total} ${p.file})` });
              },
            });
          } finally {
            sub.dispose();
          }
        },
      );
      Object.assign(run, { database: result.database, analyzed: result.analyzed, notes: result.notes, built, ms: Date.now() - started });
      const rel = vscode.workspace.asRelativePath(document.uri);
      const shown = await panel.show(result.plan, { title: `${result.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} · ${rel}:${found.start.line + 1}`, query, beside: true });
      if (!shown.ok) throw new Error(`the plan could not be read: ${shown.error}`);
      for (const n of result.notes) this.host.log.info(`explain: ${n}`);
      this.host.log.info(`explain: ${verb} of ${rel}:${found.start.line + 1} on the ${result.database} database in ${run.ms} ms${built ? ' (embedded database built)' : ''}`);
      if (analyze && !result.analyzed) void vscode.window.showInformationMessage(`Database Engineer: ${result.notes.find((n) => n.startsWith('Not run with ANALYZE')) ?? 'The plan was not run with ANALYZE.'}`);
      vscode.window.setStatusBarMessage(`$(database) ${verb} on the ${result.database === 'live' ? target.label : 'embedded database'}: ${shown.analysis.insights.length} insight${shown.analysis.insights.length === 1 ? '' : 's'}`, 8000);
      this.record(run);
    } catch (err) {
      run.ms = Date.now() - started;
      run.built = built;
      this.record(run);
      this.fail(err, run, editor, found, target.database === 'embedded' ? connections.embeddedIssues() : []);
    } finally {
      if (target.database === 'embedded') this.reportIssues(connections.embeddedIssues());
    }
  }

  private record(run: ExplainRun): void {
    this.last = run;
  }

  /** A specific message per failure; syntax errors move the cursor to where the parser stopped. */
  private fail(err: unknown, run: ExplainRun, editor: vscode.TextEditor, range: vscode.Range, issues: MigrationIssue[]): void {
    const document = editor.document;
    const rel = vscode.workspace.asRelativePath(document.uri);
    let message: string;
    const buttons: string[] = [];
    if (err instanceof ExplainError) {
      run.errorKind = err.kind;
      if (err.kind === 'cancelled') {
        run.error = err.message;
        vscode.window.setStatusBarMessage('$(debug-stop) EXPLAIN cancelled', 5000);
        return;
      }
      if (err.kind === 'syntax' && err.details.line) {
        const pos = positionIn(document, range, err.details.line, err.details.column ?? 1);
        run.errorPosition = pos;
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        message = `Syntax error in ${rel} at line ${pos.line + 1}, column ${pos.character + 1}: ${err.details.reason ?? err.message}`;
      } else {
        message = err.message;
        if (err.kind === 'server' && issues.length > 0) {
          message += ` — the embedded database could not apply ${issues.length} migration statement${issues.length === 1 ? '' : 's'} (first: ${issues[0]!.file}:${issues[0]!.line}), so objects may be missing.`;
          buttons.push('Show Log');
        }
      }
    } else if (err instanceof ConnectError) {
      run.errorKind = `connect:${err.kind}`;
      message = err.message;
      buttons.push('Connect…');
    } else {
      run.errorKind = 'other';
      message = (err as Error).message ?? String(err);
    }
    run.error = message;
    this.host.log.warn(`explain: ${message}`);
    void vscode.window.showErrorMessage(`Database Engineer: ${message}`, ...buttons).then((b) => {
      if (b === 'Show Log') this.host.log.show(true);
      else if (b === 'Connect…') void vscode.commands.executeCommand(COMMAND.connect);
    });
  }

  /** Lists the migration statements the embedded database refused, once per distinct set. */
  private reportIssues(issues: MigrationIssue[]): void {
    const key = issues.map((i) => `${i.file}:${i.line}: ${i.message}`).join('\n');
    if (!key || key === this.shownIssues) return;
    this.shownIssues = key;
    for (const i of issues) this.host.log.warn(`embedded database: ${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}`);
    const first = issues[0]!;
    void vscode.window.showWarningMessage(
      `Database Engineer: the embedded database could not apply ${issues.length} migration statement${issues.length === 1 ? '' : 's'} (${first.file}${first.line ? `:${first.line}` : ''}: ${first.message}${issues.length > 1 ? '; …' : ''}). Plans that touch what they create will differ.`,
      'Show Log',
    ).then((b) => b && this.host.log.show(true));
  }

  /** Input boxes for `$n` / `:name` placeholders; undefined when the user cancels. NULL (unquoted) is SQL null. */
  private async askParams(query: string): Promise<Record<string, ParamValue> | undefined> {
    const keys: (string | number)[] = [];
    for (const h of findPlaceholders(query)) if (!keys.includes(h.key)) keys.push(h.key);
    if (keys.length === 0) return {};
    keys.sort((a, b) => (typeof a === typeof b ? (a < b ? -1 : 1) : typeof a === 'number' ? -1 : 1));
    const store = this.host.extension.workspaceState;
    const all = store.get<Record<string, Record<string, string>>>(PARAMS_KEY) ?? {};
    const qkey = createHash('sha1').update(query.replace(/\s+/g, ' ')).digest('hex');
    const previous = all[qkey] ?? {};
    const given: Record<string, string> = {};
    for (const [i, key] of keys.entries()) {
      const name = typeof key === 'number' ? `$${key}` : `:${key}`;
      const value = await vscode.window.showInputBox({
        title: `Value for ${name} (${i + 1} of ${keys.length})`,
        prompt: 'Sent as a bound parameter, typed by the server from the query. Write NULL for null.',
        value: previous[String(key)] ?? '', ignoreFocusOut: true,
      });
      if (value === undefined) return undefined;
      given[String(key)] = value;
    }
    // Keep the 50 most recent queries' values.
    const next = { ...all };
    delete next[qkey];
    next[qkey] = given;
    const keysKept = Object.keys(next).slice(-50);
    await store.update(PARAMS_KEY, Object.fromEntries(keysKept.map((k) => [k, next[k]!])));
    return Object.fromEntries(Object.entries(given).map(([k, v]) => [k, /^null$/i.test(v.trim()) ? null : v]));
  }

  /** Role (Supabase's or typed) and JWT claims JSON (`sub` defaults to a fresh uuid); undefined when cancelled. */
  private async askRunAs(): Promise<{ role: string; claims: Record<string, unknown> } | undefined> {
    const store = this.host.extension.workspaceState;
    const last = store.get<{ role: string; claims: string }>(RUN_AS_KEY);
    const items: (vscode.QuickPickItem & { role?: string })[] = SUPABASE_ROLES.map((r) => ({
      label: r, role: r,
      description: r === 'authenticated' ? 'a signed-in user (auth.uid() from the claims)' : r === 'anon' ? 'not signed in' : 'bypasses row-level security',
      picked: last?.role === r,
    }));
    items.push({ label: '$(edit) Another role…' });
    const pick = await vscode.window.showQuickPick(items, { title: 'Explain Analyze as role', placeHolder: last ? `last: ${last.role}` : 'Row counts show what row-level security lets this role see' });
    if (!pick) return undefined;
    const role = pick.role ?? (await vscode.window.showInputBox({ title: 'Role name', value: last?.role, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter a role name') }))?.trim();
    if (!role) return undefined;
    const fallback = JSON.stringify({ sub: randomUUID(), role });
    const text = await vscode.window.showInputBox({
      title: `JWT claims for ${role}`,
      prompt: 'JSON object set as request.jwt.claims: auth.uid() reads "sub", auth.jwt() the whole object.',
      value: last && last.role === role ? last.claims : fallback, ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          const o = JSON.parse(v) as unknown;
          return typeof o === 'object' && o !== null && !Array.isArray(o) ? undefined : 'Enter a JSON object, e.g. {"sub": "…"}';
        } catch (err) {
          return `Not JSON: ${(err as Error).message}`;
        }
      },
    });
    if (text === undefined) return undefined;
    await store.update(RUN_AS_KEY, { role, claims: text });
    return { role, claims: JSON.parse(text) as Record<string, unknown> };
  }
}

/** The document position of a 1-based line / UTF-16 column inside the explained range. */
function positionIn(document: vscode.TextDocument, range: vscode.Range, line: number, column: number): vscode.Position {
  const text = document.getText(range);
  const lead = text.length - text.trimStart().length;
  const body = text.slice(lead);
  const lines = body.split('\n');
  const l = Math.min(Math.max(1, line), lines.length);
  const before = lines.slice(0, l - 1).reduce((n, s) => n + s.length + 1, 0);
  const col = Math.min(Math.max(0, column - 1), lines[l - 1]!.length);
  return document.positionAt(document.offsetAt(range.start) + lead + before + col);
}

/** "Explain query" / "Explain analyze query" on explainable statements (not quick fixes: nothing is wrong). */
class ExplainCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly sql: SqlDocuments) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (context.only && !context.only.intersects(KIND.explain)) return [];
    const st = await this.sql.statementAt(document, range.start);
    if (!st?.kind || !EXPLAINABLE.has(st.kind)) return [];
    const stRange = st.range;
    // A selection inside the statement explains just the selection (a subquery, say).
    const what = !range.isEmpty && stRange.contains(range) && !range.isEqual(stRange) ? range : stRange;
    const action = (title: string, command: string) => {
      const a = new vscode.CodeAction(title, KIND.explain);
      a.command = { title, command, arguments: [document.uri, what] };
      return a;
    };
    return [action('Explain query', COMMAND.explainQuery), action('Explain analyze query', COMMAND.explainAnalyzeQuery)];
  }
}
