/**
 * The services: everything behind the contributions, built in dependency order. A bundle of its own (dist/engine.js)
 * that the shell (`ctx.ts`) loads on first use or just after activation, so activating the extension evaluates none
 * of it (the parser, PGlite, pg, the Anthropic SDK, the agent files, the first analysis).
 */
import type * as vscode from 'vscode';
import type { CommandHandlers } from './commands';
import type { Host } from './host';
import { SqlDocuments } from './sqlDocument';
import { createAgents, type Agents } from './chat/agents';
import { createConnections, type ConnectionsApi } from './db/connections';
import { Projects } from './db/projects';
import { createExplainPanel, type ExplainPanelApi } from './explain/panel';
import { createExplainQuery, type ExplainCommandsApi } from './explain/explainQuery';
import { createDiagnostics, type Diagnostics } from './lint/diagnostics';
import { createToolContexts } from './chat/toolContext';
import { createAnswerActions, type AnswerActions } from './chat/answerActions';
import { createChat, type Chat } from './chat/participants';
import { createLmTools, type LmTools } from './chat/lmTools';
import { createOptimizeQuery } from './chat/optimizeQuery';
import { createRls, type RlsApi } from './rls';
import { redactingLog } from './redactingLog';

export interface Services {
  agents: Agents;
  projects: Projects;
  connections: ConnectionsApi;
  explainPanel: ExplainPanelApi;
  explainCommands: ExplainCommandsApi;
  diagnostics: Diagnostics;
  answerActions: AnswerActions;
  chat: Chat;
  lmTools: LmTools;
  sql: SqlDocuments;
  /** One handler per command id of `commands.ts`. */
  commands: CommandHandlers;
  /** Row level security: the view, the matrix panel, the CodeLens and the leak fixes, from `dbe rls` reports. */
  rls: RlsApi;
  codeActions: Record<'lint' | 'prisma' | 'explain' | 'optimize' | 'rls', vscode.CodeActionProvider>;
  hovers: Record<'table' | 'prismaModel', vscode.HoverProvider>;
}

export function createServices(ctx: Host): Services {
  // Every service logs through the one redaction: nothing secret reaches the Output view.
  const host: Host = { extension: ctx.extension, config: ctx.config, log: redactingLog(ctx.log) };
  const sql = new SqlDocuments();
  const agents = createAgents(host);
  // One Project per workspace folder; its database is the connections service's (wired in createConnections).
  const projects = new Projects(host);
  host.extension.subscriptions.push(projects);
  const connections = createConnections(host, projects);
  const panel = createExplainPanel(host, projects);
  const diagnostics = createDiagnostics(host, projects);
  const rls = createRls(host);
  host.extension.subscriptions.push(...rls.disposables);
  const tools = createToolContexts(host, projects, rls.api.reports);
  const answerActions = createAnswerActions(host, { connections: connections.api, panel: panel.api });
  const chat = createChat(host, { agents, connections: connections.api, tools, sql });
  const optimize = createOptimizeQuery(host, { agents, connections: connections.api, panel: panel.api, actions: answerActions.api, tools, sql });
  const explain = createExplainQuery(host, { connections: connections.api, panel: panel.api, sql, projects });
  return {
    agents,
    projects,
    connections: connections.api,
    explainPanel: panel.api,
    explainCommands: explain.api,
    diagnostics,
    answerActions: answerActions.api,
    chat,
    lmTools: createLmTools(tools),
    sql,
    commands: {
      ...chat.commands,
      ...connections.commands,
      ...panel.commands,
      ...answerActions.commands,
      ...optimize.commands,
      ...explain.commands,
      ...diagnostics.commands,
      ...rls.commands,
    },
    rls: rls.api,
    codeActions: {
      lint: diagnostics.providers.lintActions,
      prisma: diagnostics.providers.prismaActions,
      explain: explain.codeActions,
      optimize: optimize.codeActions,
      rls: rls.api.lenses,
    },
    hovers: { table: diagnostics.providers.tableHover, prismaModel: diagnostics.providers.prismaHover },
  };
}
