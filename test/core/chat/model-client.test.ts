// The one conversation loop over the ModelClient port: a scripted client (what the editor's Language Model adapter
// is to the loop) and the Anthropic adapter against the fake Messages API drive the same loop to the same result;
// #-referenced tools and files reach the turn; /review lists findings under the project's settings overlay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, reply, type FakeAnthropic } from '../../support/fake-anthropic';
import { makeAgent, makeCatalog } from '../../support/hand-made-agents';
import { createChatClient } from '../../../src/core/chat/client';
import type { ModelClient, ModelEvent, ModelRequest } from '../../../src/core/chat/model';
import { streamReply, type ChatTools } from '../../../src/core/chat/reply';
import { runAgentTurn } from '../../../src/core/chat/agentTurn';
import { chooseProvider, runParticipantTurn, type ReplySink } from '../../../src/core/chat/turn';
import { Project } from '../../../src/core/workspace/project';
import { makeWorkspace, toolContext } from '../tools/workspace';

const KEY = 'sk-ant-model-client-test-0123456789';
const agent = makeAgent({ id: 'database-engineer', name: 'Database Engineer', prompt: 'PROMPT' });

/** A ModelClient that plays scripted calls and records each request as it was at the time. */
function scripted(calls: ModelEvent[][]): ModelClient & { requests: Omit<ModelRequest, 'signal'>[] } {
  const requests: Omit<ModelRequest, 'signal'>[] = [];
  return {
    label: 'Scripted Model',
    requests,
    async *stream(req) {
      const { signal: _signal, ...rest } = req;
      requests.push(JSON.parse(JSON.stringify(rest)));
      const events = calls.shift();
      if (!events) throw new Error('unscripted call');
      for (const e of events) yield e;
    },
    isCancellation: () => false,
    describeError: (err) => ({ kind: 'model', message: `Scripted Model failed: ${(err as Error).message}` }),
  };
}

let fake: FakeAnthropic;
let root: string;
before(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  root = makeWorkspace();
});
after(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

function lintTools(): ChatTools & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    definitions: [{ name: 'lint', description: 'Lint a SQL file', input_schema: { type: 'object', properties: { file: { type: 'string' } } } }],
    async run(call) {
      calls.push(call);
      return { content: '0 findings' };
    },
  };
}

test('a scripted ModelClient and the Anthropic adapter drive the same loop to the same reply and conversation', async () => {
  fake.reset();
  fake.enqueue(reply.toolUse([{ id: 'tu_1', name: 'lint', input: { file: 'a.sql' } }], { text: 'Checking.' }), reply.text('No problems found.'));
  const viaAnthropic = lintTools();
  const a = await streamReply({ client: createChatClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 }), agent, prompt: 'lint a.sql', tools: viaAnthropic });

  const model = scripted([
    [{ type: 'text', text: 'Check' }, { type: 'text', text: 'ing.' }, { type: 'tool_call', id: 'tu_1', name: 'lint', input: { file: 'a.sql' } }, { type: 'stop', reason: 'tool_use' }],
    [{ type: 'text', text: 'No problems found.' }, { type: 'stop', reason: 'end_turn' }],
  ]);
  const viaModel = lintTools();
  const b = await streamReply({ client: model, agent, prompt: 'lint a.sql', tools: viaModel });

  for (const r of [a, b]) {
    assert.equal(r.stopReason, 'end_turn');
    assert.equal(r.rounds, 2);
    assert.equal(r.text, 'Checking.\n\nNo problems found.');
  }
  assert.deepEqual(viaModel.calls, viaAnthropic.calls);
  assert.deepEqual(b.messages, a.messages, 'the same conversation, whoever answered');
  // What the second call was sent: the assistant's tool call, then the tool's result.
  assert.deepEqual(model.requests[1]!.messages.at(-1), { role: 'user', content: [{ type: 'tool_result', callId: 'tu_1', content: '0 findings' }] });
  assert.equal(fake.requests[1]!.body.messages.at(-1).content[0].tool_use_id, 'tu_1');
  assert.equal(model.requests[0]!.system, 'PROMPT');
});

test('a failing ModelClient ends the reply with its own error message, keeping the text so far', async () => {
  const model: ModelClient = {
    ...scripted([]),
    async *stream() {
      yield { type: 'text', text: 'Half an ans' };
      throw new Error('socket closed');
    },
  };
  const r = await streamReply({ client: model, agent, prompt: 'hi' });
  assert.equal(r.stopReason, 'error');
  assert.equal(r.text, 'Half an ans');
  assert.equal(r.error?.message, 'Scripted Model failed: socket closed');
});

test('#-referenced tools are offered and called first; #-referenced files go through read_file\'s rules', async () => {
  writeFileSync(join(root, '.env'), 'DATABASE_URL=postgres://u:secret@db/x\n');
  writeFileSync(join(root, 'queries', 'note.sql'), '-- key sk-ant-api03-abcdefghijklmnop\nselect 1;\n');
  const reader = makeAgent({ id: 'reader', prompt: 'Read only.', tools: ['Read'] });
  const model = scripted([
    [{ type: 'tool_call', id: 'c1', name: 'list_migrations', input: {} }, { type: 'stop', reason: 'tool_use' }],
    [{ type: 'text', text: 'One migration.' }, { type: 'stop', reason: 'end_turn' }],
  ]);
  const r = await runAgentTurn({
    client: model, agent: reader, prompt: 'what is there?', tools: toolContext(root), projectContext: '',
    toolReferences: ['dbe_list_migrations', 'someone_elses_tool'],
    files: [{ path: join(root, 'queries', 'note.sql') }, { path: join(root, '.env') }, { path: '/etc/passwd' }],
  });
  assert.equal(r.stopReason, 'end_turn');
  assert.equal(model.requests[0]!.forceTool, 'list_migrations', 'the one named tool is called first');
  assert.equal(model.requests[1]!.forceTool, undefined, 'only in the first round');
  assert.ok(model.requests[0]!.tools.some((t) => t.name === 'list_migrations'), 'offered although the agent\'s Read maps to read_file and list_migrations');
  assert.ok(!model.requests[0]!.tools.some((t) => t.name === 'run_query'));
  const user = String(model.requests[0]!.messages[0]!.content);
  assert.match(user, /queries\/note\.sql/);
  assert.doesNotMatch(user, /sk-ant-api03-abcdefghijklmnop/, 'secrets are redacted as read_file does');
  assert.match(user, /\.env">\n\(not attached: .*holds credentials/);
  assert.doesNotMatch(user, /secret@db/);
  assert.match(user, /\/etc\/passwd">\n\(not attached: .*outside the workspace/);
  assert.match(JSON.stringify(model.requests[1]!.messages.at(-1)), /20240101000000_init\.sql/);
  rmSync(join(root, '.env'));
  rmSync(join(root, 'queries', 'note.sql'));
});

test('one provider choice: the setting, else Anthropic with a key, else the editor\'s model', () => {
  assert.equal(chooseProvider({ setting: 'auto', hasKey: true, editorModel: true }), 'anthropic');
  assert.equal(chooseProvider({ setting: 'auto', hasKey: false, editorModel: true }), 'vscode');
  assert.equal(chooseProvider({ setting: 'vscode', hasKey: true, editorModel: true }), 'vscode');
  assert.equal(chooseProvider({ setting: 'vscode', hasKey: true, editorModel: false }), 'anthropic');
  assert.equal(chooseProvider({ setting: 'anthropic', hasKey: false, editorModel: true }), 'anthropic');
  assert.equal(chooseProvider({ setting: 'auto', hasKey: false, editorModel: true, command: 'agents' }), 'anthropic');
});

function recorder(): ReplySink & { text(): string } {
  let text = '';
  return { markdown: (t) => void (text += t), button: () => {}, progress: () => {}, text: () => text };
}

test('/review lists the project analyzer\'s findings as Finding values, honouring a rule switched off in the settings overlay', async () => {
  const migrations = makeAgent({ id: 'migrations', name: 'Migrations', prompt: 'MIGRATIONS' });
  const file = join(root, 'supabase', 'migrations', '20240101000000_init.sql');
  const review = async (project: Project) => {
    const model = scripted([[{ type: 'text', text: 'Reviewed.' }, { type: 'stop', reason: 'end_turn' }]]);
    const sink = recorder();
    const outcome = await runParticipantTurn(
      { participant: { id: 'database-engineer.database-engineer', name: 'database-engineer' }, prompt: 'is it safe?', command: 'review', history: [], context: () => [], slashFile: () => ({ path: file }), signal: new AbortController().signal },
      { catalog: () => makeCatalog([agent, migrations]), apiKey: () => undefined, providerSetting: () => 'auto', editorModel: model, toolContext: () => ({ project }), displayPath: (f) => f.slice(root.length + 1) },
      sink,
    );
    assert.equal(outcome.errorMessage, undefined);
    assert.equal(outcome.metadata.agentId, 'migrations');
    return { shown: sink.text(), sent: JSON.stringify(model.requests[0]!.messages) };
  };
  const plain = await review(new Project({ root }));
  assert.match(plain.shown, /`rls-disabled` \(error, line \d+\)/);
  assert.match(plain.sent, /supabase\/migrations\/20240101000000_init\.sql:\d+:\d+ error \[rls-disabled\]/);
  assert.match(plain.shown, /Answered through Scripted Model/);

  const off = await review(new Project({ root, overlay: { rules: { 'rls-disabled': 'off' } } }));
  assert.doesNotMatch(off.shown, /rls-disabled/, 'a rule switched off in the settings is not listed');
  assert.doesNotMatch(off.sent, /rls-disabled/, 'nor sent to the agent');
  assert.match(off.shown, /unindexed-foreign-key/, 'the other findings still are');
});
