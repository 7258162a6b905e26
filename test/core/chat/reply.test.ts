// The real @anthropic-ai/sdk against the local fake Messages API: streaming, retries, errors, cancellation.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { startFakeAnthropic, reply, type FakeAnthropic } from '../../support/fake-anthropic';
import { makeAgent } from '../../support/hand-made-agents';
import { createChatClient, resolveBaseURL } from '../../../src/core/chat/client';
import { streamReply, type ChatTools } from '../../../src/core/chat/reply';

const KEY = 'sk-ant-test-0123456789abcdefKEY';
const agent = makeAgent({ id: 'rls-auditor', prompt: 'You audit row level security. Be precise.', modelId: 'claude-opus-4-6' });

let fake: FakeAnthropic;
const client = (maxRetries = 2) => createChatClient({ apiKey: KEY, baseURL: fake.url, maxRetries });

before(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
});
after(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());
afterEach(() => assert.equal(fake.pending(), 0, 'the test left scripted turns unused'));

test('a streamed text reply arrives in order and the request carries prompt, model and context', async () => {
  fake.enqueue(reply.text(['The policy ', 'on `orders` ', 'lets anyone read.']));
  const deltas: string[] = [];
  const result = await streamReply({
    client: client(),
    agent,
    history: [
      { role: 'user', text: 'What does this table do?' },
      { role: 'assistant', text: 'It stores orders.' },
    ],
    prompt: 'Is this policy safe?',
    context: [{ kind: 'selection', path: 'supabase/migrations/001_init.sql', startLine: 12, endLine: 14, text: 'create policy p on orders using (true);', language: 'sql' }],
    onText: (d) => deltas.push(d),
  });

  assert.deepEqual(deltas, ['The policy ', 'on `orders` ', 'lets anyone read.']);
  assert.equal(result.text, 'The policy on `orders` lets anyone read.');
  assert.equal(result.stopReason, 'end_turn');
  assert.equal(result.error, undefined);
  assert.equal(result.rounds, 1);

  assert.equal(fake.requests.length, 1);
  const sent = fake.requests[0]!;
  assert.equal(sent.apiKey, KEY);
  assert.equal(sent.body.model, 'claude-opus-4-6');
  assert.equal(sent.body.system, 'You audit row level security. Be precise.');
  assert.equal(sent.body.stream, true);
  assert.ok(sent.body.max_tokens > 0);
  assert.equal(sent.body.tools, undefined, 'no tools are offered without a tools seam');
  assert.deepEqual(sent.body.messages.map((m: any) => m.role), ['user', 'assistant', 'user']);
  const last = sent.body.messages[2].content as string;
  assert.match(last, /<selection path="supabase\/migrations\/001_init.sql" lines="12-14" language="sql">\ncreate policy p on orders using \(true\);\n<\/selection>/);
  assert.match(last, /<request>\nIs this policy safe\?\n<\/request>$/);
});

test('a wrong key gives the set-key message and is not retried', async () => {
  const wrong = createChatClient({ apiKey: 'sk-ant-wrong-key-000000', baseURL: fake.url, maxRetries: 3 });
  const result = await streamReply({ client: wrong, agent, prompt: 'hello' });
  assert.equal(result.stopReason, 'error');
  assert.equal(result.error?.kind, 'auth');
  assert.equal(result.error?.status, 401);
  assert.match(result.error!.message, /Anthropic rejected the API key/);
  assert.match(result.error!.message, /Database Engineer: Set Anthropic API Key/);
  assert.equal(fake.requests.length, 1, 'a 401 must not be retried');
  assert.ok(!result.error!.message.includes('sk-ant-wrong-key-000000'));
});

test('403 is reported as a key problem too', async () => {
  fake.enqueue(reply.httpError(403, { message: 'this key may not use that model' }));
  const result = await streamReply({ client: client(), agent, prompt: 'hello' });
  assert.equal(result.error?.kind, 'auth');
  assert.equal(result.error?.status, 403);
  assert.equal(fake.requests.length, 1);
});

test('429 with retry-after is retried and then succeeds', async () => {
  fake.enqueue(reply.httpError(429, { retryAfter: '0.01' }), reply.text('Recovered answer.'));
  const deltas: string[] = [];
  const result = await streamReply({ client: client(2), agent, prompt: 'hello', onText: (d) => deltas.push(d) });
  assert.equal(result.stopReason, 'end_turn');
  assert.equal(result.text, 'Recovered answer.');
  assert.equal(deltas.join(''), 'Recovered answer.');
  assert.deepEqual(fake.requests.map((r) => r.answeredWith), ['http_error', 'text']);
  assert.equal(fake.requests[1]!.headers['x-stainless-retry-count'], '1');
  assert.deepEqual(fake.requests[1]!.body, fake.requests[0]!.body, 'the retry sends the same request');
});

test('529 on every attempt ends with the overloaded message after the configured retries', async () => {
  fake.enqueue(reply.httpError(529), reply.httpError(529), reply.httpError(529));
  const result = await streamReply({ client: client(2), agent, prompt: 'hello' });
  assert.equal(result.stopReason, 'error');
  assert.equal(result.error?.kind, 'overloaded');
  assert.match(result.error!.message, /overloaded/i);
  assert.match(result.error!.message, /tried 3 times/);
  assert.equal(fake.requests.length, 3);
});

test('429 on every attempt ends with the rate-limit message', async () => {
  fake.enqueue(reply.httpError(429), reply.httpError(429));
  const result = await streamReply({ client: client(1), agent, prompt: 'hello' });
  assert.equal(result.error?.kind, 'rate-limited');
  assert.match(result.error!.message, /rate limited/);
  assert.match(result.error!.message, /tried 2 times/);
  assert.equal(fake.requests.length, 2);
});

test('500 exhausted names a server failure', async () => {
  fake.enqueue(reply.httpError(500));
  const result = await streamReply({ client: client(0), agent, prompt: 'hello' });
  assert.equal(result.error?.kind, 'server');
  assert.match(result.error!.message, /500/);
});

test('an unknown model gets a message naming the model', async () => {
  fake.enqueue(reply.httpError(404, { message: 'model: claude-nope' }));
  const result = await streamReply({ client: client(), agent: { ...agent, modelId: 'claude-nope' }, prompt: 'hello' });
  assert.equal(result.error?.kind, 'model');
  assert.match(result.error!.message, /'claude-nope'/);
});

test('a mid-stream error keeps the partial text and reports the interruption', async () => {
  fake.enqueue(reply.streamError(['First part. ', 'Second part.']));
  const deltas: string[] = [];
  const result = await streamReply({ client: client(), agent, prompt: 'hello', onText: (d) => deltas.push(d) });
  assert.equal(result.stopReason, 'error');
  assert.equal(result.error?.kind, 'stream');
  assert.match(result.error!.message, /cut off/);
  assert.match(result.error!.message, /overloaded/);
  assert.equal(result.text, 'First part. Second part.');
  assert.deepEqual(deltas, ['First part. ', 'Second part.']);
  assert.equal(fake.requests.length, 1, 'an error after the stream began is not retried');
});

test('aborting stops the stream, keeps the partial text, and the server sees the connection close', { timeout: 10_000 }, async () => {
  fake.enqueue(reply.stall(['Partial ', 'answer']));
  const controller = new AbortController();
  const deltas: string[] = [];
  const done = streamReply({
    client: client(),
    agent,
    prompt: 'hello',
    signal: controller.signal,
    onText: (d) => {
      deltas.push(d);
      if (deltas.join('') === 'Partial answer') controller.abort();
    },
  });
  const result = await done;
  assert.equal(result.stopReason, 'cancelled');
  assert.equal(result.error, undefined, 'cancellation is not an error');
  assert.equal(result.text, 'Partial answer');
  const seen = await fake.ended(0);
  assert.equal(seen.disconnected, true, 'the server saw the client hang up before the reply finished');
});

test('aborting during a slow stream stops the deltas at once', { timeout: 10_000 }, async () => {
  fake.enqueue(reply.text(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], { delayMs: 30 }));
  const controller = new AbortController();
  const deltas: string[] = [];
  const result = await streamReply({
    client: client(),
    agent,
    prompt: 'hello',
    signal: controller.signal,
    onText: (d) => {
      deltas.push(d);
      if (deltas.length === 2) controller.abort();
    },
  });
  assert.equal(result.stopReason, 'cancelled');
  assert.deepEqual(deltas, ['a', 'b']);
  assert.equal((await fake.ended(0)).disconnected, true);
});

test('a signal aborted before the call sends nothing', async () => {
  const controller = new AbortController();
  controller.abort();
  const result = await streamReply({ client: client(), agent, prompt: 'hello', signal: controller.signal });
  assert.equal(result.stopReason, 'cancelled');
  assert.equal(fake.requests.length, 0);
});

test('an unreachable base URL gives the could-not-reach message with the host', async () => {
  const port = await closedPort();
  const c = createChatClient({ apiKey: KEY, baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 });
  const result = await streamReply({ client: c, agent, prompt: 'hello' });
  assert.equal(result.stopReason, 'error');
  assert.equal(result.error?.kind, 'network');
  assert.match(result.error!.message, new RegExp(`Could not reach the Anthropic API at 127\\.0\\.0\\.1:${port}`));
  assert.ok(!result.error!.message.includes(KEY));
});

test('a server that never answers gives the timeout message', { timeout: 10_000 }, async () => {
  fake.enqueue(reply.silent());
  const c = createChatClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0, timeoutMs: 300 });
  const result = await streamReply({ client: c, agent, prompt: 'hello' });
  assert.equal(result.error?.kind, 'timeout');
  assert.match(result.error!.message, /did not answer in time/);
  assert.equal((await fake.ended(0)).disconnected, true);
});

test('ANTHROPIC_BASE_URL is honoured when no base URL is given', async () => {
  assert.equal(resolveBaseURL(undefined, { ANTHROPIC_BASE_URL: `${fake.url}/` }), fake.url);
  assert.equal(resolveBaseURL('http://x.test', { ANTHROPIC_BASE_URL: fake.url }), 'http://x.test');
  assert.equal(resolveBaseURL(undefined, {}), 'https://api.anthropic.com');
  fake.enqueue(reply.text('via env'));
  const c = createChatClient({ apiKey: KEY, env: { ANTHROPIC_BASE_URL: fake.url } });
  const result = await streamReply({ client: c, agent, prompt: 'hello' });
  assert.equal(result.text, 'via env');
  assert.equal(fake.requests.length, 1);
});

test('the key never appears in a request body, other headers, or any error message', async () => {
  const messages: string[] = [];
  // The server echoing the key back in an error body must not carry it into what the user sees.
  fake.enqueue(reply.httpError(400, { message: `bad request from key ${KEY}` }));
  messages.push((await streamReply({ client: client(), agent, prompt: `my key is not here` })).error!.message);
  fake.enqueue(reply.streamError(['x'], { type: 'api_error', message: `boom ${KEY}` }));
  messages.push((await streamReply({ client: client(), agent, prompt: 'hello' })).error!.message);
  fake.enqueue(reply.httpError(529), reply.httpError(529));
  messages.push((await streamReply({ client: client(1), agent, prompt: 'hello' })).error!.message);
  fake.enqueue(reply.text('fine'));
  await streamReply({ client: client(), agent, prompt: 'hello' });

  assert.ok(fake.requests.length >= 5);
  assert.deepEqual(fake.leaksOf(KEY), []);
  for (const r of fake.requests) assert.equal(r.apiKey, KEY, 'the key arrives as the credential');
  for (const m of messages) assert.ok(!m.includes(KEY), `key leaked into: ${m}`);
  assert.match(messages[0]!, /\[redacted\]/);
});

test('stop reasons other than end_turn pass through', async () => {
  fake.enqueue(reply.text('truncated…', { stopReason: 'max_tokens' }));
  const result = await streamReply({ client: client(), agent, prompt: 'hello' });
  assert.equal(result.stopReason, 'max_tokens');
  assert.equal(result.text, 'truncated…');
});

test('a tool_use stop without a tools seam ends the reply with stop reason tool_use', async () => {
  fake.enqueue(reply.toolUse([{ name: 'lint', input: { file: 'a.sql' } }], { text: 'Let me lint that.' }));
  const result = await streamReply({ client: client(), agent, prompt: 'lint a.sql' });
  assert.equal(result.stopReason, 'tool_use');
  assert.equal(result.text, 'Let me lint that.');
  assert.equal(fake.requests.length, 1);
});

test('the tools seam runs each call and sends the results back in the next round', async () => {
  fake.enqueue(
    reply.toolUse([{ name: 'lint', input: { file: 'a.sql', rules: ['rls-disabled'] }, id: 'toolu_1' }], { text: 'Checking.' }),
    reply.text('No problems found.'),
  );
  const calls: unknown[] = [];
  const tools: ChatTools = {
    definitions: [{ name: 'lint', description: 'Lint a SQL file', input_schema: { type: 'object', properties: { file: { type: 'string' } } } }],
    async run(call) {
      calls.push(call);
      return { content: '0 findings' };
    },
  };
  const deltas: string[] = [];
  const result = await streamReply({ client: client(), agent, prompt: 'lint a.sql', tools, onText: (d) => deltas.push(d) });
  assert.equal(result.stopReason, 'end_turn');
  assert.equal(result.rounds, 2);
  assert.equal(result.text, 'Checking.\n\nNo problems found.');
  assert.deepEqual(calls, [{ id: 'toolu_1', name: 'lint', input: { file: 'a.sql', rules: ['rls-disabled'] } }]);
  assert.equal(fake.requests[0]!.body.tools[0].name, 'lint');
  const second = fake.requests[1]!.body.messages;
  assert.deepEqual(second.map((m: any) => m.role), ['user', 'assistant', 'user']);
  assert.equal(second[1].content.find((b: any) => b.type === 'tool_use').id, 'toolu_1');
  assert.deepEqual(second[2].content, [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '0 findings' }]);
});

test('tool rounds are bounded', async () => {
  fake.enqueue(reply.toolUse([{ name: 'lint', input: {} }]), reply.toolUse([{ name: 'lint', input: {} }]));
  const tools: ChatTools = { definitions: [{ name: 'lint', input_schema: { type: 'object' } }], run: async () => ({ content: 'again' }) };
  const result = await streamReply({ client: client(), agent, prompt: 'loop', tools, maxRounds: 2 });
  assert.equal(result.stopReason, 'max_rounds');
  assert.equal(fake.requests.length, 2);
});

test('the fake answers non-streaming requests with a whole message', async () => {
  fake.enqueue(reply.text('whole'), reply.toolUse([{ name: 'lint', input: { a: 1 } }]));
  const sdk = new Anthropic({ apiKey: KEY, baseURL: fake.url, maxRetries: 0, logLevel: 'off' });
  const m1 = await sdk.messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
  assert.deepEqual(m1.content.map((b) => (b.type === 'text' ? b.text : b.type)), ['whole']);
  assert.equal(m1.stop_reason, 'end_turn');
  const m2 = await sdk.messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(m2.stop_reason, 'tool_use');
  const use = m2.content.find((b) => b.type === 'tool_use');
  assert.deepEqual(use && use.type === 'tool_use' ? use.input : null, { a: 1 });
});

test('an empty queue answers 500 instead of hanging', async () => {
  const result = await streamReply({ client: client(2), agent, prompt: 'unscripted' });
  assert.equal(result.error?.kind, 'server');
  assert.equal(fake.requests.length, 1, 'x-should-retry: false stops the SDK retrying');
  assert.equal(fake.requests[0]!.answeredWith, 'no-turn-left');
});

/** A loopback port with nothing listening on it. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
