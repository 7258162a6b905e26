import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';

export const SET_KEY_COMMAND_TITLE = 'Database Engineer: Set Anthropic API Key';

export type ChatErrorKind =
  | 'no-key'
  | 'auth'
  | 'rate-limited'
  | 'overloaded'
  | 'network'
  | 'timeout'
  | 'stream'
  | 'model'
  | 'request'
  | 'server'
  | 'unknown';

/** An error as the user should see it: what happened, and what to do. Never contains the API key. */
export interface ChatError {
  kind: ChatErrorKind;
  message: string;
  /** HTTP status when there was one. */
  status?: number;
}

export interface ErrorContext {
  /** The base URL in use (only its host is ever shown). */
  host: string;
  /** Retries the client was allowed, for "(tried N times)". */
  maxRetries: number;
  /** The model requested, for "model not found". */
  modelId?: string;
  /** Removed from every message, whatever the server echoed back. */
  apiKey?: string;
}

export function noKeyError(): ChatError {
  return {
    kind: 'no-key',
    message: `No Anthropic API key is set. Run '${SET_KEY_COMMAND_TITLE}' (or set ANTHROPIC_API_KEY) and ask again.`,
  };
}

/** Replaces every occurrence of the key (and of any sk-ant-… token) with a marker. */
export function redact(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out.replace(/sk-ant-[A-Za-z0-9_-]{8,}/g, '[redacted]');
}

/** ` (tried 3 times)` after retries; nothing when retries are off. */
function tried(maxRetries: number): string {
  return maxRetries > 0 ? ` (tried ${maxRetries + 1} times)` : '';
}

/** True when the error is the caller's cancellation rather than a failure. */
export function isCancellation(err: unknown): boolean {
  return err instanceof APIUserAbortError || (typeof err === 'object' && err !== null && (err as Error).name === 'AbortError');
}

/** Turns whatever the SDK threw into a `ChatError`. */
export function describeError(err: unknown, ctx: ErrorContext): ChatError {
  const make = (kind: ChatErrorKind, message: string, status?: number): ChatError => ({
    kind,
    message: redact(message, ctx.apiKey),
    ...(status !== undefined ? { status } : {}),
  });

  if (err instanceof APIConnectionTimeoutError) {
    return make('timeout', `The Anthropic API at ${ctx.host} did not answer in time${tried(ctx.maxRetries)}. Try again; if it keeps happening, check your network or ANTHROPIC_BASE_URL.`);
  }
  if (err instanceof APIConnectionError) {
    const cause = causeText(err);
    return make('network', `Could not reach the Anthropic API at ${ctx.host}${cause ? ` (${cause})` : ''}. Check your network connection, proxy, or ANTHROPIC_BASE_URL.`);
  }
  if (err instanceof APIError) {
    const status = err.status;
    const detail = err.apiMessage ?? undefined;
    const type = err.type ?? undefined;
    if (status === undefined) {
      // An `error` event in the middle of a stream: the HTTP status was 200.
      const what = type === 'overloaded_error' ? 'Anthropic became overloaded' : `Anthropic reported an error (${[type, detail].filter(Boolean).join(': ') || 'no details'})`;
      return make('stream', `The reply was cut off: ${what} while streaming. The text so far is kept above; ask again to retry.`);
    }
    if (status === 401 || status === 403) {
      return make('auth', `Anthropic rejected the API key (${status}) — set a new one with '${SET_KEY_COMMAND_TITLE}'.`, status);
    }
    if (status === 429) {
      return make('rate-limited', `Anthropic rate limited this request (429)${tried(ctx.maxRetries)}. Wait a minute and try again.`, status);
    }
    if (status === 529 || type === 'overloaded_error') {
      return make('overloaded', `Anthropic's API is overloaded (${status})${tried(ctx.maxRetries)}. Try again in a little while.`, status);
    }
    if (status === 404 && ctx.modelId) {
      return make('model', `Anthropic does not know the model '${ctx.modelId}' (404${detail ? `: ${detail}` : ''}). Check the agent's \`model\` frontmatter.`, status);
    }
    if (status >= 500) {
      return make('server', `Anthropic's API failed (${status}${type ? ` ${type}` : ''})${tried(ctx.maxRetries)}. Try again later.`, status);
    }
    return make('request', `Anthropic refused the request (${status}${type ? ` ${type}` : ''})${detail ? `: ${detail}` : ''}.`, status);
  }
  const message = err instanceof Error ? err.message : String(err);
  return make('unknown', `Unexpected error while talking to Anthropic: ${message}`);
}

function causeText(err: Error): string | undefined {
  const cause = (err as { cause?: unknown }).cause as { code?: string; cause?: { code?: string }; message?: string } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}
