/**
 * Around a chat turn with tools: what the agent touched (references/anchors to the files and lines it read), the
 * buttons offered after the answer (EXPLAIN panel, Save as migration, Insert at cursor, Apply to file), follow-ups,
 * and the context the slash commands need (the open file, the statement at the cursor).
 */
import * as vscode from 'vscode';
import { lastSqlBlock } from '../../core/assist/sqlBlocks';
import { resolveWorkspacePath, type MigrationProposal, type ToolCallEvent, type ToolContext } from '../../core/tools';
import type { GatherContext, GatheredContext } from './context';
import type { EditTarget, PlanButtonArgs } from './answerActions';
import { COMMAND } from '../commands';
import { isSqlDocument, type SqlDocuments } from '../sqlDocument';

/** Records a turn's tool events and shows, as they end, the files and lines the agent used. */
export class TurnEvents {
  readonly events: ToolCallEvent[] = [];
  private readonly shown = new Set<string>();
  constructor(
    private readonly stream: vscode.ChatResponseStream,
    private readonly log: vscode.LogOutputChannel,
    private readonly toolContext: () => ToolContext | undefined,
  ) {}

  record(e: ToolCallEvent): void {
    this.events.push(e);
    if (e.status !== 'end' || e.isError) return;
    const input = (e.input ?? {}) as { path?: unknown; files?: unknown; startLine?: unknown; endLine?: unknown };
    const tc = this.toolContext();
    if (!tc) return;
    const paths: string[] = [];
    if (e.name === 'read_file' && typeof input.path === 'string') paths.push(input.path);
    if (e.name === 'lint_sql' && Array.isArray(input.files)) paths.push(...input.files.filter((f): f is string => typeof f === 'string'));
    for (const p of paths) {
      const r = resolveWorkspacePath(tc, p);
      if (!r.ok) continue;
      const uri = vscode.Uri.file(r.abs);
      const start = typeof input.startLine === 'number' && e.name === 'read_file' ? Math.max(0, input.startLine - 1) : undefined;
      const key = `${uri.toString()}#${start ?? ''}`;
      if (this.shown.has(key)) continue;
      this.shown.add(key);
      try {
        if (start !== undefined) {
          const end = typeof input.endLine === 'number' ? Math.max(start, input.endLine - 1) : start;
          this.stream.reference(new vscode.Location(uri, new vscode.Range(start, 0, end, 0)));
        } else this.stream.reference(uri);
      } catch (err) {
        this.log.warn(`chat: could not show a reference to ${p}: ${(err as Error).message}`);
      }
    }
  }

  /** The plans explain_query got (in order), each with its query. */
  explainedPlans(): PlanButtonArgs[] {
    return this.events.filter((e) => e.name === 'explain_query' && e.status === 'end' && !e.isError).flatMap((e) => {
      const query = (e.input as { query?: unknown })?.query;
      return typeof query === 'string' ? [{ query, ...(e.plan !== undefined ? { plan: e.plan } : {}) }] : [];
    });
  }
}

/** Follow-up hints stored in the result's metadata, read back by `provideFollowups`. */
export type FollowupHint = 'explain' | 'migration' | 'review' | 'rls';

/** Buttons after an answer; returns the follow-up hints for this answer. */
export function offerActions(stream: vscode.ChatResponseStream, answer: string, events: TurnEvents, proposals: MigrationProposal[], target?: EditTarget): FollowupHint[] {
  const hints: FollowupHint[] = [];
  const explained = events.explainedPlans().at(-1);
  if (explained) stream.button({ command: COMMAND.openQueryPlan, title: 'Open in EXPLAIN panel', arguments: [explained] });
  for (const p of proposals) {
    stream.button({ command: COMMAND.saveMigration, title: proposals.length > 1 ? `Save as migration: ${p.name}` : 'Save as migration', arguments: [p] });
  }
  const sql = lastSqlBlock(answer);
  if (sql) {
    stream.button({ command: COMMAND.insertSql, title: 'Insert at cursor', arguments: [sql] });
    stream.button({ command: COMMAND.applySql, title: 'Apply to file', arguments: [sql, ...(target ? [target] : [])] });
  }
  if (sql && !explained) hints.push('explain');
  if (proposals.length) hints.push('review');
  else if (sql) hints.push('migration');
  if (events.events.some((e) => e.name === 'get_schema')) hints.push('rls');
  return hints;
}

const FOLLOWUPS: Record<FollowupHint, vscode.ChatFollowup> = {
  explain: { prompt: 'Explain the plan of this query', command: 'explain', label: 'Explain the plan' },
  migration: { prompt: 'Write this as a migration', command: 'migration', label: 'Write it as a migration' },
  review: { prompt: 'Is this migration safe to run on production?', command: 'review', label: 'Review the migration' },
  rls: { prompt: 'Are these tables protected by row level security?', label: 'Check row level security' },
};

export function provideFollowups(result: vscode.ChatResult): vscode.ChatFollowup[] {
  const hints = (result.metadata as { followups?: unknown } | undefined)?.followups;
  if (!Array.isArray(hints)) return [];
  return hints.filter((h): h is FollowupHint => typeof h === 'string' && h in FOLLOWUPS).map((h) => FOLLOWUPS[h]);
}

/** Gathered context plus the file the slash commands work on (a referenced file, else the active editor's). */
export interface SlashContext extends GatheredContext {
  file?: string;
}

/**
 * The request's context; for /rls and /review the whole open file is attached when nothing was, and for /optimize
 * and /explain the statement at the cursor when nothing is selected.
 */
export async function gatherFor(
  request: vscode.ChatRequest,
  o: { log: vscode.LogOutputChannel; gather: GatherContext; sql: SqlDocuments; wantsFile: boolean; wantsStatement: boolean },
): Promise<SlashContext> {
  const { wantsFile, wantsStatement } = o;
  const g: SlashContext = await o.gather(request, o.log);
  const refFile = request.references.map((r) => r.value).find((v): v is vscode.Uri => v instanceof vscode.Uri);
  const editor = vscode.window.activeTextEditor;
  const doc = editor?.document.uri.scheme === 'file' ? editor.document : undefined;
  const file = refFile?.fsPath ?? doc?.uri.fsPath;
  if (file) g.file = file;
  if (wantsFile && doc && !g.files.length && !g.items.some((i) => i.kind === 'file')) {
    g.items = [...g.items.filter((i) => i.kind !== 'selection'), { kind: 'file', path: vscode.workspace.asRelativePath(doc.uri, false), text: doc.getText(), language: doc.languageId }];
    g.shown = [...g.shown, doc.uri];
  }
  if (wantsStatement && doc && isSqlDocument(doc) && !g.items.length && !g.files.length) {
    // The same statement Explain and Optimize Query take at this cursor.
    const stmt = await o.sql.statementAt(doc, editor!.selection.active).catch(() => undefined);
    if (stmt) {
      const range = stmt.body;
      g.items = [{ kind: 'selection', path: vscode.workspace.asRelativePath(doc.uri, false), startLine: range.start.line + 1, endLine: range.end.line + 1, text: doc.getText(range), language: 'sql' }];
      g.shown = [...g.shown, new vscode.Location(doc.uri, range)];
    }
  }
  return g;
}
