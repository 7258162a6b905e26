/**
 * The chat participants: one per `contributes.chatParticipants` entry of the manifest, each answering as its
 * agent by streaming from Claude; `@database-engineer` answers as the agent chosen with "Use Agent…" and
 * lists the catalog on `/agents`. The decisions live in core (`runParticipantTurn`); this file converts.
 */
import * as vscode from 'vscode';
import type { AgentCatalog } from '../core/agents/types';
import { redact } from '../core/chat/errors';
import { firstSentence, mdText } from '../core/chat/listing';
import { NO_CATALOG, type ParticipantInfo } from '../core/chat/routing';
import { COMMANDS, runParticipantTurn, type ReplySink, type TurnDeps, type TurnRequest } from '../core/chat/turn';
import { apiKeyGetter, registerApiKeyCommands } from './apiKey';
import { gatherContext, historyOf, type GatherContext } from './chatContext';
import type { Feature } from './feature';
import { defaultAgent, isRouterParticipant } from '../core/chat/routing';
import { suggestAgents } from '../core/agents/triggers';
import { slashCommand } from '../core/assist/slashCommands';
import { providerSetting, vscodeModelClient } from './vscodeModel';
import { gatherFor, offerActions, provideFollowups, TurnEvents, type SlashContext } from './chatAnswer';
import { editorToolContext } from './toolContext';

/** workspaceState key of the agent chosen for `@database-engineer`. */
export const CHOSEN_AGENT_STATE = 'databaseEngineer.chosenAgent';

export interface ParticipantDeps extends TurnDeps {
  log: vscode.LogOutputChannel;
  /** How attached context is read (default: references, else the active editor's selection). */
  gather?: GatherContext;
}

/**
 * A chat request handler for one participant. Extension-host tests build their own with test deps, or call
 * the registered ones from `api.participants[id]`, passing a recording ChatResponseStream.
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
    const events = new TurnEvents(stream, deps.log);
    try {
      // The slash commands themselves (agent, task, findings) are core's; the editor supplies the open file.
      const slash = isRouterParticipant(participant) ? slashCommand(request.command) : undefined;
      let gathered: SlashContext | undefined;
      const gatherOnce = async () => (gathered ??= await gatherFor(request, deps.log, gather, slash?.wantsFile ?? false, slash?.name === 'optimize' || slash?.name === 'explain'));
      if (isRouterParticipant(participant) && !slash) await suggestAgent(request, stream, deps);
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
        providerSetting,
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
  stream.button({ command: COMMANDS.useAgent, title: `Ask ${hit.agent.name}`, arguments: [hit.agent.id, request.prompt] });
}

interface ManifestParticipant {
  id: string;
  name?: string;
}

function manifestParticipants(extension: vscode.ExtensionContext): ManifestParticipant[] {
  const list = (extension.extension.packageJSON as { contributes?: { chatParticipants?: unknown } }).contributes?.chatParticipants;
  if (!Array.isArray(list)) return [];
  return list.filter((p): p is ManifestParticipant => typeof p?.id === 'string');
}

export const participantsFeature: Feature = {
  name: 'chat participants',
  register(ctx) {
    const { extension, log, api } = ctx;
    registerApiKeyCommands(extension, log);

    // The agents feature (registered earlier) puts its catalog getter on the api; read it on every use.
    const catalog = async (): Promise<AgentCatalog | undefined> => {
      const getter = api['agentCatalog'];
      if (typeof getter !== 'function') return undefined;
      try {
        return (await getter()) as AgentCatalog | undefined;
      } catch (err) {
        log.error(`chat: the agent catalog failed to load: ${(err as Error).message}`);
        return undefined;
      }
    };
    if (typeof api['agentCatalog'] !== 'function') {
      log.warn('chat: no agent catalog on the extension api (agents feature absent or failed); participants will say so when asked');
    }
    const chosenAgentId = () => extension.workspaceState.get<string>(CHOSEN_AGENT_STATE) || undefined;

    const deps: ParticipantDeps = {
      catalog,
      apiKey: apiKeyGetter(extension.secrets),
      baseURL: () => process.env['ANTHROPIC_BASE_URL'] || undefined,
      chosenAgentId,
      log,
      displayPath: (file) => vscode.workspace.asRelativePath(file, false),
      toolContext: () => editorToolContext({ log }),
      connectionName: () => (api['connections'] as { active?(): { profile: { name: string } } | undefined } | undefined)?.active?.()?.profile.name,
    };

    extension.subscriptions.push(
      // `prompt` (from the "Ask <agent>" button) asks the chosen agent that question right away.
      vscode.commands.registerCommand(COMMANDS.useAgent, async (given?: unknown, prompt?: unknown) => {
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
      }),
    );

    const handlers: Record<string, vscode.ChatRequestHandler> = {};
    api['participants'] = handlers;
    api['createParticipantHandler'] = (participant: ParticipantInfo, overrides: Partial<ParticipantDeps> = {}) =>
      createParticipantHandler(participant, { ...deps, ...overrides });

    // Handlers exist for every manifest entry even where the editor has no chat API, so tests can drive them.
    const entries = manifestParticipants(extension);
    if (!entries.length) log.info('chat: the manifest declares no chat participants');
    for (const entry of entries) {
      handlers[entry.id] = createParticipantHandler({ id: entry.id, ...(entry.name ? { name: entry.name } : {}) }, deps);
    }
    if (typeof vscode.chat?.createChatParticipant !== 'function') {
      log.warn('chat: this editor has no chat API; participants are not registered');
      return;
    }
    // The live participant objects, so the editor suite can watch what the Chat view routes to them.
    const live: Record<string, vscode.ChatParticipant> = {};
    api['chatParticipants'] = live;
    let registered = 0;
    for (const [id, handler] of Object.entries(handlers)) {
      try {
        live[id] = vscode.chat.createChatParticipant(id, handler);
        live[id].followupProvider = { provideFollowups };
        extension.subscriptions.push(live[id]);
        registered++;
      } catch (err) {
        log.error(`chat: could not create participant ${id}: ${(err as Error).message}`);
      }
    }
    log.info(`chat: ${registered} participant(s) registered`);
  },
};
