/**
 * A local stand-in for the Anthropic Messages API, good enough for the real `@anthropic-ai/sdk`.
 *
 *   const fake = await startFakeAnthropic({ apiKey: 'sk-test' });
 *   fake.enqueue(reply.text('Hello there'), reply.toolUse([{ name: 'lint', input: { file: 'a.sql' } }]));
 *   const client = new Anthropic({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 });
 *   ...
 *   fake.requests[0].body.system   // what the model received
 *   await fake.close();
 *
 * Each POST /v1/messages takes the next scripted turn from the queue (FIFO) and answers it as a stream
 * when the request says `stream: true`, else as one JSON message. Every request is recorded (headers,
 * parsed body, whether the client hung up early) so tests can assert what the model was sent.
 * With `apiKey` set, a request carrying another key (SDK 1.x sends it as `authorization: Bearer`, older ones as
 * `x-api-key`; both count) gets a 401 without consuming a turn, like the real API.
 * An empty queue answers 500 with `x-should-retry: false`, so a test that sends more than it scripted fails
 * loudly instead of hanging.
 *
 * Streams follow the API's event order: message_start, then per block content_block_start (a `ping` after the
 * first) / content_block_delta (text_delta or input_json_delta) / content_block_stop, then message_delta (stop_reason,
 * usage) and message_stop. Every event has an `event:` line (the SDK drops data-only events).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal' | 'pause_turn';

export interface ToolCall {
  name: string;
  input: unknown;
  /** Defaults to `toolu_fake_<n>`. */
  id?: string;
}

/** One scripted answer. Build them with `reply.*`. */
export type FakeTurn =
  | { kind: 'text'; deltas: string[]; stopReason: StopReason; delayMs: number }
  | { kind: 'tool_use'; text: string[]; calls: ToolCall[]; delayMs: number }
  | { kind: 'http_error'; status: number; type: string; message: string; headers: Record<string, string> }
  | { kind: 'stream_error'; deltas: string[]; type: string; message: string }
  | { kind: 'stall'; deltas: string[] }
  | { kind: 'silent' };

export const reply = {
  /**
   * A text answer streamed in several deltas: pass the pieces, or one string to be cut into `chunks` pieces
   * (default 3). `delayMs` waits between events, for a slow stream.
   */
  text(text: string | string[], opts: { chunks?: number; stopReason?: StopReason; delayMs?: number } = {}): FakeTurn {
    const deltas = Array.isArray(text) ? text : splitInto(text, opts.chunks ?? 3);
    return { kind: 'text', deltas, stopReason: opts.stopReason ?? 'end_turn', delayMs: opts.delayMs ?? 0 };
  },
  /** A tool_use turn (stop_reason `tool_use`), optionally preceded by some text; inputs stream as input_json_delta. */
  toolUse(calls: ToolCall[], opts: { text?: string | string[]; delayMs?: number } = {}): FakeTurn {
    const text = opts.text === undefined ? [] : Array.isArray(opts.text) ? opts.text : splitInto(opts.text, 2);
    return { kind: 'tool_use', text, calls, delayMs: opts.delayMs ?? 0 };
  },
  /**
   * An HTTP error with the API's JSON error body. 429 and 529 carry `retry-after: 0.01` (seconds, which the SDK
   * honours) unless `retryAfter` says otherwise (`null` sends none), so retry tests stay fast.
   */
  httpError(
    status: number,
    opts: { type?: string; message?: string; retryAfter?: string | null; headers?: Record<string, string> } = {},
  ): FakeTurn {
    const headers: Record<string, string> = { ...opts.headers };
    const retryAfter = opts.retryAfter === undefined ? (status === 429 || status === 529 ? '0.01' : null) : opts.retryAfter;
    if (retryAfter !== null) headers['retry-after'] = retryAfter;
    return {
      kind: 'http_error',
      status,
      type: opts.type ?? ERROR_TYPES[status] ?? 'api_error',
      message: opts.message ?? `fake ${status}`,
      headers,
    };
  },
  /** A stream that sends these text deltas, then an `error` event (overloaded by default) and ends. */
  streamError(deltas: string[], opts: { type?: string; message?: string } = {}): FakeTurn {
    return { kind: 'stream_error', deltas, type: opts.type ?? 'overloaded_error', message: opts.message ?? 'Overloaded' };
  },
  /** A stream that sends these text deltas and then holds the connection open until the client goes away. */
  stall(deltas: string[] = []): FakeTurn {
    return { kind: 'stall', deltas };
  },
  /** Takes the request and never answers, not even headers (for client timeouts). Ends when the client hangs up. */
  silent(): FakeTurn {
    return { kind: 'silent' };
  },
};

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The raw request body as sent. */
  rawBody: string;
  /** The API key the request carried (`x-api-key`, or `authorization: Bearer …` as SDK 1.x sends it). */
  apiKey: string | undefined;
  /** The parsed JSON body (`model`, `system`, `messages`, `tools`, `max_tokens`, `stream`, ...). */
  body: any;
  /** The kind of turn that answered, or why none did (`unauthorized`, `no-turn-left`, `not-found`). */
  answeredWith: FakeTurn['kind'] | 'unauthorized' | 'no-turn-left' | 'not-found';
  /** True when the client closed the connection before the response was complete. */
  disconnected: boolean;
}

export interface FakeAnthropic {
  /** The base URL to give the SDK (`baseURL` / `ANTHROPIC_BASE_URL`). */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Append scripted turns to the queue. */
  enqueue(...turns: FakeTurn[]): void;
  /** How many scripted turns are still waiting. */
  pending(): number;
  /** Forget the queue and the recorded requests (between tests). */
  reset(): void;
  /** Resolves once request `index` has ended: the response finished or the client hung up. */
  ended(index: number): Promise<RecordedRequest>;
  /** Where `secret` appears in what was recorded, apart from the credential header itself (empty when nowhere). */
  leaksOf(secret: string): string[];
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** The key a request authenticates with: SDK 1.x sends `authorization: Bearer <key>`, the API also takes `x-api-key`. */
function credentialOf(headers: Record<string, string>): string | undefined {
  if (headers['x-api-key']) return headers['x-api-key'];
  const m = /^Bearer\s+(.+)$/i.exec(headers['authorization'] ?? '');
  return m ? m[1] : undefined;
}

function splitInto(text: string, n: number): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / Math.max(1, n)));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out.length ? out : [''];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startFakeAnthropic(opts: { apiKey?: string } = {}): Promise<FakeAnthropic> {
  const queue: FakeTurn[] = [];
  const requests: RecordedRequest[] = [];
  const endWaiters = new Map<number, Array<(r: RecordedRequest) => void>>();
  const endedSet = new Set<number>();
  let messageCounter = 0;
  let toolCounter = 0;

  const markEnded = (index: number) => {
    if (endedSet.has(index)) return;
    endedSet.add(index);
    for (const w of endWaiters.get(index) ?? []) w(requests[index]!);
    endWaiters.delete(index);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: any = null;
    try {
      body = rawBody ? JSON.parse(rawBody) : null;
    } catch {
      body = null;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
    const rec: RecordedRequest = {
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0]!,
      headers,
      rawBody,
      apiKey: credentialOf(headers),
      body,
      answeredWith: 'not-found',
      disconnected: false,
    };
    const index = requests.push(rec) - 1;
    let gone = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        gone = true;
        rec.disconnected = true;
      }
      markEnded(index);
    });

    const sendJson = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${index}`, ...extra });
      res.end(JSON.stringify(payload));
    };
    const errorBody = (type: string, message: string) => ({
      type: 'error',
      error: { type, message },
      request_id: `req_fake_${index}`,
    });

    if (rec.method !== 'POST' || rec.path !== '/v1/messages') {
      sendJson(404, errorBody('not_found_error', `fake-anthropic: no route ${rec.method} ${rec.path}`));
      return;
    }
    if (opts.apiKey !== undefined && rec.apiKey !== opts.apiKey) {
      rec.answeredWith = 'unauthorized';
      sendJson(401, errorBody('authentication_error', 'invalid x-api-key'));
      return;
    }
    const turn = queue.shift();
    if (!turn) {
      rec.answeredWith = 'no-turn-left';
      sendJson(500, errorBody('api_error', 'fake-anthropic: no scripted turn left'), { 'x-should-retry': 'false' });
      return;
    }
    rec.answeredWith = turn.kind;

    if (turn.kind === 'http_error') {
      sendJson(turn.status, errorBody(turn.type, turn.message), turn.headers);
      return;
    }
    if (turn.kind === 'silent') return;

    const model = typeof body?.model === 'string' ? body.model : 'unknown-model';
    const id = `msg_fake_${++messageCounter}`;
    const blocks = contentOf(turn, () => `toolu_fake_${++toolCounter}`);
    const stopReason: StopReason = turn.kind === 'tool_use' ? 'tool_use' : turn.kind === 'text' ? turn.stopReason : 'end_turn';
    const outputTokens = blocks.reduce((n, b) => n + b.pieces.length, 0);

    if (body?.stream !== true) {
      if (turn.kind === 'stream_error') {
        sendJson(529, errorBody(turn.type, turn.message));
        return;
      }
      if (turn.kind === 'stall') return; // never answers; ends when the client hangs up
      sendJson(200, {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: blocks.map((b) => b.final),
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: outputTokens },
      });
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': `req_fake_${index}`,
    });
    const delay = turn.kind === 'text' || turn.kind === 'tool_use' ? turn.delayMs : 0;
    const send = async (event: string, data: unknown) => {
      if (gone) return;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (delay > 0) await sleep(delay);
    };

    await send('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    });
    for (const [i, block] of blocks.entries()) {
      await send('content_block_start', { type: 'content_block_start', index: i, content_block: block.start });
      if (i === 0) await send('ping', { type: 'ping' });
      for (const piece of block.pieces) {
        const delta = block.final.type === 'text' ? { type: 'text_delta', text: piece } : { type: 'input_json_delta', partial_json: piece };
        await send('content_block_delta', { type: 'content_block_delta', index: i, delta });
      }
      if (turn.kind === 'stream_error') {
        await send('error', { type: 'error', error: { type: turn.type, message: turn.message } });
        if (!gone) res.end();
        return;
      }
      if (turn.kind === 'stall') return; // hold the connection; `close` marks the request ended
      await send('content_block_stop', { type: 'content_block_stop', index: i });
    }
    await send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: outputTokens },
    });
    await send('message_stop', { type: 'message_stop' });
    if (!gone) res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain', 'x-should-retry': 'false' });
      res.end(`fake-anthropic crashed: ${(err as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...turns) => void queue.push(...turns),
    pending: () => queue.length,
    reset() {
      queue.length = 0;
      requests.length = 0;
      endWaiters.clear();
      endedSet.clear();
    },
    ended(index) {
      if (endedSet.has(index)) return Promise.resolve(requests[index]!);
      return new Promise((resolve) => endWaiters.set(index, [...(endWaiters.get(index) ?? []), resolve]));
    },
    leaksOf(secret) {
      const found: string[] = [];
      for (const [i, r] of requests.entries()) {
        if (r.rawBody.includes(secret)) found.push(`request ${i} body`);
        if (r.path.includes(secret)) found.push(`request ${i} path`);
        for (const [k, v] of Object.entries(r.headers)) {
          const isCredential = (k === 'x-api-key' && v === secret) || (k === 'authorization' && v === `Bearer ${secret}`);
          if (!isCredential && v.includes(secret)) found.push(`request ${i} header ${k}`);
        }
      }
      return found;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The content blocks of a turn: the block as announced, the pieces its deltas carry, and the finished block. */
function contentOf(turn: FakeTurn, nextToolId: () => string): Array<{ start: object; pieces: string[]; final: any }> {
  type Block = { start: object; pieces: string[]; final: any };
  const textBlock = (pieces: string[]): Block => ({ start: { type: 'text', text: '' }, pieces, final: { type: 'text', text: pieces.join('') } });
  switch (turn.kind) {
    case 'text':
    case 'stream_error':
    case 'stall':
      return [textBlock(turn.deltas)];
    case 'tool_use': {
      const blocks: Block[] = turn.text.length ? [textBlock(turn.text)] : [];
      for (const call of turn.calls) {
        const toolId = call.id ?? nextToolId();
        const json = JSON.stringify(call.input ?? {});
        blocks.push({
          start: { type: 'tool_use', id: toolId, name: call.name, input: {} },
          pieces: splitInto(json, 3),
          final: { type: 'tool_use', id: toolId, name: call.name, input: call.input ?? {} },
        });
      }
      return blocks;
    }
    case 'http_error':
    case 'silent':
      return [];
  }
}
