// The editor's participant turn with a tool context: the face passes a ToolContext; progress lines, the answer and
// the proposed migrations come back through the sink and the outcome.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startFakeAnthropic, reply, type FakeAnthropic } from '../../support/fake-anthropic';
import { makeAgent, makeCatalog } from '../../support/hand-made-agents';
import { runParticipantTurn, type ReplySink } from '../../../src/core/chat/turn';
import type { ToolCallEvent } from '../../../src/core/tools';
import { makeWorkspace, toolContext } from '../tools/workspace';

const KEY = 'sk-ant-participant-tools-KEY';
const rls = makeAgent({ id: 'rls-security', name: 'RLS & Security', prompt: 'RLS PROMPT', tools: ['Read', 'Bash(supabase:*)'] });
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

test('with a tool context the participant runs the tools, shows progress, and returns the proposals', async () => {
  fake.enqueue(
    reply.toolUse([{ id: 'a', name: 'lint_sql', input: {} }]),
    reply.toolUse([{ id: 'b', name: 'propose_migration', input: { name: 'rls_orders', sql: 'alter table public.orders enable row level security;' } }]),
    reply.text('Enable RLS on orders.'),
  );
  const parts: string[] = [];
  const sink: ReplySink = {
    markdown: (t) => void parts.push(`md:${t}`),
    button: (c, t) => void parts.push(`button:${c}:${t}`),
    progress: (t) => void parts.push(`progress:${t}`),
  };
  const events: ToolCallEvent[] = [];
  const outcome = await runParticipantTurn(
    { participant: { id: 'database-engineer.rls-security', name: 'rls-security' }, prompt: '/rls', history: [], context: () => [], signal: new AbortController().signal },
    { catalog: () => makeCatalog([rls]), apiKey: () => KEY, baseURL: () => fake.url, maxRetries: 0, toolContext: () => toolContext(root), onToolCall: (e) => events.push(e) },
    sink,
  );
  assert.equal(outcome.errorMessage, undefined);
  assert.deepEqual(parts.filter((p) => p.startsWith('progress:')), ['progress:Asking RLS & Security…', 'progress:Linting the workspace migrations…', 'progress:Checking the proposed migration rls_orders…']);
  assert.match(parts.filter((p) => p.startsWith('md:')).map((p) => p.slice(3)).join(''), /Enable RLS on orders\./);
  assert.equal(outcome.proposals?.length, 1);
  assert.match(outcome.proposals![0]!.path, /^supabase\/migrations\/\d{14}_rls_orders\.sql$/);
  assert.deepEqual(events.map((e) => `${e.name}:${e.status}`), ['lint_sql:start', 'lint_sql:end', 'propose_migration:start', 'propose_migration:end']);
  assert.match(fake.requests[0]!.body.system, /^RLS PROMPT\n\n# Project context/);
  assert.match(JSON.stringify(fake.requests[1]!.body.messages.at(-1)), /rls-disabled/);
});
