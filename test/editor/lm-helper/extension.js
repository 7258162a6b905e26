// Test-only helper extension for the editor suite (never shipped).
// 1. A default language model through the proposed `chatProvider` API (VS Code 1.100 shape:
//    vscode.lm.registerChatModelProvider(id, provider, metadata)). Without some default model the chat
//    UI refuses every request with "Language model unavailable", even for participants that never use it.
// 1b. The model calls a tool when the last message says `CALL_TOOL <name> {json}` and that tool was offered, and
//    answers a tool result with its text, so the suite can drive a tool round over the Language Model API.
// 2. An echo chat participant `@dbe-echo` that records each request it handles and when VS Code asked it
//    for follow-ups, which VS Code only does once the response has completed. The suite reads the records
//    through this extension's exports to prove that a query typed into the Chat view reached a handler.
const vscode = require('vscode');

/** @type {{ prompt: string, command: string | undefined, participant: string, handled: boolean, completed: boolean }[]} */
const records = [];
const waiters = new Set();

function notify() {
  for (const w of [...waiters]) {
    const hit = records.find(w.match);
    if (hit) { waiters.delete(w); clearTimeout(w.timer); w.resolve(hit); }
  }
}

/** Resolves with the first record matching `match` once `match` holds, or rejects after `timeoutMs`. */
function waitForRecord(match, timeoutMs = 30000) {
  const hit = records.find(match);
  if (hit) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const w = { match, resolve };
    w.timer = setTimeout(() => { waiters.delete(w); reject(new Error(`no matching chat request within ${timeoutMs} ms; seen: ${JSON.stringify(records)}`)); }, timeoutMs);
    waiters.add(w);
  });
}

function activate(context) {
  const model = {
    async provideLanguageModelResponse(messages, options, _extensionId, progress, _token) {
      const last = messages[messages.length - 1];
      const parts = last?.content ?? [];
      // A tool result came back: say what it held (duck-typed: parts cross the API boundary as plain shapes).
      const result = parts.find((p) => p && typeof p === 'object' && typeof p.callId === 'string' && Array.isArray(p.content));
      if (result) {
        const body = result.content.map((c) => c?.value ?? '').join('');
        progress.report({ index: 0, part: new vscode.LanguageModelTextPart(`dbe-test model got ${result.callId}: ${body.slice(0, 400)}`) });
        return;
      }
      const text = parts.map((p) => (typeof p === 'string' ? p : p.value ?? '')).join('');
      // "CALL_TOOL name {json}" in the prompt makes the model call that tool, when it was offered.
      const call = /CALL_TOOL (\w+)( \{.*?\})?/.exec(text);
      if (call && (options?.tools ?? []).some((t) => t.name === call[1])) {
        progress.report({ index: 0, part: new vscode.LanguageModelToolCallPart(`call_${call[1]}`, call[1], call[2] ? JSON.parse(call[2]) : {}) });
        return;
      }
      progress.report({ index: 0, part: new vscode.LanguageModelTextPart(`dbe-test model heard: ${text.slice(0, 200)}`) });
    },
    async provideTokenCount(text) {
      const s = typeof text === 'string' ? text : JSON.stringify(text);
      return Math.ceil(s.length / 4);
    },
  };
  if (vscode.lm.registerChatModelProvider) {
    context.subscriptions.push(vscode.lm.registerChatModelProvider('dbe-test-model', model, {
      vendor: 'dbe-test',
      name: 'DBE test model',
      family: 'dbe-test',
      version: '1',
      maxInputTokens: 128000,
      maxOutputTokens: 4096,
      isDefault: true,
      isUserSelectable: true,
      capabilities: { toolCalling: true, vision: false },
    }));
  } else {
    console.error('[lm-helper] vscode.lm.registerChatModelProvider is missing: start the editor with --enable-proposed-api database-engineer-tests.lm-helper');
  }

  const participant = vscode.chat.createChatParticipant('dbe-test.echo', async (request, _ctx, stream) => {
    const record = { prompt: request.prompt, command: request.command, participant: 'dbe-test.echo', handled: false, completed: false };
    records.push(record);
    stream.markdown(`echo: ${request.prompt}`);
    record.handled = true;
    notify();
    return { metadata: { echoed: request.prompt } };
  });
  // VS Code asks for follow-ups only after a response completed: the proof that the UI finished it.
  participant.followupProvider = {
    provideFollowups(result) {
      const r = [...records].reverse().find((x) => x.prompt === result?.metadata?.echoed && !x.completed);
      if (r) { r.completed = true; notify(); }
      return [];
    },
  };
  context.subscriptions.push(participant);

  return {
    participant,
    records,
    waitForRecord,
    hasLanguageModel: Boolean(vscode.lm.registerChatModelProvider),
    clear() { records.length = 0; },
  };
}

function deactivate() {}

module.exports = { activate, deactivate };
