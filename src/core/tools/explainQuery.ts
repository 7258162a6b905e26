import { prepareExplain, ExplainError, type ParamValue } from '../db/explain';
import { analyzePlan, planSummary } from '../plan';
import { capText, resultBudget } from './budget';
import { describeDatabase, type Database } from '../db/database';
import { describeUnsafe } from '../security/sideEffects';
import { toolError, type Tool } from './types';

/** Functions of these names defined outside pg_catalog that are VOLATILE (so may write when executed). */
async function userVolatileFunctions(db: Database, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const { rows } = await db.query(
    `select distinct p.proname as name from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      where p.proname = any($1::text[]) and p.provolatile = 'v' and n.nspname not in ('pg_catalog', 'information_schema') order by 1`,
    { maxRows: 50, timeoutMs: 5000, params: [names] },
  );
  return rows.map((r) => String(r.name));
}

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
    let allowWrite = false;
    // EXPLAIN ANALYZE executes the statement. Rolled back, but a write on a real database still takes locks and fires
    // triggers: ask first.
    if (analyze && db.kind === 'live') {
      try {
        const prepared = await prepareExplain({ query: input.query, ...(input.params ? { params: input.params } : {}) });
        if (prepared.unsafe.length) return toolError(`${describeUnsafe(prepared.unsafe)} Call explain_query again with "analyze": false for the estimated plan.`, 'refused: effects a rollback cannot undo');
        // A user-defined volatile function may write (or worse) when executed: consent, as for a write.
        const volatile = prepared.writes ? [] : await userVolatileFunctions(db, prepared.functions);
        if (prepared.writes || volatile.length) {
          const what = volatile.length ? `${prepared.kind.replace(/Stmt$/, '').toUpperCase()} calling ${volatile.join(', ')}() (volatile, may write)` : prepared.kind.replace(/Stmt$/, '').toUpperCase();
          const ok = ctx.confirm ? await ctx.confirm({ tool: 'explain_query', title: `Run EXPLAIN ANALYZE of an ${what} on ${describeDatabase(db)} (inside a rolled-back transaction)?`, detail: prepared.sql }) : false;
          allowWrite = ok;
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
        allowWrite,
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
