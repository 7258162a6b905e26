import { prepareExplain, ExplainError, type ParamValue } from '../db/explain';
import { analyzePlan, planSummary } from '../plan';
import { capText, resultBudget } from './budget';
import { describeDatabase } from '../db/database';
import { toolError, type Tool } from './types';

interface Input { query?: string; analyze?: boolean; params?: ParamValue[] | Record<string, ParamValue> }

export const explainQuery: Tool<Input> = {
  name: 'explain_query',
  description: 'Runs EXPLAIN on one SQL statement against the connected database (or the embedded database built from the migrations) and returns a compact plan: '
    + 'totals, the hottest nodes, row misestimates and insights with fixes (missing indexes, bad estimates, sorts spilling to disk). '
    + 'With `analyze` (default true) the statement really executes inside a transaction that is rolled back, with a statement timeout. '
    + 'Placeholders ($1, :name) need `params` values.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'One SQL statement (SELECT, INSERT, UPDATE, DELETE, MERGE …).' },
      analyze: { type: 'boolean', description: 'Execute it (rolled back) to get real times and row counts. Default true.' },
      params: { description: 'Values for placeholders: an array for $1, $2 … or an object keyed by name for :name.', anyOf: [{ type: 'array' }, { type: 'object' }] },
    },
    required: ['query'],
    additionalProperties: false,
  },
  readOnly: true,
  progress: (_input, ctx) => (ctx.project.databaseInfo() ? `Explaining the query on the ${describeDatabase(ctx.project.databaseInfo()!)}…` : 'Explaining the query…'),
  async run(input, ctx, signal) {
    if (typeof input.query !== 'string' || !input.query.trim()) return toolError('No query given: pass one SQL statement as `query`.');
    const db = await ctx.project.database();
    if (!db) return toolError('No database is available to explain on: connect a database, or open a workspace with migrations so the embedded database can be built from them.');
    let analyze = input.analyze !== false;
    // EXPLAIN ANALYZE executes the statement. Rolled back, but a write on a real database still takes locks and fires
    // triggers: ask first.
    if (analyze && db.kind === 'live') {
      try {
        const prepared = await prepareExplain({ query: input.query, ...(input.params ? { params: input.params } : {}) });
        if (prepared.writes) {
          const what = prepared.kind.replace(/Stmt$/, '').toUpperCase();
          const ok = ctx.confirm ? await ctx.confirm({ tool: 'explain_query', title: `Run EXPLAIN ANALYZE of an ${what} on ${describeDatabase(db)} (inside a rolled-back transaction)?`, detail: prepared.sql }) : false;
          if (!ok) return toolError(`EXPLAIN ANALYZE would execute this ${what} on ${describeDatabase(db)} (then roll it back), and the user did not allow it. Call explain_query again with "analyze": false for the estimated plan.`, `ANALYZE of a ${what} not allowed`);
        }
      } catch (err) {
        if (err instanceof ExplainError) return toolError(err.message);
        throw err;
      }
    }
    try {
      const result = await db.explain({
        query: input.query,
        analyze,
        ...(input.params ? { params: input.params } : {}),
        statementTimeoutMs: ctx.statementTimeoutMs ?? 15_000,
        signal,
      });
      analyze = result.analyzed;
      const analysis = analyzePlan(result.plan, { query: result.query });
      const body = [`Plan from the ${describeDatabase(db)}${analyze ? ' (EXPLAIN ANALYZE, rolled back)' : ' (estimated, not executed)'}.`, planSummary(analysis)];
      if (result.notes.length) body.push('', 'Notes:', ...result.notes.map((n) => `- ${n}`));
      const { text } = capText(body.join('\n'), resultBudget(ctx), 'explain a smaller query');
      const root = analysis.nodes[0];
      const ms = analysis.executionTime !== null ? `, ${analysis.executionTime.toFixed(1)} ms` : '';
      return { content: text, summary: `${root ? root.label : 'plan'}${ms}, ${analysis.insights.length} insight${analysis.insights.length === 1 ? '' : 's'}`, plan: result.plan };
    } catch (err) {
      return toolError(err instanceof ExplainError ? err.message : `EXPLAIN failed: ${(err as Error).message}`);
    }
  },
};
