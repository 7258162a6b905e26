// Issue 2's editor cases: every bundled agent is a registered participant, a workspace agent file shows
// in `/agents`, and a participant's answer streamed from a local Messages API reaches the response — both
// through the Chat view (the wiring) and through the handler directly (precise assertions).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeAnthropic, reply, type FakeAnthropic } from '../../support/fake-anthropic';
import { getApi, sendChat, waitFor } from './util';
import type { TestServices } from '../../../src/vscode/testApi';
import { recordingStream, spyOnParticipant, emptyChatContext, token, chatRequest } from './chat';

const KEY = 'sk-ant-editor-suite-0000';
const GENERAL = 'database-engineer.database-engineer';


describe('chat participants', () => {
  let api: TestServices;
  let fake: FakeAnthropic;
  const workspace = () => vscode.workspace.workspaceFolders![0]!.uri;

  before(async () => {
    api = await getApi();
    fake = await startFakeAnthropic({ apiKey: KEY });
    process.env['ANTHROPIC_BASE_URL'] = fake.url;
    await vscode.commands.executeCommand('databaseEngineer.setApiKey', KEY);
  });

  after(async () => {
    delete process.env['ANTHROPIC_BASE_URL'];
    await vscode.commands.executeCommand('databaseEngineer.clearApiKey');
    await vscode.commands.executeCommand('databaseEngineer.useAgent', 'database-engineer');
    await fake.close();
  });

  it('registers one participant per bundled agent, as the manifest declares', async () => {
    const ext = vscode.extensions.getExtension(`database-engineer.database-engineer`)!;
    const declared: string[] = ext.packageJSON.contributes.chatParticipants.map((p: { id: string }) => p.id);
    const bundled = api.agents.catalog().active().filter((a) => a.source === 'bundled').map((a) => `database-engineer.${a.id}`);
    assert.deepEqual([...declared].sort(), [...bundled].sort());
    assert.ok(declared.length >= 6, `only ${declared.length} participants declared`);
    for (const id of declared) {
      assert.ok(api.chatParticipants[id], `participant ${id} is not registered with the editor`);
      assert.equal(api.chatParticipants[id]!.id, id);
    }
  });

  it('a workspace .claude/agents file shows in /agents with a button that selects it', async () => {
    const file = vscode.Uri.joinPath(workspace(), '.claude', 'agents', 'tenant-auditor.md');
    // Written the way people do: an unquoted description with `: ` inside, tools as a string.
    const text = [
      '---',
      'name: tenant-auditor',
      'description: Audits tenant isolation. Use when: a table has an org_id column',
      'tools: Read, Grep, Bash(psql:*)',
      'model: haiku',
      '---',
      'You audit multi-tenant RLS policies.',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(file, Buffer.from(text));
    await waitFor('the catalog to pick up the workspace agent', () => api.agents.catalog().get('tenant-auditor'), { timeoutMs: 60_000 }); // a file watcher event: slow on a loaded machine

    const stream = recordingStream();
    await api.participants[GENERAL]!(await chatRequest('', { command: 'agents' }), emptyChatContext, stream, token());
    const listing = stream.text();
    assert.match(listing, /tenant-auditor/);
    assert.match(listing, /workspace/);
    for (const id of ['database-engineer', 'rls-security', 'query-performance', 'migrations', 'prisma', 'vector-search']) {
      assert.match(listing, new RegExp(id), `/agents does not list ${id}`);
    }
    const buttons = stream.parts.filter((p) => p.kind === 'button').map((p) => p.value as vscode.Command);
    const select = buttons.find((b) => b.command === 'databaseEngineer.useAgent' && b.arguments?.[0] === 'tenant-auditor');
    assert.ok(select, `no button selects tenant-auditor; buttons: ${JSON.stringify(buttons.map((b) => b.arguments))}`);
    assert.equal(fake.requests.length, 0, '/agents must not call the model');
  });

  it('through the Chat view: @database-engineer streams the answer from the Messages API', async () => {
    fake.enqueue(reply.text(['Your query ', 'scans `orders` ', 'sequentially.']));
    const spy = spyOnParticipant(api.chatParticipants[GENERAL]!);
    try {
      const call = await sendChat('@database-engineer why is my orders query slow?', () =>
        spy.waitForCall((r) => r.prompt.includes('orders query')),
      );
      assert.equal(call.error, undefined, `handler failed: ${call.error}`);
      assert.match(call.stream.text(), /Your query scans `orders` sequentially\./);
      assert.match(call.stream.text(), /Answered by \*\*database-engineer\*\*/, 'the answer names the agent that spoke');
    } finally {
      spy.restore();
    }
    const sent = fake.requests.at(-1)!;
    const system = JSON.stringify(sent.body.system);
    const agent = api.agents.catalog().get('database-engineer')!;
    assert.ok(system.includes(agent.prompt.slice(0, 200)), 'the system prompt holds the agent prompt');
    assert.equal(sent.body.model, agent.modelId);
    assert.ok(!JSON.stringify(sent.body).includes(KEY), 'the API key never travels in the body');
  });

  it('directly: the chosen agent answers on @database-engineer and the reply says so', async () => {
    await vscode.commands.executeCommand('databaseEngineer.useAgent', 'tenant-auditor');
    fake.enqueue(reply.text('Every tenant table needs an org_id policy.'));
    const stream = recordingStream();
    await api.participants[GENERAL]!(await chatRequest('audit my tenants'), emptyChatContext, stream, token());
    assert.match(stream.text(), /Every tenant table needs an org_id policy\./);
    assert.match(stream.text(), /tenant-auditor/);
    const sent = fake.requests.at(-1)!;
    assert.match(JSON.stringify(sent.body.system), /You audit multi-tenant RLS policies\./);
  });

  it('a keyword in the prompt suggests the matching workspace agent with an "Ask <agent>" button', async () => {
    await vscode.commands.executeCommand('databaseEngineer.useAgent', 'database-engineer');
    const file = vscode.Uri.joinPath(workspace(), '.claude', 'agents', 'dana-database.md');
    await vscode.workspace.fs.writeFile(file, Buffer.from([
      '---', 'name: Dana-Database', 'description: Our DBA', 'priority: high',
      'triggers:', '  keywords: [vacuum, bloat]', '---', 'You are Dana, our DBA.', '',
    ].join('\n')));
    try {
      // The watcher's pick-up is the first test's subject; here the triggers are, so the catalog is read at once
      // (a file-watcher event took most of this test's minute on a loaded machine).
      api.agents.reload();
      await waitFor('the catalog to pick up Dana', () => api.agents.catalog().get('dana-database'), { timeoutMs: 10_000 });
      const ask = async (prompt: string) => {
        fake.enqueue(reply.text('Autovacuum handles most of it.'));
        const stream = recordingStream();
        await api.participants[GENERAL]!(await chatRequest(prompt), emptyChatContext, stream, token());
        return stream;
      };
      const hit = await ask('Should I VACUUM the orders table?');
      const buttons = hit.parts.filter((p) => p.kind === 'button').map((p) => p.value as vscode.Command);
      const dana = buttons.find((b) => b.title === 'Ask Dana-Database');
      assert.ok(dana, `buttons: ${JSON.stringify(buttons.map((b) => b.title))}`);
      assert.equal(dana.command, 'databaseEngineer.useAgent');
      assert.deepEqual(dana.arguments, ['dana-database', 'Should I VACUUM the orders table?']);
      assert.match(hit.text(), /mentions “VACUUM”|mentions “vacuum”/);
      assert.match(hit.text(), /Autovacuum handles most of it\./, 'the current agent still answers');
      const miss = await ask('How do I add a column?');
      assert.equal(miss.parts.filter((p) => p.kind === 'button').length, 0, 'no suggestion without a trigger');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  it('with no key, says so and offers a button that sets one', async () => {
    await vscode.commands.executeCommand('databaseEngineer.clearApiKey');
    // With the default provider (auto) a keyless request goes to the chat's own model; this case is about Anthropic.
    const config = vscode.workspace.getConfiguration('databaseEngineer');
    await config.update('chat.provider', 'anthropic', vscode.ConfigurationTarget.Workspace);
    const saved = process.env['ANTHROPIC_API_KEY'];
    delete process.env['ANTHROPIC_API_KEY'];
    try {
      const before = fake.requests.length;
      const stream = recordingStream();
      await api.participants['database-engineer.rls-security']!(await chatRequest('is my table safe?'), emptyChatContext, stream, token());
      assert.match(stream.text(), /API key/i);
      const buttons = stream.parts.filter((p) => p.kind === 'button').map((p) => (p.value as vscode.Command).command);
      assert.ok(buttons.includes('databaseEngineer.setApiKey'), `buttons: ${buttons.join(', ')}`);
      assert.equal(fake.requests.length, before, 'no request without a key');
    } finally {
      if (saved !== undefined) process.env['ANTHROPIC_API_KEY'] = saved;
      await config.update('chat.provider', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('databaseEngineer.setApiKey', KEY);
    }
  });
});
