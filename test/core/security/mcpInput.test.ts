import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { boundedLines, idAndMethod } from '../../../src/cli/mcpInput';

test('dbe mcp input: an oversized line is dropped and reported, the lines after it pass', async () => {
  const input = new PassThrough();
  const dropped: { head: string; bytes: number }[] = [];
  const out = boundedLines(input, 1000, (head, bytes) => dropped.push({ head, bytes }));
  let text = '';
  out.on('data', (d) => { text += d; });
  const ended = new Promise((r) => out.on('end', r));
  input.write('{"id":1}\n');
  input.write(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"x":"${'y'.repeat(600)}`);
  input.write(`${'y'.repeat(600)}"}}\n{"id":2}\n`);
  input.end();
  await ended;
  const lines = text.split('\n');
  assert.equal(lines[0], '{"id":1}');
  assert.ok(lines[1]!.length < 1000);
  assert.equal(lines[2], '{"id":2}');
  assert.equal(dropped.length, 1);
  assert.deepEqual(idAndMethod(dropped[0]!.head), { id: 7, method: 'tools/call' });
});
