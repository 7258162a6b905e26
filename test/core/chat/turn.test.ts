// One participant turn, as the editor's handler runs it, with a recording sink and the fake Messages API.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeAnthropic, reply, type FakeAnthropic } from '../../support/fake-anthropic';
import { makeAgent, makeCatalog } from '../../support/hand-made-agents';
import { COMMANDS, runParticipantTurn, type ReplySink, type TurnDeps, type TurnRequest } from '../../../src/core/chat/turn';
import type { ContextItem } from '../../../src/core/chat/context';

const KEY = 'sk-ant-turn-test-key-42424242';
const general = makeAgent({ id: 'database-engineer', name: 'Database Engineer', prompt: 'GENERAL PROMPT' });
const rls = makeAgent({ id: 'rls-auditor', name: 'RLS Auditor', prompt: 'RLS PROMPT', modelId: 'claude-opus-4-6' });
const planner = makeAgent({ id: 'query-planner', name: 'Query Planner', prompt: 'PLANNER PROMPT', source: 'workspace', file: '/ws/.claude/agents/query-planner.md' });
const catalog = makeCatalog([general, rls, planner]);
const router = { id: 'database-engineer.database-engineer', name: 'database-engineer' };

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
});
after(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());
afterEach(() => assert.equal(fake.pending(), 0, 'the test left scripted turns unused'));

type Part = { markdown: string } | { button: string; title: string; args?: unknown[] } | { progress: string };
function recorder(): ReplySink & { parts: Part[]; text(): string } {
  const parts: Part[] = [];
  return {
    parts,
    markdown: (markdown) => void parts.push({ markdown }),
    button: (button, title, args) => void parts.push({ button, title, ...(args ? { args } : {}) }),
    progress: (progress) => void parts.push({ progress }),
    text: () => parts.map((p) => ('markdown' in p ? p.markdown : '')).join(''),
  };
}

function deps(over: Partial<TurnDeps> = {}): TurnDeps {
  return { catalog: () => catalog, apiKey: async () => KEY, baseURL: () => fake.url, maxRetries: 0, ...over };
}

function request(over: Partial<TurnRequest> = {}): TurnRequest {
  return {
    participant: { id: 'database-engineer.rls-auditor', name: 'rls-auditor' },
    prompt: 'Is my policy safe?',
    history: [],
    context: () => [],
    signal: new AbortController().signal,
    ...over,
  };
}

test("an agent participant streams its agent's reply as markdown, in order, and names the agent at the end", async () => {
  fake.enqueue(reply.text(['No: ', 'it uses ', '`true`.']));
  const sink = recorder();
  const selection: ContextItem = { kind: 'selection', path: 'supabase/migrations/1_init.sql', startLine: 4, endLine: 6, text: 'create policy p on t using (true);' };
  const outcome = await runParticipantTurn(
    request({ history: [{ role: 'user', text: 'hi' }, { role: 'assistant', text: 'hello' }], context: () => [selection] }),
    deps(),
    sink,
  );
  assert.deepEqual(sink.parts.slice(0, 4), [{ progress: 'Asking RLS Auditor…' }, { markdown: 'No: ' }, { markdown: 'it uses ' }, { markdown: '`true`.' }]);
  assert.match(sink.text(), /^No: it uses `true`\.\n\n---\n\*Answered by \*\*RLS Auditor\*\* \(bundled agent\)\*$/);
  assert.equal(outcome.errorMessage, undefined);
  assert.deepEqual(outcome.metadata, { agentId: 'rls-auditor', stopReason: 'end_turn' });
  const sent = fake.requests[0]!.body;
  assert.equal(sent.system, 'RLS PROMPT');
  assert.equal(sent.model, 'claude-opus-4-6');
  assert.equal(sent.messages.length, 3);
  assert.match(sent.messages[2].content, /<selection path="supabase\/migrations\/1_init.sql" lines="4-6">/);
});

test('@database-engineer answers as the agent chosen with Use Agent, and says so', async () => {
  fake.enqueue(reply.text('Add an index.'));
  const sink = recorder();
  const outcome = await runParticipantTurn(request({ participant: router }), deps({ chosenAgentId: () => 'query-planner' }), sink);
  assert.equal(fake.requests[0]!.body.system, 'PLANNER PROMPT');
  assert.match(sink.text(), /Answered by \*\*Query Planner\*\* \(workspace agent\)/);
  assert.equal(outcome.metadata.agentId, 'query-planner');
});

test('@database-engineer without a choice answers as the default agent', async () => {
  fake.enqueue(reply.text('Hello.'));
  const sink = recorder();
  await runParticipantTurn(request({ participant: router }), deps(), sink);
  assert.equal(fake.requests[0]!.body.system, 'GENERAL PROMPT');
  assert.match(sink.text(), /Answered by \*\*Database Engineer\*\*/);
});

test('/agents lists every catalog agent with a use button each, without calling the model or reading context', async () => {
  const sink = recorder();
  let gathered = false;
  const outcome = await runParticipantTurn(
    request({ participant: router, command: 'agents', prompt: '', context: () => ((gathered = true), []) }),
    deps({ chosenAgentId: () => 'rls-auditor' }),
    sink,
  );
  assert.equal(fake.requests.length, 0);
  assert.equal(gathered, false);
  const buttons = sink.parts.filter((p): p is Extract<Part, { button: string }> => 'button' in p);
  assert.deepEqual(
    buttons.map((b) => [b.button, b.args]),
    [
      [COMMANDS.useAgent, ['database-engineer']],
      [COMMANDS.useAgent, ['rls-auditor']],
      [COMMANDS.useAgent, ['query-planner']],
    ],
  );
  assert.match(sink.text(), /\*\*3 agents\*\* answer here/);
  assert.match(sink.text(), /`query-planner` — workspace/);
  assert.match(sink.text(), /`rls-auditor` — bundled \*\(answers on @database-engineer\)\*/);
  assert.equal(outcome.metadata.command, 'agents');
  assert.equal(outcome.metadata.notConversation, true);
});

test('no key: a clear message and a button that runs the set-key command; nothing is sent', async () => {
  const sink = recorder();
  let gathered = false;
  const outcome = await runParticipantTurn(request({ context: () => ((gathered = true), []) }), deps({ apiKey: async () => undefined }), sink);
  assert.equal(fake.requests.length, 0);
  assert.equal(gathered, false);
  assert.match(sink.text(), /No Anthropic API key is set\. Run 'Database Engineer: Set Anthropic API Key'/);
  assert.deepEqual(sink.parts.at(-1), { button: COMMANDS.setApiKey, title: 'Set Anthropic API Key' });
  assert.equal(outcome.metadata.notConversation, true);
});

test('a rejected key comes back as the error message with a set-key button', async () => {
  const sink = recorder();
  const outcome = await runParticipantTurn(request(), deps({ apiKey: async () => 'sk-ant-bad-key-1111111' }), sink);
  assert.match(outcome.errorMessage ?? '', /Anthropic rejected the API key/);
  assert.ok(sink.parts.some((p) => 'button' in p && p.button === COMMANDS.setApiKey));
  assert.ok(!JSON.stringify(sink.parts).includes('sk-ant-bad-key-1111111'));
});

test('a mid-stream error keeps the streamed text, names the agent, and reports the error', async () => {
  fake.enqueue(reply.streamError(['Half an ', 'answer']));
  const sink = recorder();
  const outcome = await runParticipantTurn(request(), deps(), sink);
  assert.match(sink.text(), /^Half an answer\n\n---\n\*Answered by \*\*RLS Auditor\*\*/);
  assert.match(outcome.errorMessage ?? '', /cut off/);
  assert.equal(outcome.metadata.stopReason, 'error');
});

test('cancellation keeps what was streamed and shows no error', { timeout: 10_000 }, async () => {
  fake.enqueue(reply.stall(['Thinking about ']));
  const controller = new AbortController();
  const sink: ReplySink & { parts: Part[] } = Object.assign(recorder(), {});
  const inner = sink.markdown;
  sink.markdown = (t) => {
    inner(t);
    controller.abort();
  };
  const outcome = await runParticipantTurn(request({ signal: controller.signal }), deps(), sink);
  assert.equal(outcome.errorMessage, undefined);
  assert.equal(outcome.metadata.stopReason, 'cancelled');
  assert.deepEqual(sink.parts.filter((p) => !('progress' in p)), [{ markdown: 'Thinking about ' }]);
  assert.equal((await fake.ended(0)).disconnected, true);
});

test('without a catalog the turn explains instead of failing', async () => {
  const outcome = await runParticipantTurn(request(), deps({ catalog: () => undefined }), recorder());
  assert.match(outcome.errorMessage ?? '', /agent catalog is not loaded/);
  const listing = await runParticipantTurn(request({ participant: router, command: 'agents' }), deps({ catalog: () => undefined }), recorder());
  assert.match(listing.errorMessage ?? '', /agent catalog is not loaded/);
  assert.equal(fake.requests.length, 0);
});

test('a vanished chosen agent is named in the closing note', async () => {
  fake.enqueue(reply.text('ok'));
  const sink = recorder();
  await runParticipantTurn(request({ participant: router }), deps({ chosenAgentId: () => 'old-agent' }), sink);
  assert.match(sink.text(), /Answered by \*\*Database Engineer\*\*[^\n]*\*  \n\*The agent you chose, 'old-agent', is no longer in the catalog/);
});

test('a reply cut at max_tokens says so', async () => {
  fake.enqueue(reply.text('long…', { stopReason: 'max_tokens' }));
  const sink = recorder();
  const outcome = await runParticipantTurn(request(), deps(), sink);
  assert.equal(outcome.metadata.stopReason, 'max_tokens');
  assert.match(sink.text(), /reached its length limit/);
});

test('an empty prompt with nothing attached asks for a question instead of calling the model', async () => {
  const sink = recorder();
  const outcome = await runParticipantTurn(request({ prompt: '   ' }), deps(), sink);
  assert.equal(fake.requests.length, 0);
  assert.match(sink.text(), /Ask RLS Auditor a question/);
  assert.equal(outcome.metadata.notConversation, true);
});

test('an agent with an empty prompt is sent without a system prompt', async () => {
  fake.enqueue(reply.text('ok'));
  const bare = makeAgent({ id: 'bare', prompt: '  ' });
  await runParticipantTurn(request({ participant: { id: 'database-engineer.bare' } }), deps({ catalog: () => makeCatalog([bare]) }), recorder());
  assert.equal('system' in fake.requests[0]!.body, false);
});
