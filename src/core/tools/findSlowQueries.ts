import { capText, resultBudget } from './budget';
import { describeDatabase } from '../db/database';
import { toolError, type Tool } from './types';

interface Input { limit?: number; orderBy?: 'total' | 'mean' }

export const findSlowQueries: Tool<Input> = {
  name: 'find_slow_queries',
  description: 'The slowest statements recorded by pg_stat_statements on the connected database: calls, total and mean time, rows, and the share of all time. '
    + 'Needs a live connection with the pg_stat_statements extension installed.',
  inputSchema: {
    type: 'object',
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: 50, description: 'How many statements (default 10).' },
      orderBy: { type: 'string', enum: ['total', 'mean'], description: 'Rank by total time (default) or mean time per call.' },
    },
    additionalProperties: false,
  },
  readOnly: true,
  progress: (_input, ctx) => `Reading pg_stat_statements on the ${ctx.project.databaseInfo() ? describeDatabase(ctx.project.databaseInfo()!) : 'database'}…`,
  async run(input, ctx, signal) {
    const db = await ctx.project.database();
    if (!db || db.kind !== 'live') {
      return toolError('find_slow_queries needs a live database connection (pg_stat_statements records what production runs); none is connected. Use explain_query on a specific query instead.', 'no live database');
    }
    const limit = Math.min(50, Math.max(1, Math.floor(Number(input.limit ?? 10)) || 10));
    try {
      const ext = await db.query(`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_stat_statements'`, { maxRows: 1, timeoutMs: 5000, signal });
      if (!ext.rows.length) {
        return toolError(`pg_stat_statements is not installed on ${describeDatabase(db)}. Add it to shared_preload_libraries and run \`create extension pg_stat_statements\` (on Supabase it is available under Database → Extensions); until then, explain specific queries with explain_query.`, 'pg_stat_statements not installed');
      }
      const schema = `"${String(ext.rows[0]!.schema).replace(/"/g, '""')}"`;
      const order = input.orderBy === 'mean' ? 'mean_exec_time' : 'total_exec_time';
      const { rows } = await db.query(
        `select calls, round(total_exec_time::numeric, 1) as total_ms, round(mean_exec_time::numeric, 2) as mean_ms, rows,
                round((100 * total_exec_time / nullif(sum(total_exec_time) over (), 0))::numeric, 1) as pct, left(query, 600) as query
           from ${schema}.pg_stat_statements where query not ilike '%pg_stat_statements%'
          order by ${order} desc limit ${limit}`, { maxRows: limit, timeoutMs: 10_000, signal });
      if (!rows.length) return { content: `pg_stat_statements on ${describeDatabase(db)} has recorded no statements yet.`, summary: 'no statements recorded' };
      const lines = [`Top ${rows.length} statement${rows.length === 1 ? "" : "s"} by ${input.orderBy === 'mean' ? 'mean' : 'total'} time on ${describeDatabase(db)} (pg_stat_statements):`];
      rows.forEach((r, i) => lines.push(`${i + 1}. ${r.total_ms} ms total, ${r.mean_ms} ms mean, ${r.calls} calls, ${r.rows} rows, ${r.pct ?? 0}% of all time\n   ${String(r.query).replace(/\s+/g, ' ')}`));
      const { text } = capText(lines.join('\n'), resultBudget(ctx), 'ask for fewer statements');
      return { content: text, summary: `${rows.length} statement${rows.length === 1 ? '' : 's'}` };
    } catch (err) {
      const msg = (err as Error).message;
      if (/permission denied|must be superuser|pg_read_all_stats/i.test(msg)) {
        return toolError(`This connection's user may not read pg_stat_statements on ${describeDatabase(db)}: ${msg}. Grant it pg_read_all_stats.`);
      }
      return toolError(`Reading pg_stat_statements failed: ${msg}`);
    }
  },
};
