// The fake Messages API itself: what it records and how it scripts, so tests built on it can be trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeAnthropic, reply } from '../../support/fake-anthropic';

test('the leak check finds a key anywhere but the credential header', async () => {
  const fake = await startFakeAnthropic({ apiKey: 'sk-ant-secret-abcdef' });
  try {
    fake.enqueue(reply.text('ok'));
    await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-secret-abcdef', 'x-note': 'has sk-ant-secret-abcdef', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'key sk-ant-secret-abcdef' }] }),
    }).then((r) => r.text());
    assert.deepEqual(fake.leaksOf('sk-ant-secret-abcdef'), ['request 0 body', 'request 0 header x-note']);
    assert.equal(fake.requests[0]!.apiKey, 'sk-ant-secret-abcdef');
  } finally {
    await fake.close();
  }
});

test('a wrong key is refused without using up a scripted turn; a streamed turn has the API event order', async () => {
  const fake = await startFakeAnthropic({ apiKey: 'right' });
  try {
    fake.enqueue(reply.toolUse([{ name: 'lint', input: { f: 'a.sql' }, id: 'toolu_x' }], { text: 'Hi' }));
    const body = JSON.stringify({ model: 'm', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'x' }] });
    const wrong = await fetch(`${fake.url}/v1/messages`, { method: 'POST', headers: { authorization: 'Bearer wrong' }, body });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as any).error.type, 'authentication_error');
    assert.equal(fake.pending(), 1);

    const ok = await fetch(`${fake.url}/v1/messages`, { method: 'POST', headers: { authorization: 'Bearer right' }, body });
    assert.match(ok.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = (await ok.text()).trim().split('\n\n').map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      assert.match(eventLine!, /^event: /, 'every SSE event names itself');
      const data = JSON.parse(dataLine!.slice('data: '.length));
      assert.equal(data.type, eventLine!.slice('event: '.length));
      return data;
    });
    const names = events.map((e) => (e.type === 'content_block_delta' ? `${e.type}:${e.delta.type}` : e.type));
    assert.deepEqual(names, [
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta:text_delta',
      'content_block_delta:text_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta:input_json_delta',
      'content_block_delta:input_json_delta',
      'content_block_delta:input_json_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const json = events.filter((e) => e.delta?.type === 'input_json_delta').map((e) => e.delta.partial_json).join('');
    assert.deepEqual(JSON.parse(json), { f: 'a.sql' });
    assert.equal(events.find((e) => e.type === 'message_delta').delta.stop_reason, 'tool_use');
    assert.equal(events[6].content_block.id, 'toolu_x');
  } finally {
    await fake.close();
  }
});
