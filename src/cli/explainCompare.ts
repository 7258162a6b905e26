/**
 * `dbe explain --compare BEFORE AFTER`: each side a .sql statement (run with ANALYZE: one warm-up run dropped,
 * then N measured runs, the two sides interleaved so drift hits both) or a saved plan (JSON or psql text).
 * The comparison itself is core/plan/compare.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExplainRequest, ExplainResult } from '../core/db';
import {
  analyzePlan, comparePlans, measureRuns, planDocument, renderComparisonText, renderPlanHtml, tryAnalyzePlan,
  type PlanAnalysis, type PlanSource,
} from '../core/plan';

export type CompareSide =
  | { kind: 'sql'; file: string; text: string }
  | { kind: 'plan'; file: string };

/** A saved plan rather than SQL: anything but a .sql file. */
export const isPlanFile = (file: string): boolean => !/\.sql$/i.test(file);

export function readPlanFile(cwd: string, file: string): { ok: true; analysis: PlanAnalysis } | { ok: false; error: string } {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}` };
  }
  const r = tryAnalyzePlan(text);
  return r.ok ? r : { ok: false, error: `${file} is ${r.error.replace(/^not EXPLAIN JSON: /, 'not an EXPLAIN plan (JSON or text): ')}` };
}

interface CompareArgs {
  sides: [CompareSide, CompareSide];
  request: ExplainRequest;
  run: (req: ExplainRequest) => Promise<ExplainResult>;
  runs: number;
  format: string;
  color: boolean;
  emit: (output: string) => void;
  fail: (message: string) => number;
  cwd: string;
}

export async function compareCommand(args: CompareArgs): Promise<number> {
  const { sides, request, run, runs } = args;
  const measured: [PlanAnalysis[], PlanAnalysis[]] = [[], []];
  let source = 'file' as PlanSource;
  for (const [i, side] of sides.entries()) {
    if (side.kind !== 'plan') continue;
    const r = readPlanFile(args.cwd, side.file);
    if (!r.ok) return args.fail(r.error);
    measured[i]!.push(r.analysis);
  }
  const sqlSides = sides.flatMap((s, i) => (s.kind === 'sql' ? [{ i, s }] : []));
  const once = async (text: string) => {
    const r = await run({ ...request, query: text, analyze: true });
    source = r.database === 'live' ? 'connection' : 'embedded';
    return analyzePlan(r.plan, { query: r.query });
  };
  const ran = await measureRuns(sqlSides, ({ s }) => once((s as { text: string }).text), runs);
  sqlSides.forEach(({ i }, k) => measured[i]!.push(...ran[k]!));
  const [before, after] = measured;
  const comparison = comparePlans(before, after);
  const labels = { before: sides[0].file, after: sides[1].file };
  if (args.format === 'json') {
    args.emit(JSON.stringify({
      format: 'dbe-plan-compare', version: 1, source, labels, comparison,
      before: planDocument(before[0]!, source), after: planDocument(after[0]!, source),
    }, null, 2) + '\n');
  } else if (args.format === 'html') {
    args.emit(renderPlanHtml(after[0]!, { compareWith: before[0]!, comparison, beforeLabel: labels.before, afterLabel: labels.after }));
  } else {
    const where = sqlSides.length ? `\nran on the ${source === 'connection' ? 'live' : 'embedded'} database with ANALYZE: 1 warm-up run and ${runs} measured run${runs === 1 ? '' : 's'} per query, interleaved\n` : '';
    args.emit(renderComparisonText(comparison, labels) + where);
  }
  return 0;
}
