/**
 * Chat with Claude as an agent. The public surface:
 * - `createChatClient({ apiKey, baseURL?, maxRetries?, timeoutMs? })` — the SDK client (ANTHROPIC_BASE_URL honoured).
 * - `streamReply({ client, agent, history, prompt, context, signal, onText, tools? })` — one reply, streamed;
 *   errors and cancellation come back as values (`stopReason` 'error' | 'cancelled', `error.message`).
 * - `runParticipantTurn(request, deps, sink)` — a whole chat-participant turn (agent choice, key check,
 *   `/agents`, attribution), for the editor's participants and any other face. With `deps.toolContext` the agent
 *   gets its tools and the project context (see src/core/tools/index.ts, `runAgentTurn`).
 * - `buildProjectContext` / `detectStack` — the project context block of the system prompt.
 */
export { createChatClient, resolveBaseURL, hostOf, type ChatClient, type ClientOptions } from './client';
export { buildUserMessage, toMessages, describeContext, type ContextItem, type ChatTurn } from './context';
export { describeError, noKeyError, redact, type ChatError, type ChatErrorKind } from './errors';
export { historyToTurns } from './history';
export { listCatalog, answeredBy, stripAnsweredBy } from './listing';
export { streamReply, type ReplyRequest, type ReplyResult, type ChatTools, type ToolCallRequest, type ToolOutcome } from './reply';
export { chooseAgent, defaultAgent, isRouterParticipant, agentIdOfParticipant, type ParticipantInfo } from './routing';
export { runParticipantTurn, COMMANDS, type ReplySink, type TurnDeps, type TurnRequest, type TurnOutcome } from './turn';
export { buildProjectContext, detectStack, type ProjectContextInput, type StackInfo, type Stack } from './projectContext';
