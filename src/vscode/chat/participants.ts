/**
 * The chat participants: one per `contributes.chatParticipants` entry of the manifest, each answering as its
 * agent by streaming from Claude; `@database-engineer` answers as the agent chosen with "Use Agent…" and
 * lists the catalog on `/agents`. The decisions live in core (`runParticipantTurn`); this file converts.
 * The shell registers the participants at activation; their handlers are the ones made here.
 */
import * as vscode from 'vscode';
import { redact } from '../../core/chat/errors';
import { firstSentence, mdText } from '../../core/chat/listing';
import { NO_CATALOG, defaultAgent, isRouterParticipant, type ParticipantInfo } from '../../core/chat/routing';
import { suggestAgents } from '../../core/agents/triggers';
import { runParticipantTurn, type ReplySink, type TurnDeps, type TurnRequest } from '../../core/chat/turn';
import { slashCommand } from '../../core/assist/slashCommands';
import { COMMAND, type CommandHandlers } from '../commands';
import type { Host } from '../host';
import { manifestParticipants } from '../manifest';
import type { ConnectionsApi } from '../db/connections';
import type { SqlDocuments } from '../sqlDocument';
import type { Agents } from './agents';
import { apiKeyCommands, apiKeyGetter } from './apiKey';
import { gatherContext, historyOf, type GatherContext } from './context';
import { vscodeModelClient } from './vscodeModel';
import { gatherFor, offerActions, provideFollowups, TurnEvents, type SlashContext } from './answer';
import type { ToolContexts } from './toolContext';
import type { ToolContext } from '../../core/tools';

/** workspaceState key of the agent chosen for `@database-engineer`. */
export const CHOSEN_AGENT_STATE = 'databaseEngineer.chosenAgent';

export interface ParticipantDeps extends TurnDeps {
  log: vscode.LogOutputChannel;
  /** How attached context is read (default: references, else the active editor's selection). */
  gather?: GatherContext;
  /** The statement at the cursor, for /optimize and /explain. */
  sql: SqlDocuments;
  /** What the tools reach (undefined without a folder); synchronous, so tool events resolve paths as they end. */
  toolContext(): ToolContext | undefined;
}

/**
 * A chat request handler for one participant. Extension-host tests build their own with test deps, or call
 * the registered ones from the test API's `participants[id]`, passing a recording ChatResponseStream.
 */
export function createParticipantHandler(participant: ParticipantInfo, deps: ParticipantDeps): vscode.ChatRequestHandler {
  const gather = deps.gather ?? gatherContext;
  return async (request, context, stream, token) => {
    const controller = new AbortController();
    const cancelled = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    let answer = '';
    const sink: ReplySink = {
      markdown: (text) => { answer += text; stream.markdown(text); },
      button: (command, title, args) => stream.button({ command, title, ...(args ? { arguments: args } : {}) }),
      progress: (text) => stream.progress(text),
    };
    const events = new TurnEvents(stream, deps.log, () => deps.toolContext());
    try {
      // The slash commands themselves (agent, task, findings) are core's; the editor supplies the open file.
      const slash = isRouterParticipant(participant) ? slashCommand(request.command) : undefined;
      if (isRouterParticipant(participant) && !slash) await suggestAgent(request, stream, deps);
      let gathered: SlashContext | undefined;
      const gatherOnce = async () => (gathered ??= await gatherFor(request, { log: deps.log, gather, sql: deps.sql, wantsFile: slash?.wantsFile ?? false, wantsStatement: slash?.name === 'optimize' || slash?.name === 'explain' }));
      const files = request.references.length ? (await gatherOnce()).files : [];
      const turnRequest: TurnRequest = {
        participant,
        prompt: request.prompt,
        command: request.command,
        history: historyOf(context),
        context: async () => {
          const g = await gatherOnce();
          for (const ref of g.shown) stream.reference(ref);
          return g.items;
        },
        ...(files.length ? { files } : {}),
        // #-referenced tools (`dbe_get_schema`): offered to the agent, and called first when there is one.
        toolReferences: (request.toolReferences ?? []).map((t) => t.name),
        slashFile: async () => {
          const file = (await gatherOnce()).file;
          if (!file) return undefined;
          const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
          return { path: file, ...(open?.isDirty ? { text: open.getText() } : {}) };
        },
        signal: controller.signal,
      };
      const turnDeps: TurnDeps = {
        ...deps,
        onToolCall: (e) => { events.record(e); deps.onToolCall?.(e); },
        ...(request.model ? { editorModel: vscodeModelClient(request.model) } : {}),
      };
      const outcome = await runParticipantTurn(turnRequest, turnDeps, sink);
      const metadata: Record<string, unknown> = { ...outcome.metadata };
      if (!outcome.errorMessage && outcome.metadata.stopReason && outcome.metadata.stopReason !== 'cancelled') {
        metadata['followups'] = offerActions(stream, answer, events, outcome.proposals ?? [], request.command);
      }
      return {
        metadata,
        ...(outcome.errorMessage ? { errorDetails: { message: outcome.errorMessage } } : {}),
      };
    } catch (err) {
      // runParticipantTurn returns errors as values; this is a bug guard, kept free of the key.
      const key = await Promise.resolve(deps.apiKey()).catch(() => undefined);
      const message = redact(err instanceof Error ? err.message : String(err), key);
      deps.log.error(`chat: ${participant.id} failed: ${message}`);
      return { errorDetails: { message: `Database Engineer failed unexpectedly: ${message}` } };
    } finally {
      cancelled.dispose();
    }
  };
}

/**
 * On `@database-engineer`, a workspace agent whose triggers fit (a keyword in the prompt, a file pattern on
 * the active file) is suggested with a button that asks it the same question. Bundled agents have their
 * own participants, so only the user's agents are suggested.
 */
async function suggestAgent(request: vscode.ChatRequest, stream: vscode.ChatResponseStream, deps: ParticipantDeps): Promise<void> {
  const catalog = await deps.catalog();
  if (!catalog) return;
  const answering = deps.chosenAgentId?.() ?? defaultAgent(catalog)?.id;
  const doc = vscode.window.activeTextEditor?.document;
  const file = doc && doc.uri.scheme === 'file' ? vscode.workspace.asRelativePath(doc.uri, false) : undefined;
  const [hit] = suggestAgents(catalog.active().filter((a) => a.source !== 'bundled'), { prompt: request.prompt, file }, answering);
  if (!hit) return;
  const why = hit.match.kind === 'keyword' ? `mentions “${hit.match.keyword}”` : `is about \`${file}\``;
  stream.markdown(`*Your question ${mdText(why)}: ${mdText(hit.agent.name)} (${hit.agent.source} agent) handles that.*\n\n`);
  stream.button({ command: COMMAND.useAgent, title: `Ask ${hit.agent.name}`, arguments: [hit.agent.id, request.prompt] });
}

export interface Chat {
  /** The handler of every manifest participant, by id. */
  readonly handlers: Readonly<Record<string, vscode.ChatRequestHandler>>;
  provideFollowups(result: vscode.ChatResult): vscode.ChatFollowup[];
  commands: Pick<CommandHandlers, 'useAgent' | 'setApiKey' | 'clearApiKey'>;
}

export function createChat(
  host: Host,
  services: { agents: Agents; connections: ConnectionsApi; tools: ToolContexts; sql: SqlDocuments },
): Chat {
  const { extension, log, config } = host;
  const catalog = async () => {
    try {
      return services.agents.catalog();
    } catch (err) {
      log.error(`chat: the agent catalog failed to load: ${(err as Error).message}`);
      return undefined;
    }
  };
  const chosenAgentId = () => extension.workspaceState.get<string>(CHOSEN_AGENT_STATE) || undefined;
  const deps: ParticipantDeps = {
    catalog,
    apiKey: apiKeyGetter(extension.secrets),
    baseURL: () => process.env['ANTHROPIC_BASE_URL'] || undefined,
    chosenAgentId,
    log,
    displayPath: (file) => vscode.workspace.asRelativePath(file, false),
    toolContext: () => services.tools.context(),
    connectionName: () => services.connections.active()?.profile.name,
    sql: services.sql,
    providerSetting: () => config.chatProvider,
  };

  // `prompt` (from the "Ask <agent>" button) asks the chosen agent that question right away.
  const useAgent = async (given?: unknown, prompt?: unknown) => {
    const cat = await catalog();
    if (!cat) {
      void vscode.window.showErrorMessage(NO_CATALOG);
      return undefined;
    }
    let id: string | undefined;
    if (typeof given === 'string' && given) {
      if (!cat.get(given)) {
        void vscode.window.showErrorMessage(`No agent '${given}' is in the catalog. Run '@database-engineer /agents' to see the agents available.`);
        return undefined;
      }
      id = given;
    } else {
      const current = chosenAgentId();
      const picked = await vscode.window.showQuickPick(
        cat.active().map((a) => ({
          label: `${a.id === current ? '$(check) ' : ''}${a.name}`,
          description: `${a.id} · ${a.source}`,
          detail: firstSentence(a.description),
          id: a.id,
        })),
        { title: 'Which agent answers on @database-engineer?', matchOnDescription: true, matchOnDetail: true },
      );
      if (!picked) return undefined;
      id = picked.id;
    }
    await extension.workspaceState.update(CHOSEN_AGENT_STATE, id);
    const agent = cat.get(id)!;
    log.info(`chat: @database-engineer now answers as ${id}`);
    if (typeof prompt === 'string' && prompt.trim()) {
      await vscode.commands.executeCommand('workbench.action.chat.open', { query: `@database-engineer ${prompt}` });
      return id;
    }
    void vscode.window.showInformationMessage(`@database-engineer will answer as ${agent.name}.`);
    return id;
  };

  const handlers: Record<string, vscode.ChatRequestHandler> = {};
  for (const entry of manifestParticipants(extension)) {
    handlers[entry.id] = createParticipantHandler({ id: entry.id, ...(entry.name ? { name: entry.name } : {}) }, deps);
  }
  return {
    handlers,
    provideFollowups,
    commands: { useAgent, ...apiKeyCommands(host) },
  };
}
