/**
 * The editor's chat history turned into plain conversation turns. Typed structurally (no `vscode` import) so
 * it is testable in core: a request turn has `prompt`, a response turn has `response` parts and `result`.
 */
import type { ChatTurn } from './context';
import { stripAnsweredBy } from './listing';

export interface RequestTurnLike {
  prompt: string;
  command?: string | undefined;
}

export interface ResponseTurnLike {
  /** Parts of the reply; markdown parts carry `value.value` (a MarkdownString). */
  response: ReadonlyArray<unknown>;
  result: { metadata?: { readonly [key: string]: unknown } | undefined; errorDetails?: unknown };
  command?: string | undefined;
}

/** Metadata our handler puts on replies that are not part of the conversation (listings, missing-key notices). */
export const NOT_CONVERSATION = 'notConversation';

function markdownOf(part: unknown): string {
  const value = (part as { value?: unknown } | null)?.value;
  if (typeof value === 'string') return value;
  const inner = (value as { value?: unknown } | null)?.value;
  return typeof inner === 'string' ? inner : '';
}

/**
 * Request/response pairs as user/assistant turns. Skips slash-command listings, notices and failed turns
 * (both the reply and the request that led to it), and drops the "answered by" line from replies.
 */
export function historyToTurns(history: ReadonlyArray<RequestTurnLike | ResponseTurnLike>): ChatTurn[] {
  const out: ChatTurn[] = [];
  let pendingRequest: ChatTurn | undefined;
  for (const turn of history) {
    if ('prompt' in turn) {
      if (pendingRequest) out.push(pendingRequest);
      pendingRequest = turn.command === 'agents' ? undefined : { role: 'user', text: turn.prompt };
      continue;
    }
    // A failed turn leaves both out: resending its prompt would double the next request, and its partial
    // reply is not something the model said to the user.
    if (turn.command === 'agents' || turn.result.metadata?.[NOT_CONVERSATION] || turn.result.errorDetails) {
      pendingRequest = undefined;
      continue;
    }
    if (pendingRequest) out.push(pendingRequest);
    pendingRequest = undefined;
    const text = stripAnsweredBy(turn.response.map(markdownOf).join(''));
    if (text.trim()) out.push({ role: 'assistant', text });
  }
  if (pendingRequest) out.push(pendingRequest);
  return out;
}
