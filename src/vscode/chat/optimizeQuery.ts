/**
 * Optimize Query: a light-bulb / context-menu action on a SQL statement (.sql) or a selected query in TypeScript /
 * JavaScript (a Prisma call or raw SQL string). It asks the query-performance agent (with its tools: EXPLAIN, schema)
 * for a rewrite and index statements in a fixed format, opens the rewrite as a diff with Accept, offers the indexes
 * as a migration, and compares before and after in the EXPLAIN panel from measured runs: proposed indexes are
 * measured on a throwaway copy of the embedded database that has them.
 */
import * as vscode from 'vscode';
import { createChatClient } from '../../core/chat/client';
import { parseOptimizeAnswer } from '../../core/assist/sqlBlocks';
import { indexMigrationName, isOptimizableQuery, sameQuery, withOriginalEnding } from '../../core/assist/optimize';
import { SLASH_COMMANDS } from '../../core/assist/slashCommands';
import { runAgentTurn } from '../../core/chat/agentTurn';
import { chooseProvider } from '../../core/chat/turn';
import type { ModelClient } from '../../core/chat/model';
import { proposeMigration, runTool, type MigrationProposal } from '../../core/tools';
import { analyzePlan, measureRuns, medianRun, type PlanAnalysis } from '../../core/plan';
import { COMMAND, type CommandHandlers } from '../commands';
import type { Host } from '../host';
import type { ConnectionsApi } from '../db/connections';
import type { ExplainPanelApi } from '../explain/panel';
import { KIND, SCRIPT_LANGUAGES } from '../selectors';
import { isSqlDocument, type SqlDocuments } from '../sqlDocument';
import type { Agents } from './agents';
import { apiKeyGetter } from './apiKey';
import { explainForDisplay, type AnswerActions } from './answerActions';
import type { ToolContexts } from './toolContext';
import { vscodeModelClient } from './vscodeModel';

export const OPTIMIZE_TITLE = 'Optimize query with @query-performance';

export interface OptimizeOutcome {
  ok: boolean;
  message?: string;
  rewritten?: string;
  indexes?: string;
  /** The virtual document of the diff (Accept applies it). */
  proposed?: vscode.Uri;
  proposals: MigrationProposal[];
  /** Both plans were shown in the panel's compare view. */
  compared: boolean;
  /** "500 rows → 50 rows" when the rewrite returned other rows than the original: it is not the same query. */
  resultsDiffer?: string;
}

export interface OptimizeDeps {
  agents: Agents;
  connections: ConnectionsApi;
  panel: ExplainPanelApi;
  actions: AnswerActions;
  tools: ToolContexts;
  sql: SqlDocuments;
}

/** What Optimize Query rewrites: the selection, else in SQL the statement at the cursor (without its `;`). */
async function optimizeTarget(sql: SqlDocuments, doc: vscode.TextDocument, range: vscode.Range): Promise<vscode.Range | undefined> {
  if (!range.isEmpty) return range;
  if (!isSqlDocument(doc)) return undefined;
  return (await sql.statementAt(doc, range.start).catch(() => undefined))?.body;
}

class OptimizeActions implements vscode.CodeActionProvider {
  constructor(private readonly sql: SqlDocuments) {}
  async provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): Promise<vscode.CodeAction[]> {
    const target = await optimizeTarget(this.sql, doc, range);
    // Only queries: a light bulb on CREATE POLICY or CREATE TABLE has nothing to optimize.
    if (!target || (isSqlDocument(doc) && !isOptimizableQuery(doc.getText(target)))) return [];
    const action = new vscode.CodeAction(OPTIMIZE_TITLE, KIND.optimize);
    action.command = { command: COMMAND.optimizeQuery, title: OPTIMIZE_TITLE, arguments: [doc.uri, target] };
    return [action];
  }
}

export function createOptimizeQuery(host: Host, deps: OptimizeDeps): { commands: Pick<CommandHandlers, 'optimizeQuery'>; codeActions: vscode.CodeActionProvider } {
  const { extension, log, config } = host;
  const { actions } = deps;
  const apiKey = apiKeyGetter(extension.secrets);

  type Measured = { before: PlanAnalysis[]; after: PlanAnalysis[]; query: string };
  /**
   * The original and the `after` query measured as the EXPLAIN comparison wants them (core/plan's measureRuns: a
   * warm-up run each, then COMPARE_RUNS interleaved runs), `after` explained by `explainAfter` (by default on the
   * current target, like the original); undefined when either cannot be explained. Sides, not texts, tell the two
   * apart: with indexes and no rewrite both are the same query.
   */
  const measure = async (original: string, after: string, explainAfter = (q: string) => explainForDisplay(deps.connections, q)): Promise<Measured | undefined> => {
    let query = after;
    try {
      const [before, measured] = await measureRuns(['original', 'after'] as const, async (side) => {
        const r = side === 'original' ? await explainForDisplay(deps.connections, original) : await explainAfter(after);
        if (side === 'after') query = r.query;
        return analyzePlan(r.plan, { query: r.query });
      });
      return { before: before!, after: measured!, query };
    } catch (err) {
      log.info(`optimize: no plans to compare: ${(err as Error).message}`);
      return undefined;
    }
  };

  /**
   * With proposed indexes, on the embedded database: `after` (the rewrite, or the original) runs on a throwaway copy
   * with the indexes applied, so the comparison shows what the indexes buy. Undefined when the target is a live
   * database (indexes are never built there to measure them) or the copy refused the indexes.
   */
  const measureWithIndexes = async (original: string, after: string, indexes: string): Promise<Measured | undefined> => {
    if (deps.connections.target().database !== 'embedded') return undefined;
    const db = await deps.connections.toolDatabase();
    if (!db?.withMigration) return undefined;
    try {
      return await db.withMigration('optimize-query-indexes.sql', indexes, async (copy) => {
        if (copy.refused.length) {
          log.info(`optimize: the proposed indexes do not apply: ${copy.refused.map((i) => `line ${i.line}: ${i.message}`).join('; ')}`);
          return undefined;
        }
        return measure(original, after, (q) => copy.explain({ query: q, analyze: true, statementTimeoutMs: config.statementTimeoutMs }));
      });
    } catch (err) {
      log.info(`optimize: the indexes could not be measured: ${(err as Error).message}`);
      return undefined;
    }
  };

  const run = async (uri?: vscode.Uri, range?: vscode.Range): Promise<OptimizeOutcome> => {
    const fail = (message: string): OptimizeOutcome => {
      void vscode.window.showErrorMessage(`Database Engineer: ${message}`);
      return { ok: false, message, proposals: [], compared: false };
    };
    const editor = vscode.window.activeTextEditor;
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!doc) return fail('open a SQL file or select a query to optimize.');
    let target = range ?? (editor && editor.document === doc ? new vscode.Range(editor.selection.start, editor.selection.end) : undefined);
    target = await optimizeTarget(deps.sql, doc, target ?? new vscode.Range(0, 0, 0, 0));
    if (!target || target.isEmpty) return fail('select the query to optimize (or put the cursor in a SQL statement).');
    const original = doc.getText(target);
    const isSql = !SCRIPT_LANGUAGES.includes(doc.languageId);

    const agent = deps.agents.catalog().get(SLASH_COMMANDS.optimize.agentId);
    if (!agent) return fail(`the ${SLASH_COMMANDS.optimize.agentId} agent is not loaded (see the "Database Engineer" output).`);

    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Optimizing the query', cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        const tools = deps.tools.context();
        const rel = vscode.workspace.asRelativePath(doc.uri, false);
        const prompt = [
          SLASH_COMMANDS.optimize.task,
          isSql ? '' : `The query is ${doc.languageId} code (a Prisma call or a raw SQL string): explain the SQL it runs, and write the rewrite in the same language as the original, in the \`-- rewritten\` block.`,
          `The query, from ${rel} lines ${target!.start.line + 1}-${target!.end.line + 1}:\n\`\`\`${isSql ? 'sql' : doc.languageId}\n${original}\n\`\`\``,
        ].filter(Boolean).join('\n\n');
        const onToolCall = (e: { status: string; summary: string }) => { if (e.status === 'start') progress.report({ message: e.summary }); };
        const key = (await apiKey())?.trim();
        // The one provider choice (as the chat's): the editor's first model stands in for the chat request's.
        const setting = config.chatProvider;
        const [model] = setting === 'anthropic' || (key && setting === 'auto') ? [] : await vscode.lm.selectChatModels();
        const provider = chooseProvider({ setting, hasKey: Boolean(key), editorModel: Boolean(model) });
        let client: ModelClient | ReturnType<typeof createChatClient>;
        if (provider === 'vscode') client = vscodeModelClient(model!);
        else if (key) client = createChatClient({ apiKey: key, ...(process.env['ANTHROPIC_BASE_URL'] ? { baseURL: process.env['ANTHROPIC_BASE_URL'] } : {}) });
        else {
          void vscode.window.showErrorMessage('Database Engineer: Optimize Query needs an Anthropic API key or a language model in the editor.', 'Set Anthropic API Key')
            .then((a) => a && vscode.commands.executeCommand(COMMAND.setApiKey));
          return { ok: false, message: 'no model', proposals: [], compared: false };
        }
        if (!tools) return fail('open a folder: Optimize Query works on a project.');
        progress.report({ message: `asking ${agent.name}…` });
        const turn = await runAgentTurn({ client, agent, prompt, tools, signal: controller.signal, onToolCall, log });
        const { text, proposals } = turn;
        const error = turn.error?.message;
        if (turn.stopReason === 'cancelled') return { ok: false, message: 'cancelled', proposals, compared: false };
        if (error) return fail(`the agent could not answer: ${error}`);
        const parsed = parseOptimizeAnswer(text);
        // A "rewrite" that only adds a semicolon or spaces is none; a real one keeps the original's ending.
        if (parsed.rewritten && sameQuery(parsed.rewritten, original)) delete parsed.rewritten;
        if (parsed.rewritten) parsed.rewritten = withOriginalEnding(original, parsed.rewritten);
        if (!parsed.rewritten) {
          log.info('optimize: the answer had no rewritten query');
          void vscode.window.showInformationMessage(`${agent.name} suggests no rewrite for this query.${parsed.indexes ? ' It proposes indexes.' : ''}`);
        }
        if (parsed.indexes && !proposals.length && tools) {
          await runTool(proposeMigration, { name: indexMigrationName(parsed.indexes), sql: parsed.indexes, description: 'Indexes proposed by Optimize Query' }, { ...tools, onProposal: (p) => proposals.push(p) });
        }
        let compared = false;
        let resultsDiffer: string | undefined;
        if ((parsed.rewritten || parsed.indexes) && isSql) {
          progress.report({ message: 'comparing the plans (a warm-up and 3 measured runs each)…' });
          // Proposed indexes are measured on a copy of the embedded database that has them; else the rewrite alone.
          const withIndexes = parsed.indexes ? await measureWithIndexes(original, parsed.rewritten ?? original, parsed.indexes) : undefined;
          const runs = withIndexes ?? (parsed.rewritten ? await measure(original, parsed.rewritten) : undefined);
          const afterLabel = withIndexes ? (parsed.rewritten ? 'Rewritten, with the proposed indexes' : 'With the proposed indexes') : 'Rewritten';
          if (runs) {
            // The plans shown are the median runs, so their times agree with the comparison's medians.
            const r = await deps.panel.compare(medianRun(runs.before), medianRun(runs.after), { title: 'Optimize Query: before ↔ after', beforeLabel: 'Original', afterLabel, query: runs.query, runs });
            compared = r.ok;
            if (r.ok && r.comparison.resultsDiffer) resultsDiffer = r.comparison.resultsDiffer;
          }
        }
        // The diff opens once, after the plans, so it stays in front.
        const proposed = parsed.rewritten
          ? await actions.proposeEdit(doc.uri, target!, parsed.rewritten, `${rel}: original ↔ optimized (Accept to apply)`)
          : undefined;
        const saveTitle = (i: number) => (proposals.length > 1 ? `Save index migration ${i + 1}` : 'Save index migration');
        const choices = [...(proposed ? ['Accept rewrite'] : []), ...proposals.map((_, i) => saveTitle(i))];
        if (choices.length) {
          // A rewrite that returns other rows is a different query, however fast: say so where Accept is.
          const show = (text: string, ...items: string[]) => (resultsDiffer ? vscode.window.showWarningMessage(text, ...items) : vscode.window.showInformationMessage(text, ...items));
          const review = resultsDiffer ? `the rewrite returns different results (${resultsDiffer}): it is not the same query. Review it in the diff before accepting.` : 'review the rewrite in the diff.';
          void show(`${agent.name}: ${parsed.rewritten ? review : ''}${proposals.length ? ` ${proposals.length} index migration${proposals.length === 1 ? '' : 's'} proposed.` : ''}`, ...choices).then(async (pick) => {
            if (pick === 'Accept rewrite') await vscode.commands.executeCommand(COMMAND.acceptProposedEdit, proposed);
            const p = proposals.find((_, i) => pick === saveTitle(i));
            if (p) await vscode.commands.executeCommand(COMMAND.saveMigration, p);
          });
        }
        return { ok: Boolean(parsed.rewritten || parsed.indexes), ...(parsed.rewritten ? { rewritten: parsed.rewritten } : {}), indexes: parsed.indexes, ...(proposed ? { proposed } : {}), proposals, compared, ...(resultsDiffer ? { resultsDiffer } : {}) };
      } finally {
        sub.dispose();
      }
    });
  };

  return {
    commands: { optimizeQuery: (uri?: vscode.Uri, range?: vscode.Range) => run(uri instanceof vscode.Uri ? uri : undefined, range instanceof vscode.Range ? range : undefined) },
    codeActions: new OptimizeActions(deps.sql),
  };
}
