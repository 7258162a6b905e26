// The extension loads in a real VS Code, activates, returns its test API, and the chat UI path works end to
// end (Chat view → participant handler → completed response) through the test helper's echo participant.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, getApi, lmHelper, ourExtension, sendChat, sendEchoChat, waitFor } from './util';

const ourExtensionManifest = () => vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: Record<string, unknown> };
import { chatRequest, emptyChatContext, recordingStream, spyOnParticipant, token } from './chat';

/** Every file below `dir` whose path ends with `suffix`. */
function findFiles(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(p, suffix));
    else if (p.endsWith(suffix)) out.push(p);
  }
  return out;
}

describe('activation', () => {
  it('our extension is installed in the editor under its manifest id', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not found; non-builtin extensions: ${vscode.extensions.all.filter((e) => !e.id.startsWith("vscode.")).map((e) => e.id).join(", ")}`);
    assert.equal(ext.packageJSON.name, 'database-engineer');
    assert.equal(ext.packageJSON.displayName, 'Database Engineer');
  });

  it('activates and exports its typed test API', async () => {
    const ext = await ourExtension();
    assert.equal(ext.isActive, true);
    assert.equal(typeof ext.exports.services, 'function');
    const api = await getApi();
    assert.equal(typeof api.diagnostics.whenIdle, 'function');
  });

  it('registers every command of its manifest at activation', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const contributed = (ourExtensionManifest().contributes.commands as { command: string }[]).map((c) => c.command);
    assert.deepEqual(contributed.filter((c) => !all.has(c)), []);
  });

  it('activation logs its time and leaves the services to load afterwards', async function () {
    const userData = process.env.DBE_EDITOR_USER_DATA_DIR;
    if (!userData) this.skip();
    await ourExtension();
    const file = await waitFor('the services line in the Database Engineer log', () => {
      const hits = findFiles(path.join(userData!, 'logs'), path.join(EXTENSION_ID, 'Database Engineer.log'));
      return hits.find((f) => /services ready/.test(fs.readFileSync(f, 'utf8')));
    });
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /activated in \d+(\.\d+)? ms/);
    assert.ok(text.indexOf('activated in') < text.indexOf('services ready'), 'the services load after activation returned');
  });

  it('opens the workspace it was launched with', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, `expected one workspace folder, got ${folders.map((f) => f.uri.toString())}`);
  });

  it('writes its activation line to the "Database Engineer" log channel', async function () {
    // The launcher tells us where code-server keeps logs; a LogOutputChannel is backed by a file there.
    const userData = process.env.DBE_EDITOR_USER_DATA_DIR;
    if (!userData) this.skip();
    await ourExtension();
    const file = await waitFor('the Database Engineer log file', () => {
      const hits = findFiles(path.join(userData!, 'logs'), path.join(EXTENSION_ID, 'Database Engineer.log'));
      return hits.find((f) => /activated/.test(fs.readFileSync(f, 'utf8')));
    });
    assert.match(fs.readFileSync(file, 'utf8'), /Database Engineer \d+\.\d+\.\d+ activated/);
  });
});

describe('chat UI path (test helper)', () => {
  it('a default language model is registered', async () => {
    const helper = await lmHelper();
    assert.equal(helper.hasLanguageModel, true, 'proposed chatProvider API unavailable: --enable-proposed-api missing?');
    const models = await waitFor('the dbe-test model', async () => {
      const m = await vscode.lm.selectChatModels({ vendor: 'dbe-test' });
      return m.length ? m : undefined;
    });
    assert.equal(models[0].family, 'dbe-test');
  });

  it('a query typed into the Chat view reaches the participant and its response completes', async () => {
    const record = await sendEchoChat('hello from the editor suite');
    assert.equal(record.participant, 'dbe-test.echo');
    assert.equal(record.handled, true);
    assert.equal(record.completed, true);
  });

  it('a spy on a live participant records what the Chat view sent and what the handler streamed', async () => {
    const helper = await lmHelper();
    const spy = spyOnParticipant(helper.participant);
    try {
      const call = await sendChat('@dbe-echo spied on', () => spy.waitForCall((r) => r.prompt.includes('spied on')));
      assert.equal(call.error, undefined);
      assert.equal(call.request.prompt.trim(), 'spied on');
      assert.equal(call.stream.text(), 'echo: spied on');
      assert.deepEqual((call.result as vscode.ChatResult).metadata, { echoed: 'spied on' });
    } finally {
      spy.restore();
    }
  });
});

describe('chat direct path (test helpers)', () => {
  it('a recording stream captures what a handler streams, and the request carries a real model', async () => {
    const request = await chatRequest('explain this plan', { command: 'explain' });
    const stream = recordingStream();
    // A stand-in handler; real participants are called the same way through our extension's api.
    const handler: vscode.ChatRequestHandler = async (req, _ctx, out) => {
      out.progress('thinking');
      out.markdown(`${req.command}: `);
      out.push(new vscode.ChatResponseMarkdownPart(req.prompt));
      const reply = await req.model.sendRequest([vscode.LanguageModelChatMessage.User(req.prompt)], {}, token());
      let text = '';
      for await (const chunk of reply.text) text += chunk;
      out.markdown(` (${text})`);
      return {};
    };
    await handler(request, emptyChatContext, stream, token());
    assert.deepEqual(stream.parts.map((p) => p.kind), ['progress', 'markdown', 'markdown', 'markdown']);
    assert.equal(stream.text(), 'explain: explain this plan (dbe-test model heard: explain this plan)');
  });
});
