/**
 * Agent tools: what a turn costs before and around the model. Figures: building the project context from the
 * workspace, one tool round trip through the whole loop (fake Messages API on loopback), EXPLAIN on the warm embedded
 * worker through explain_query.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic, reply } from '../test/support/fake-anthropic';
import { makeWorkspace, toolContext, SLOW_QUERY } from '../test/core/tools/workspace';
import { createChatClient } from '../src/core/chat/client';
import { EmbeddedService } from '../src/core/db/embeddedService';
import { embeddedDatabase } from '../src/core/db/database';
import { projectContextFor, runAgentTurn } from '../src/core/chat/agentTurn';
import { explainQuery, runTool } from '../src/core/tools';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(n: number, fn: () => Promise<unknown>): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

export async function run(log: (line: string) => void = console.log): Promise<void> {
  const root = makeWorkspace();
  const fake = await startFakeAnthropic({ apiKey: 'k' });
  const service = new EmbeddedService({ root, cacheDir: join(root, '.cache'), idleMs: 60_000 });
  try {
    log(`tools.projectContext.workspace: ${(await time(10, () => projectContextFor(toolContext(root)))).toFixed(1)} ms (median of 10)`);
    const client = createChatClient({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
    const agent = { id: 'bench', prompt: 'p', modelId: 'm' };
    const turn = await time(5, async () => {
      fake.enqueue(reply.toolUse([{ name: 'lint_sql', input: {} }, { name: 'get_schema', input: {} }]), reply.text('done'));
      await runAgentTurn({ client, agent, prompt: 'q', tools: toolContext(root), projectContext: '' });
    });
    log(`tools.turn.twoTools.noDb: ${turn.toFixed(1)} ms (median of 5; lint_sql + get_schema, 2 model calls)`);
    const db = embeddedDatabase(service);
    await service.open();
    await runTool(explainQuery, { query: SLOW_QUERY }, toolContext(root, { database: db }));
    log(`tools.explainQuery.embedded.warm: ${(await time(5, () => runTool(explainQuery, { query: SLOW_QUERY }, toolContext(root, { database: db })))).toFixed(1)} ms (median of 5, ANALYZE over 20 000 rows)`);
  } finally {
    await service.dispose();
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  }
}
