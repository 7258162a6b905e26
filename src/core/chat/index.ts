/**
 * Chat with Claude as an agent. The public surface:
 * - `createChatClient({ apiKey, baseURL?, maxRetries?, timeoutMs? })` — the SDK client (ANTHROPIC_BASE_URL honoured).
 * - `ModelClient` (model.ts) — the port a model is reached through; `anthropicModel(client)` adapts the SDK, the
 *   editor adapts its Language Model API in src/vscode.
 * - `streamReply({ client, agent, history, prompt, context, signal, onText, tools? })` — the one conversation loop;
 *   errors and cancellation come back as values (`stopReason` 'error' | 'cancelled', `error.message`).
 * - `runAgentTurn({ client, agent, prompt, tools: { project, … }, toolReferences?, files? })` — a turn with the
 *   agent's tools and the project context in the system prompt (agentTurn.ts).
 * - `runParticipantTurn(request, deps, sink)` — a whole chat-participant turn (slash commands, agent choice,
 *   provider choice, key check, `/agents`, attribution), for the editor's participants and any other face.
 * - `buildProjectContext` / `detectStack` — the project context block of the system prompt.
 */
export { createChatClient, resolveBaseURL, hostOf, type ChatClient, type ClientOptions } from './client';
export { buildUserMessage, toMessages, describeContext, type ContextItem, type ChatTurn } from './context';
export { describeError, noKeyError, redact, type ChatError, type ChatErrorKind } from './errors';
export { historyToTurns } from './history';
export { listCatalog, answeredBy, stripAnsweredBy } from './listing';
export { anthropicModel } from './anthropic';
export type { ModelClient, ModelEvent, ModelMessage, ModelPart, ModelRequest, ToolDefinition, StopReason } from './model';
export { runAgentTurn, chatTools, projectContextFor, attachFiles, type AgentTurnRequest, type AgentTurnResult, type ReferencedFile } from './agentTurn';
export { streamReply, type ReplyRequest, type ReplyResult, type ChatTools, type ToolCallRequest, type ToolOutcome } from './reply';
export { chooseAgent, defaultAgent, isRouterParticipant, agentIdOfParticipant, type ParticipantInfo } from './routing';
export { runParticipantTurn, chooseProvider, COMMANDS, type ProviderSetting, type ReplySink, type TurnDeps, type TurnRequest, type TurnOutcome } from './turn';
export { buildProjectContext, detectStack, type ProjectContextInput, type StackInfo, type Stack } from './projectContext';
