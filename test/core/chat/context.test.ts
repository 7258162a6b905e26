import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUserMessage, describeContext, toMessages, type ContextItem } from '../../../src/core/chat/context';
import { historyToTurns, NOT_CONVERSATION } from '../../../src/core/chat/history';
import { answeredBy } from '../../../src/core/chat/listing';
import { makeAgent } from '../../support/hand-made-agents';

test('a prompt without context is sent as typed (trimmed)', () => {
  assert.equal(buildUserMessage('  why is this slow?\n'), 'why is this slow?');
});

test('each attached item is delimited and labelled, and the request comes last', () => {
  const items: ContextItem[] = [
    { kind: 'selection', path: 'db/001.sql', startLine: 3, endLine: 3, text: 'select 1;', language: 'sql' },
    { kind: 'file', path: 'prisma/schema.prisma', text: 'model User { id Int @id }' },
    { kind: 'note', name: 'terminal', text: 'ERROR: permission denied' },
  ];
  const msg = buildUserMessage('Fix it', items);
  assert.equal(
    msg,
    [
      'The user attached this context from their workspace:',
      '<selection path="db/001.sql" lines="3" language="sql">\nselect 1;\n</selection>',
      '<file path="prisma/schema.prisma">\nmodel User { id Int @id }\n</file>',
      '<context name="terminal">\nERROR: permission denied\n</context>',
      '<request>\nFix it\n</request>',
    ].join('\n\n'),
  );
  assert.deepEqual(describeContext(items), ['db/001.sql:3', 'prisma/schema.prisma', 'terminal']);
});

test('attached context without a question asks for a review', () => {
  assert.match(buildUserMessage('  ', [{ kind: 'file', path: 'a.sql', text: 'x' }]), /<request>\nReview the attached context\.\n<\/request>$/);
});

test('a path with quotes or brackets cannot break out of its tag', () => {
  const msg = buildUserMessage('x', [{ kind: 'file', path: 'a"><b>.sql', text: 't' }]);
  assert.match(msg, /<file path="a&quot;&gt;&lt;b&gt;.sql">/);
});

test('a huge attachment is cut, and says how much was left out', () => {
  const msg = buildUserMessage('x', [{ kind: 'file', path: 'big.sql', text: 'a'.repeat(150) }], 100);
  assert.match(msg, new RegExp(`\\n${'a'.repeat(100)}\\n\\[… 50 more characters not shown\\]\\n</file>`));
  assert.ok(!msg.includes('a'.repeat(101)));
});

test('history becomes alternating messages that start with the user', () => {
  const messages = toMessages(
    [
      { role: 'assistant', text: 'stray greeting' },
      { role: 'user', text: 'first' },
      { role: 'user', text: 'again' },
      { role: 'assistant', text: '   ' },
      { role: 'assistant', text: 'answer' },
      { role: 'user', text: 'follow-up' },
    ],
    'now',
  );
  assert.deepEqual(messages, [
    { role: 'user', content: 'first\n\nagain' },
    { role: 'assistant', content: 'answer' },
    { role: 'user', content: 'follow-up\n\nnow' },
  ]);
});

test('editor history keeps the conversation and drops listings, notices, failed turns and answered-by lines', () => {
  const md = (value: string) => ({ value: { value } });
  const agent = makeAgent({ id: 'planner', name: 'Query Planner' });
  const turns = historyToTurns([
    { prompt: '', command: 'agents' },
    { response: [md('**2 agents**')], result: { metadata: { command: 'agents', [NOT_CONVERSATION]: true } }, command: 'agents' },
    { prompt: 'what is a seq scan?' },
    { response: [md('No key set.'), { value: { command: 'x', title: 'Set' } }], result: { metadata: { [NOT_CONVERSATION]: true } } },
    { prompt: 'what is a seq scan?' },
    { response: [md('It reads '), md('every row.'), md(answeredBy(agent, ['a note']))], result: { metadata: { agentId: 'planner' } } },
    { prompt: 'and an index scan?' },
    { response: [md('partial')], result: { errorDetails: { message: 'cut off' }, metadata: {} } },
    { prompt: 'and a bitmap scan?' },
    { response: [md('It batches.')], result: { metadata: { agentId: 'planner' } } },
  ]);
  assert.deepEqual(turns, [
    { role: 'user', text: 'what is a seq scan?' },
    { role: 'assistant', text: 'It reads every row.' },
    // The failed turn (request and partial reply) is left out, so the next prompt is not doubled.
    { role: 'user', text: 'and a bitmap scan?' },
    { role: 'assistant', text: 'It batches.' },
  ]);
});
