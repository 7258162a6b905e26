/**
 * What `activate` returns: a narrow, typed door for the extension-host tests (test/editor), nothing else uses it.
 */
import type * as vscode from 'vscode';
import type { Ctx } from './ctx';
import type { Agents } from './chat/agents';
import type { AnswerActions } from './chat/answerActions';
import type { ConnectionsApi } from './db/connections';
import type { ExplainPanelApi } from './explain/panel';
import type { ExplainCommandsApi } from './explain/explainQuery';
import type { DiagnosticsApi } from './lint/diagnostics';
import type { StatementAtCursor } from './sqlDocument';

export interface TestApi {
  /** The services (loading them if they are not yet). */
  services(): Promise<TestServices>;
}

export interface TestServices {
  diagnostics: DiagnosticsApi;
  connections: ConnectionsApi;
  explainPanel: ExplainPanelApi;
  explainCommands: ExplainCommandsApi;
  agents: Agents;
  answerActions: AnswerActions;
  /** The handlers of the manifest's participants, by id (call them with a recording stream). */
  participants: Readonly<Record<string, vscode.ChatRequestHandler>>;
  /** The participants registered with the editor (wrap one with spyOnParticipant). */
  chatParticipants: Readonly<Record<string, vscode.ChatParticipant>>;
  languageModelTools: readonly string[];
  /** The statement Explain, Optimize Query and chat's /optimize take at a position. */
  statementAt(document: vscode.TextDocument, position: vscode.Position): Promise<StatementAtCursor | undefined>;
}

export function testApi(ctx: Ctx): TestApi {
  return {
    async services() {
      const s = await ctx.services();
      return {
        diagnostics: s.diagnostics.api,
        connections: s.connections,
        explainPanel: s.explainPanel,
        explainCommands: s.explainCommands,
        agents: s.agents,
        answerActions: s.answerActions,
        participants: s.chat.handlers,
        chatParticipants: ctx.chatParticipants,
        languageModelTools: ctx.languageModelTools,
        statementAt: (document, position) => s.sql.statementAt(document, position),
      };
    },
  };
}
