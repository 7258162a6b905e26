import Anthropic from '@anthropic-ai/sdk';

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface ClientOptions {
  apiKey: string;
  /** Explicit base URL; else `ANTHROPIC_BASE_URL`; else the public API. */
  baseURL?: string;
  /** Retries of 408/409/429/5xx/529 and connection failures, with the SDK's backoff (honours `retry-after`). */
  maxRetries?: number;
  /** Per-request timeout in ms (the SDK default is 10 minutes). */
  timeoutMs?: number;
  /** Where the process environment comes from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

/** The base URL a client built from these options talks to: explicit, then `ANTHROPIC_BASE_URL`, then the default. */
export function resolveBaseURL(baseURL: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = baseURL?.trim() || env['ANTHROPIC_BASE_URL']?.trim() || DEFAULT_BASE_URL;
  return chosen.replace(/\/+$/, '');
}

/** `host[:port]` of a base URL, for messages (never the whole URL: it could carry credentials). */
export function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host || baseURL;
  } catch {
    return baseURL;
  }
}

export interface ChatClient {
  anthropic: Anthropic;
  baseURL: string;
  /** The key, kept only so error text can be scrubbed of it. */
  apiKey: string;
  maxRetries: number;
}

/**
 * The Anthropic client for one conversation. The key is passed explicitly, so the SDK never falls back to
 * `ANTHROPIC_AUTH_TOKEN` or a credentials profile from the environment.
 */
export function createChatClient(opts: ClientOptions): ChatClient {
  const baseURL = resolveBaseURL(opts.baseURL, opts.env);
  const maxRetries = opts.maxRetries ?? 2;
  const anthropic = new Anthropic({
    apiKey: opts.apiKey,
    baseURL,
    maxRetries,
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
    // The SDK logs request failures through `console` at 'warn'; ours go through the product's logger instead.
    logLevel: 'off',
  });
  return { anthropic, baseURL, apiKey: opts.apiKey, maxRetries };
}
