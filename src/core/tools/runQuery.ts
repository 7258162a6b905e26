import { parseScript } from '../sql/script';
import { capText, resultBudget } from './budget';
import { describeDatabase, sqlState } from '../db/database';
import { toolError, type Tool, type ToolResult } from './types';

interface Input { sql?: string; params?: unknown[] }

/** Statement kinds that only read. Everything else is refused before it reaches the server. */
const READING = new Set(['SelectStmt', 'VariableShowStmt', 'ExplainStmt']);
const WRITE_NODE = /"(InsertStmt|UpdateStmt|DeleteStmt|MergeStmt)"|"lockingClause"|"intoClause"/;

/**
 * Whether `sql` is one statement that only reads, judged from the parse tree. This is the friendly first line;
 * the READ ONLY transaction the query runs in is the guard that holds (a function called by a SELECT may write).
 */
export async function classifyQuery(sql: string): Promise<{ ok: true; kind: string } | { ok: false; message: string }> {
  const split = await parseScript(sql);
  if (!split.ok) return { ok: false, message: `Syntax error on line ${split.line}: ${split.message}` };
  if (split.statements.length === 0) return { ok: false, message: 'There is no statement to run.' };
  if (split.statements.length > 1) return { ok: false, message: `The text holds ${split.statements.length} statements; run_query takes one statement.` };
  const st = split.statements[0]!;
  if (!READING.has(st.kind)) {
    const verb = st.kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
    return { ok: false, message: `run_query only reads: this is a ${verb} statement, which changes the database, so it was not run. Propose the change as a migration (propose_migration) for the user to review and apply.` };
  }
  const tree = JSON.stringify(st.node);
  if (st.kind === 'ExplainStmt' && /"analyze"/i.test(tree) && WRITE_NODE.test(tree)) {
    return { ok: false, message: 'EXPLAIN ANALYZE of a data change executes it: use explain_query, which runs it in a rolled-back transaction.' };
  }
  if (st.kind === 'SelectStmt' && WRITE_NODE.test(tree)) {
    return { ok: false, message: 'run_query only reads: this SELECT writes (a data-modifying WITH, SELECT INTO, or FOR UPDATE/SHARE row locks), so it was not run.' };
  }
  return { ok: true, kind: st.kind };
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  const s = String(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
};

export const runQuery: Tool<Input> = {
  name: 'run_query',
  description: 'Runs one read-only SQL statement (SELECT, SHOW, EXPLAIN) on the connected database (or the embedded one) and returns the rows as a table. '
    + 'It runs in a READ ONLY transaction that is rolled back, with a statement timeout and a row limit; writes and DDL are refused.',
  inputSchema: {
    type: 'object',
    properties: {
      sql: { type: 'string', description: 'One read-only statement.' },
      params: { type: 'array', description: 'Values for $1, $2 …' },
    },
    required: ['sql'],
    additionalProperties: false,
  },
  readOnly: true,
  progress: (_input, ctx) => (ctx.project.databaseInfo() ? `Running a read-only query on the ${describeDatabase(ctx.project.databaseInfo()!)}…` : 'Running a read-only query…'),
  async run(input, ctx, signal): Promise<ToolResult> {
    if (typeof input.sql !== 'string' || !input.sql.trim()) return toolError('No SQL given: pass one read-only statement as `sql`.');
    const db = await ctx.project.database();
    if (!db) return toolError('No database is available: connect a database, or open a workspace with migrations so the embedded database can be built.');
    const verdict = await classifyQuery(input.sql);
    if (!verdict.ok) return toolError(verdict.message, verdict.message.startsWith('run_query only reads') ? 'refused: not read-only' : undefined);
    const maxRows = Math.max(1, ctx.rowLimit ?? 100);
    const timeoutMs = ctx.statementTimeoutMs ?? 15_000;
    try {
      const { rows, total } = await db.query(input.sql.trim().replace(/;\s*$/, ''), { maxRows, timeoutMs, signal, ...(Array.isArray(input.params) ? { params: input.params } : {}) });
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      const lines = [
        `${total} row${total === 1 ? '' : 's'} from the ${describeDatabase(db)}${total > rows.length ? ` (first ${rows.length} shown; row limit ${maxRows})` : ''}.`,
      ];
      if (columns.length) {
        lines.push(columns.join(' | '));
        for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(' | '));
      }
      const { text } = capText(lines.join('\n'), resultBudget(ctx), 'select fewer columns or rows');
      return { content: text, summary: `${total} row${total === 1 ? '' : 's'}` };
    } catch (err) {
      const code = sqlState(err);
      const msg = (err as Error).message;
      if (code === '25006') return toolError(`The database refused a write (read-only transaction): ${msg}. run_query only reads; propose the change as a migration instead.`, 'refused: read-only transaction');
      if (code === '57014' || /cancel/i.test(msg)) {
        return toolError(signal.aborted ? 'The query was cancelled.' : `The query ran longer than the ${timeoutMs} ms statement timeout and was stopped. Narrow it (a WHERE, a LIMIT) or explain it instead.`);
      }
      return toolError(`The query failed on the ${describeDatabase(db)}: ${msg}`);
    }
  },
};
