/**
 * Before/after of one query: what changed in the plan's shape first (how each table is read, join methods,
 * nodes added or removed), then the numbers. Times are medians over several runs (`measureRuns`), and a
 * difference within the runs' spread is "no measurable change" rather than a gain. Used by the panel,
 * Optimize Query and `dbe explain --compare`.
 */
import type { PlanAnalysis, PlanNode } from './types';
import { fmtBlocks, fmtCount, fmtMs } from './format';

export type Verdict = 'faster' | 'slower' | 'no-change' | 'unknown';

export interface TimeComparison {
  /** Execution time (ms) of every measured run, warm-up excluded. */
  before: number[];
  after: number[];
  medianBefore: number | null;
  medianAfter: number | null;
  verdict: Verdict;
  /** "12.3 ms → 4.1 ms (median of 3 runs each): 3.0× faster". */
  text: string;
}

export interface PlanComparison {
  /**
   * "1,204 rows → 50 rows" when both sides ran (ANALYZE) and returned a different number of rows: the two are then
   * not the same query (a rewrite that added a LIMIT or lost a join condition), and their times say nothing about
   * each other. Null when the counts agree or were not measured.
   */
  resultsDiffer: string | null;
  /** The plan's shape changed: any scan, join or node difference. */
  shapeChanged: boolean;
  /** Per table: "public.documents: Seq Scan → Index Scan using documents_owner_id_idx". */
  scans: string[];
  /** "Nested Loop → Hash Join". */
  joins: string[];
  /** Other node kinds that appear (+) or disappear (−): "+ Sort", "− Materialize". */
  nodes: string[];
  time: TimeComparison;
  /** "cost 1,234.5 → 12.3". */
  cost: string;
  /** "shared buffers 1.2 MB → 16 kB", or null without BUFFERS. */
  buffers: string | null;
  /** The one line to lead with. */
  headline: string;
}

/** Measured runs per side by default: the fewest that give a median and a spread to judge noise by. */
export const COMPARE_RUNS = 3;

/**
 * Runs every side for a comparison: one warm-up run each (it fills the caches and builds the embedded database;
 * its time is dropped), then `runs` measured runs with the sides interleaved, so drift on the machine hits all
 * of them alike. Returns the measured plans per side, in the order of `sides`.
 */
export async function measureRuns<T>(sides: readonly T[], once: (side: T) => Promise<PlanAnalysis>, runs = COMPARE_RUNS): Promise<PlanAnalysis[][]> {
  const measured = sides.map((): PlanAnalysis[] => []);
  for (const side of sides) await once(side);
  for (let k = 0; k < runs; k++) {
    for (const [i, side] of sides.entries()) measured[i]!.push(await once(side));
  }
  return measured;
}

/** The run to show for a side: the one whose time is the median (the first when none was timed). */
export function medianRun(runs: readonly PlanAnalysis[]): PlanAnalysis {
  if (!runs.length) throw new Error('medianRun needs at least one run');
  const timed = runs.filter((p) => timeOf(p) !== null).sort((a, b) => timeOf(a)! - timeOf(b)!);
  return timed[(timed.length - 1) >> 1] ?? runs[0]!;
}

const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Differences below this are timer noise on any machine. */
const MIN_CHANGE_MS = 0.05;

const timeOf = (p: PlanAnalysis): number | null => p.executionTime ?? p.totalTime;

/** Index name and relation only: aliases and costs do not make a different plan. */
const accessOf = (n: PlanNode) => `${n.nodeType}${n.indexName ? ` using ${n.indexName}` : ''}`;
const isScan = (n: PlanNode) => n.relation !== null && /Scan$/.test(n.nodeType);
const isJoin = (n: PlanNode) => /Join$|^Nested Loop$/.test(n.nodeType);
const joinOf = (n: PlanNode) => `${n.nodeType}${n.joinType && n.joinType !== 'Inner' ? ` (${n.joinType})` : ''}`;

function counts(p: PlanAnalysis, pick: (n: PlanNode) => string | null): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of p.nodes) {
    const k = pick(n);
    if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** Keys whose count went down (−) and up (+), each repeated by the difference. */
function diff(a: Map<string, number>, b: Map<string, number>): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const d = (b.get(k) ?? 0) - (a.get(k) ?? 0);
    for (let i = 0; i < Math.abs(d); i++) (d < 0 ? removed : added).push(k);
  }
  return { removed: removed.sort(), added: added.sort() };
}

function scanChanges(a: PlanAnalysis, b: PlanAnalysis): string[] {
  const byTable = (p: PlanAnalysis) => {
    const m = new Map<string, string[]>();
    for (const n of p.nodes) {
      if (!isScan(n)) continue;
      const rel = n.schema ? `${n.schema}.${n.relation}` : n.relation!;
      (m.get(rel) ?? m.set(rel, []).get(rel)!).push(accessOf(n));
    }
    for (const v of m.values()) v.sort();
    return m;
  };
  const sa = byTable(a);
  const sb = byTable(b);
  const out: string[] = [];
  for (const rel of [...new Set([...sa.keys(), ...sb.keys()])].sort()) {
    const x = sa.get(rel)?.join(' + ') ?? 'not read';
    const y = sb.get(rel)?.join(' + ') ?? 'not read';
    if (x !== y) out.push(`${rel}: ${x} → ${y}`);
  }
  return out;
}

function joinChanges(a: PlanAnalysis, b: PlanAnalysis): string[] {
  const { removed, added } = diff(counts(a, (n) => (isJoin(n) ? joinOf(n) : null)), counts(b, (n) => (isJoin(n) ? joinOf(n) : null)));
  const out: string[] = [];
  const pairs = Math.min(removed.length, added.length);
  for (let i = 0; i < pairs; i++) out.push(`${removed[i]} → ${added[i]}`);
  for (const r of removed.slice(pairs)) out.push(`− ${r}`);
  for (const x of added.slice(pairs)) out.push(`+ ${x}`);
  return out;
}

function nodeChanges(a: PlanAnalysis, b: PlanAnalysis): string[] {
  const other = (n: PlanNode) => (isScan(n) || isJoin(n) ? null : n.nodeType === 'Aggregate' ? n.label.replace(/^(Partial|Finalize) /, '') : n.nodeType);
  const { removed, added } = diff(counts(a, other), counts(b, other));
  return [...removed.map((k) => `− ${k}`), ...added.map((k) => `+ ${k}`)];
}

/**
 * Medians of each side; "no-change" when the difference is inside the runs' noise (see below).
 * With one run a side nothing can be said about noise: a change is named only when the plan changed too.
 */
export function compareTimes(before: number[], after: number[], shapeChanged: boolean): TimeComparison {
  const mb = median(before);
  const ma = median(after);
  if (mb === null || ma === null) {
    return { before, after, medianBefore: mb, medianAfter: ma, verdict: 'unknown', text: 'time: not measured (the plans were not run with ANALYZE)' };
  }
  const runs = Math.min(before.length, after.length);
  const basis = runs > 1 ? `median of ${before.length === after.length ? before.length : `${before.length} and ${after.length}`} runs` : 'one run each';
  const pair = `${fmtMs(mb)} → ${fmtMs(ma)} (${basis})`;
  const ratio = ma > 0 && mb > 0 ? (mb >= ma ? mb / ma : ma / mb) : 1;
  const amount = `${ratio >= 1.995 ? `${ratio.toFixed(1)}×` : `${Math.round(Math.abs(ma - mb) / mb * 100)}%`} ${ma < mb ? 'faster' : 'slower'}`;
  let verdict: Verdict;
  let note = '';
  if (runs > 1) {
    // A change must clear the noise: the ranges apart, and the medians further apart than either side's own
    // spread and than 10% (three runs of the same plan land apart by chance one time in ten).
    const overlap = Math.min(...before) <= Math.max(...after) && Math.min(...after) <= Math.max(...before);
    const spread = Math.max(Math.max(...before) - Math.min(...before), Math.max(...after) - Math.min(...after));
    const noise = Math.max(spread, 0.1 * Math.min(mb, ma), MIN_CHANGE_MS);
    verdict = overlap || Math.abs(ma - mb) <= noise ? 'no-change' : ma < mb ? 'faster' : 'slower';
  } else if (shapeChanged && ratio >= 2) {
    verdict = ma < mb ? 'faster' : 'slower';
    note = '; one run each, so the size is rough';
  } else {
    verdict = 'unknown';
    note = '; one run each cannot tell a change from noise: compare with several runs';
  }
  const text = verdict === 'no-change' ? `time: no measurable change, ${pair}: the difference is within the runs' spread`
    : verdict === 'unknown' ? `time: ${pair}${note}`
    : `time: ${pair}: ${amount}${note}`;
  return { before, after, medianBefore: mb, medianAfter: ma, verdict, text };
}

const sharedBlocks = (p: PlanAnalysis) => (p.nodes[0]?.buffers ? p.nodes[0].buffers.sharedHit + p.nodes[0].buffers.sharedRead : null);

/**
 * Compares plans of the same query. `before`/`after` are the measured runs (warm-up already dropped); the
 * first of each is the plan whose shape is compared, the times come from all of them.
 */
export function comparePlans(before: PlanAnalysis[], after: PlanAnalysis[]): PlanComparison {
  const a = before[0];
  const b = after[0];
  if (!a || !b) throw new Error('comparePlans needs at least one plan on each side');
  const scans = scanChanges(a, b);
  const joins = joinChanges(a, b);
  const nodes = nodeChanges(a, b);
  const shapeChanged = scans.length + joins.length + nodes.length > 0;
  const times = (ps: PlanAnalysis[]) => ps.map(timeOf).filter((t): t is number => t !== null);
  const time = compareTimes(times(before), times(after), shapeChanged);
  const costRatio = a.totalCost > 0 && b.totalCost > 0 ? a.totalCost / b.totalCost : 1;
  const cost = `cost ${a.totalCost.toFixed(2)} → ${b.totalCost.toFixed(2)}${Math.abs(costRatio - 1) < 0.005 ? ' (unchanged)' : costRatio > 1 ? ` (${costRatio.toFixed(1)}× lower)` : ` (${(1 / costRatio).toFixed(1)}× higher)`}`;
  const ba = sharedBlocks(a);
  const bb = sharedBlocks(b);
  const buffers = ba !== null && bb !== null ? `shared buffers ${fmtBlocks(ba)} → ${fmtBlocks(bb)}` : null;
  const resultsDiffer = rowsDiffer(a, b);
  const shape = shapeChanged ? `The plan changed: ${[...scans, ...joins, ...nodes][0]}${scans.length + joins.length + nodes.length > 1 ? ` (and ${scans.length + joins.length + nodes.length - 1} more)` : ''}` : 'Same plan shape';
  // Different results: the times stay in the time line, but the headline names no winner.
  const headline = resultsDiffer ? `Different results (${resultsDiffer}): not the same query, so the times do not compare. ${shape}.` : `${shape}; ${time.verdict === 'no-change' ? 'no measurable change in time' : time.verdict === 'unknown' ? time.text.replace(/^time: /, 'time ') : time.text.replace(/^time: /, '')}.`;
  return { resultsDiffer, shapeChanged, scans, joins, nodes, time, cost, buffers, headline };
}

/** What the query returned: the top node's rows over all its loops (null without ANALYZE). */
const rowsReturned = (p: PlanAnalysis): number | null => p.nodes[0]?.rows.actualTotal ?? null;

function rowsDiffer(a: PlanAnalysis, b: PlanAnalysis): string | null {
  const ra = rowsReturned(a);
  const rb = rowsReturned(b);
  if (ra === null || rb === null || ra === rb) return null;
  const rows = (n: number) => `${fmtCount(n)} row${n === 1 ? '' : 's'}`;
  return `${rows(ra)} → ${rows(rb)}`;
}

/** The comparison as lines of text: shape first, then time, cost and buffers. */
export function renderComparisonText(c: PlanComparison, labels: { before: string; after: string } = { before: 'before', after: 'after' }): string {
  const lines = [`Compare ${labels.before} → ${labels.after}`, c.headline, ''];
  if (c.resultsDiffer) lines.push(`Rows returned: ${c.resultsDiffer}.`, '');
  if (c.shapeChanged) {
    lines.push('Plan shape:');
    for (const s of c.scans) lines.push(`  ${s}`);
    for (const j of c.joins) lines.push(`  join: ${j}`);
    for (const n of c.nodes) lines.push(`  node: ${n}`);
  } else {
    lines.push('Plan shape: unchanged (same scans, joins and nodes).');
  }
  lines.push('', c.time.text, c.cost);
  if (c.time.before.length > 1) lines.push(`  runs ${labels.before}: ${c.time.before.map(fmtMs).join(', ')}`, `  runs ${labels.after}: ${c.time.after.map(fmtMs).join(', ')}`);
  if (c.buffers) lines.push(c.buffers);
  return lines.join('\n') + '\n';
}
