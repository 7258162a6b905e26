/**
 * `check_rls`: the RLS simulator's matrix for the agents — who (anon, a signed-in user A, service_role, the
 * migrations' roles) reaches which rows of each exposed table with each command, the deciding policy with file:line,
 * and the leaks with their fixes. It always simulates on a private copy of the embedded database built from the
 * workspace migrations (never on a live database: it writes rows, even if they are rolled back).
 */
import { narrowReport, parseExpectations, renderText, simulateRls } from '../rls';
import type { RlsReport } from '../rls/types';
import { capText, resultBudget } from './budget';
import { toolError, type Tool, type ToolContext } from './types';

interface Input { tables?: string[] }

export const checkRls: Tool<Input> = {
  name: 'check_rls',
  description: 'Simulates row level security on the embedded database built from the workspace migrations: seeds user A and user B in two tenants, '
    + 'then runs SELECT/INSERT/UPDATE/DELETE on every exposed table as anon, authenticated (user A), service_role and the roles the migrations create. '
    + 'Returns per table the rows each role reached (none / own / tenant / all / denied), the policy that decided (name, file:line), '
    + 'and the leaks (cross-tenant, anon-access, rls-disabled, user-metadata) with a fix. Use it to answer "who can see or change this table?" from evidence. '
    + 'Pass `tables` (name or schema.name) to limit it.',
  inputSchema: {
    type: 'object',
    properties: {
      tables: { type: 'array', items: { type: 'string' }, description: 'Tables to simulate, e.g. ["patients", "public.notes"]. Omit for every exposed table.' },
    },
    additionalProperties: false,
  },
  readOnly: true,
  progress: (input) => `Simulating row level security${input.tables?.length ? ` on ${input.tables.join(', ')}` : ''}…`,
  async run(input, ctx) {
    let report: RlsReport | string;
    try {
      report = ctx.rlsReport ? await ctx.rlsReport() : await simulateHere(input, ctx);
    } catch (err) {
      report = `The RLS simulation failed: ${(err as Error).message}`;
    }
    if (typeof report === 'string') return toolError(report);
    const narrowed = ctx.rlsReport && input.tables?.length ? narrowReport(report, input.tables) : report;
    const leaks = narrowed.tables.reduce((n, t) => n + t.leaks.length, 0);
    const { text } = capText(renderText(narrowed), resultBudget(ctx), 'pass `tables` to simulate fewer tables');
    return { content: text, summary: `${narrowed.tables.length} table${narrowed.tables.length === 1 ? '' : 's'}, ${leaks} leak${leaks === 1 ? '' : 's'}` };
  },
};

/** The simulation in this process, on the project's analysis (a string: why it cannot run). */
async function simulateHere(input: Input, ctx: ToolContext): Promise<RlsReport | string> {
  const { project } = ctx;
  const ws = await project.analysis();
  if (ws.files.length === 0) return 'check_rls needs migrations: the workspace has none, so there is no schema to simulate.';
  let expectations: ReturnType<typeof parseExpectations> | undefined;
  try {
    expectations = parseExpectations(ws.config.rls);
  } catch (err) {
    expectations = undefined;
    ctx.log?.warn(`check_rls: ${(err as Error).message}`);
  }
  // The project's migration folders, so the simulation reads exactly the files its analyzer read.
  const folders = ws.folders;
  const { report } = await simulateRls({
    root: project.root, ...(folders.length ? { folders } : {}), exposedSchemas: ws.config.exposedSchemas,
    ...(input.tables?.length ? { tables: input.tables } : {}), model: ws.analyzer.model(), findings: ws.analyzer.findings(),
    ...(expectations?.length ? { expectations } : {}), ...(ctx.log ? { log: ctx.log } : {}),
  });
  return report;
}
