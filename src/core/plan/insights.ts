import type { Insight, PlanAnalysis, PlanNode } from './types';
import * as T from './thresholds';
import { conditionColumns, createIndexSql, qualifiedName, quoteIdent } from './sql';
import { fmtBlocks, fmtCount, fmtFactor, fmtMs, fmtPct, workMemFor } from './format';

/** Functions that read the caller's identity: a filter calling them is almost always a row-level security policy. */
const POLICY_FUNCTION = /\b(auth\.(?:uid|jwt|role|email)\s*\(\)|current_setting\s*\(\s*'request\.jwt[^']*'|current_setting\s*\(|current_user\b|session_user\b)/i;
/** A SubPlan in a filter: "(SubPlan 1)", "(hashed SubPlan 1)", "ANY (x = (hashed SubPlan 1).col1)". */
const SUBPLAN_REF = /\b(hashed )?SubPlan (\d+)/g;

const hot = (n: PlanNode) => (n.timeShare ?? n.costShare) >= T.HOT_NODE_SHARE;
const share = (n: PlanNode) => (n.timeShare !== null ? `${fmtPct(n.timeShare)} of the execution time` : `${fmtPct(n.costShare)} of the estimated cost`);
const relName = (n: PlanNode) => (n.relation ? qualifiedName(n.schema, n.relation) : n.cteName ?? n.label);

/** Plan-wide and per-node findings, worst first, then in plan order. */
export function findInsights(a: PlanAnalysis): Insight[] {
  const out: Insight[] = [];
  for (const n of a.nodes) {
    misestimate(a, n, out);
    seqScanFilter(n, out);
    indexScanFilter(n, out);
    spills(a, n, out);
    lossyBitmap(n, out);
    nestedLoopSeqScan(a, n, out);
    heapFetches(n, out);
    policyFilters(a, n, out);
  }
  jit(a, out);
  triggers(a, out);
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return out
    .map((insight, i) => ({ insight, i }))
    .sort((x, y) => rank[x.insight.severity] - rank[y.insight.severity] || x.i - y.i)
    .map((x) => x.insight);
}

/**
 * Reported where the estimate first goes wrong: a node none of whose children is off the same way.
 * `rows.misestimated` already leaves out nodes that stop early by design and tiny differences (estimates.ts).
 */
function misestimate(a: PlanAnalysis, n: PlanNode, out: Insight[]): void {
  if (!n.rows.misestimated) return;
  if (n.childIds.some((c) => a.nodes[c]!.rows.misestimated && a.nodes[c]!.rows.direction === n.rows.direction)) return;
  const { factor, estimated, actual, direction } = n.rows;
  const cols = [n.filter, n.indexCond, n.recheckCond].filter((c): c is string => !!c)
    .flatMap((c) => { const cc = conditionColumns(c, [n.alias ?? '', n.relation ?? '']); return [...cc.equality, ...cc.range]; });
  const unique = [...new Set(cols)];
  let fix: string;
  let sql: string | null = null;
  if (n.filter && POLICY_FUNCTION.test(n.filter)) {
    fix = 'The planner cannot estimate a filter on a per-request value (a row-level security policy reading the caller\'s identity): it guesses. Put the same condition in the query\'s WHERE with a literal or an index-backed column so estimates and index use improve.';
  } else if (n.relation && unique.length >= 2) {
    const stat = `${n.relation}_${unique.slice(0, 4).join('_')}_stats`.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 63);
    sql = `CREATE STATISTICS ${quoteIdent(stat)} (dependencies, ndistinct, mcv) ON ${unique.slice(0, 8).map(quoteIdent).join(', ')} FROM ${qualifiedName(n.schema, n.relation)};\nANALYZE ${qualifiedName(n.schema, n.relation)};`;
    fix = `The filter combines correlated columns the planner treats as independent. Create extended statistics and re-analyze:\n${sql}`;
  } else if (n.relation) {
    sql = `ANALYZE ${qualifiedName(n.schema, n.relation)};`;
    fix = `Refresh the statistics (${sql}); if it persists, raise the column's statistics target (ALTER TABLE … ALTER COLUMN … SET STATISTICS 1000) and analyze again.`;
  } else if (/Join|Nested Loop/.test(n.nodeType)) {
    fix = 'The join estimate is off: analyze both joined tables, add extended statistics on multi-column join keys, and check that the join columns have the same type.';
  } else {
    fix = 'Analyze the tables below this node; estimates compound upward, so fix the lowest misestimate first.';
  }
  out.push({
    kind: 'misestimate', nodeId: n.id,
    severity: factor! >= T.MISESTIMATE_CRITICAL_FACTOR ? 'critical' : 'warning',
    title: `Row estimate off by ${fmtFactor(factor!)} on ${n.label}`,
    detail: `The planner expected ${fmtCount(estimated)} row${estimated === 1 ? '' : 's'} per loop but got ${fmtCount(actual)} (${direction === 'under' ? 'underestimated' : 'overestimated'}${n.loops && n.loops > 1 ? `, ${fmtCount(n.loops)} loops` : ''}). Plans above this node (join methods, memory, order) were chosen for the wrong row count.`,
    fix, sql,
  });
}

function indexFix(n: PlanNode, conditions: (string | null)[]): string | null {
  if (!n.relation) return null;
  const equality: string[] = [];
  const range: string[] = [];
  for (const c of conditions) {
    if (!c) continue;
    const cols = conditionColumns(c, [n.alias ?? n.relation, n.relation]);
    for (const col of cols.equality) if (!equality.includes(col)) equality.push(col);
    for (const col of cols.range) if (!range.includes(col) && !equality.includes(col)) range.push(col);
  }
  // Branches of an OR need an index each (combined by a BitmapOr); an AND wants one multicolumn index
  // with the equality columns first, then one range column that can still use it.
  if (conditions.some((c) => c && /\bOR\b/.test(c))) {
    const columns = [...equality, ...range].slice(0, 4);
    return columns.length ? columns.map((c) => createIndexSql(n.schema, n.relation!, [c])).join('\n') : null;
  }
  const columns = [...equality, ...range.slice(0, 1)].slice(0, 4);
  return columns.length ? createIndexSql(n.schema, n.relation, columns) : null;
}

function seqScanFilter(n: PlanNode, out: Insight[]): void {
  if (n.nodeType !== 'Seq Scan' || !n.executed || !n.filter || n.loops === null) return;
  const returned = n.rows.actual ?? 0;
  const removedPerLoop = n.removed.filter / n.loops;
  const scanned = returned + removedPerLoop;
  if (scanned < T.SEQ_SCAN_MIN_ROWS || removedPerLoop / scanned < T.SEQ_SCAN_REMOVED_RATIO) return;
  const sql = indexFix(n, [n.filter]);
  out.push({
    kind: 'seq-scan-filter', nodeId: n.id,
    severity: hot(n) ? 'critical' : 'warning',
    title: `Sequential scan on ${relName(n)} discards ${fmtPct(removedPerLoop / scanned)} of the rows it reads`,
    detail: `It read ${fmtCount(scanned)} rows${n.loops > 1 ? ` per loop (${fmtCount(n.loops)} loops)` : ''} and kept ${fmtCount(returned)}; the filter ${n.filter} removed the rest. This node takes ${share(n)}.`,
    fix: sql
      ? `Index the filtered columns so the rows can be found directly:\n${sql}`
      : `Add an index that matches the filter (${n.filter}), or an expression index if it filters on a function of a column.`,
    sql,
  });
}

/** An index finds the rows, but a filter applied afterwards throws most of them away. */
function indexScanFilter(n: PlanNode, out: Insight[]): void {
  if (!/^(Index Scan|Index Only Scan|Bitmap Heap Scan)$/.test(n.nodeType) || !n.executed || !n.filter) return;
  const returned = n.rows.actualTotal ?? 0;
  const removed = n.removed.filter;
  if (removed < T.SEQ_SCAN_MIN_ROWS || removed / (removed + returned) < T.SEQ_SCAN_REMOVED_RATIO) return;
  const access = n.indexCond ?? n.recheckCond;
  const sql = indexFix(n, [access, n.filter]);
  out.push({
    kind: 'index-scan-filter', nodeId: n.id, severity: hot(n) ? 'critical' : 'warning',
    title: `${n.nodeType} on ${relName(n)} fetches rows only to discard ${fmtPct(removed / (removed + returned))} of them`,
    detail: `The index condition ${access ?? '(none)'} found ${fmtCount(removed + returned)} rows${n.loops && n.loops > 1 ? ` over ${fmtCount(n.loops)} loops` : ''}; the filter ${n.filter} then removed ${fmtCount(removed)}. Each of those rows cost a heap visit. This node takes ${share(n)}.`,
    fix: sql
      ? `Put the filtered columns into the index so it finds only the rows you keep:\n${sql}`
      : `Extend the index${n.indexName ? ` ${n.indexName}` : ''} with the filtered columns, or add a partial index for the filter.`,
    sql,
  });
}

function spills(a: PlanAnalysis, n: PlanNode, out: Insight[]): void {
  if (!n.executed) return;
  const tempWritten = n.exclusiveBuffers?.tempWritten ?? 0;
  if (n.sort && (n.sort.spaceType === 'Disk' || /external/i.test(n.sort.method ?? ''))) {
    const kb = n.sort.spaceUsedKb ?? tempWritten * 8;
    const mem = workMemFor(kb * 2);
    out.push({
      kind: 'sort-spill', nodeId: n.id, severity: hot(n) ? 'critical' : 'warning',
      title: `Sort spilled to disk (${n.sort.method ?? 'external'}, ${fmtBlocks(Math.ceil(kb / 8))})`,
      detail: `The sort on ${(n.sortKey ?? []).join(', ') || 'its key'} needed more than work_mem${a.settings['work_mem'] ? ` (${a.settings['work_mem']})` : ''} and wrote ${fmtBlocks(Math.ceil(kb / 8))} to temporary files; this node takes ${share(n)}.`,
      fix: `Give this query more sort memory (a sort in memory needs roughly twice the on-disk size): SET work_mem = '${mem}'; — per session or with SET LOCAL in the transaction, not globally. An index on the sort key avoids the sort entirely when the rows come from one table.`,
      sql: `SET work_mem = '${mem}';`,
    });
    return;
  }
  const batches = n.hash?.batches ?? null;
  const aggBatches = typeof n.fields['HashAgg Batches'] === 'number' ? (n.fields['HashAgg Batches'] as number) : null;
  if ((batches !== null && batches > 1) || (aggBatches !== null && aggBatches > 1)) {
    const peak = n.hash?.peakMemoryKb ?? (typeof n.fields['Peak Memory Usage'] === 'number' ? (n.fields['Peak Memory Usage'] as number) : 0);
    const count = batches ?? aggBatches!;
    const mem = workMemFor(Math.max(peak * count * 1.25, tempWritten * 8));
    out.push({
      kind: 'hash-spill', nodeId: n.id, severity: hot(n) ? 'critical' : 'warning',
      title: `${n.nodeType === 'Hash' ? 'Hash table' : 'Hash aggregate'} split into ${fmtCount(count)} batches on disk`,
      detail: `The hash did not fit in work_mem × hash_mem_multiplier (peak ${fmtCount(peak)} kB per batch${tempWritten ? `, ${fmtBlocks(tempWritten)} written to temp files` : ''}), so rows were written out and read back in ${fmtCount(count)} passes.`,
      fix: `Raise the memory for this query: SET work_mem = '${mem}'; (or raise hash_mem_multiplier). Also check the row estimate below: a hash sized for far fewer rows spills.`,
      sql: `SET work_mem = '${mem}';`,
    });
    return;
  }
  if (tempWritten >= T.TEMP_SPILL_MIN_BLOCKS) {
    const mem = workMemFor(tempWritten * 8 * 2);
    out.push({
      kind: 'temp-spill', nodeId: n.id, severity: 'warning',
      title: `${n.label} wrote ${fmtBlocks(tempWritten)} of temporary files`,
      detail: `${fmtCount(tempWritten)} temp blocks written by this node itself (not its children): it ran out of work_mem and used disk.`,
      fix: `Raise work_mem for this query (SET work_mem = '${mem}';), or reduce the rows reaching this node.`,
      sql: `SET work_mem = '${mem}';`,
    });
  }
}

function lossyBitmap(n: PlanNode, out: Insight[]): void {
  if (n.nodeType !== 'Bitmap Heap Scan' || !n.executed) return;
  const lossy = n.lossyHeapBlocks ?? 0;
  if (lossy <= 0 && n.removed.indexRecheck < T.RECHECK_MIN_ROWS) return;
  const exact = n.exactHeapBlocks ?? 0;
  out.push({
    kind: 'lossy-bitmap', nodeId: n.id, severity: hot(n) ? 'critical' : 'warning',
    title: lossy > 0 ? `Lossy bitmap on ${relName(n)}: ${fmtCount(lossy)} heap blocks rechecked row by row` : `Bitmap recheck on ${relName(n)} removed ${fmtCount(n.removed.indexRecheck)} rows`,
    detail: `The bitmap outgrew work_mem and degraded to whole pages (${fmtCount(lossy)} lossy vs ${fmtCount(exact)} exact blocks), so every row on those pages was re-tested against ${n.recheckCond ?? 'the index condition'}: ${fmtCount(n.removed.indexRecheck)} rows removed by the recheck.`,
    fix: `Raise work_mem so the bitmap stays exact (SET work_mem = '${workMemFor(Math.max(lossy, exact) * 8 / 64 + 4096)}';), or make the condition more selective (a multicolumn or partial index).`,
    sql: null,
  });
}

function nestedLoopSeqScan(a: PlanAnalysis, n: PlanNode, out: Insight[]): void {
  if (n.nodeType !== 'Nested Loop' || !n.executed) return;
  const innerId = n.childIds.find((c) => a.nodes[c]!.relationship === 'Inner') ?? n.childIds[1];
  if (innerId === undefined) return;
  const inner = a.nodes[innerId]!;
  if (inner.nodeType !== 'Seq Scan' || !inner.executed || (inner.loops ?? 0) < T.NESTED_LOOP_MIN_LOOPS) return;
  const scannedTotal = (inner.rows.actualTotal ?? 0) + inner.removed.filter;
  if (scannedTotal < T.NESTED_LOOP_MIN_ROWS_SCANNED) return;
  const sql = indexFix(inner, [inner.filter, n.joinFilter]);
  out.push({
    kind: 'nested-loop-seq-scan', nodeId: n.id, severity: hot(n) || hot(inner) ? 'critical' : 'warning',
    title: `Nested loop scans ${relName(inner)} sequentially ${fmtCount(inner.loops)} times`,
    detail: `For each of ${fmtCount(inner.loops)} outer rows the inner side re-reads ${relName(inner)}: ${fmtCount(scannedTotal)} rows read in total${inner.exclusiveTime !== null ? `, ${fmtMs(inner.inclusiveTime)}` : ''}.`,
    fix: sql
      ? `Index the join column on the inner table so each loop is an index lookup:\n${sql}`
      : `Index the inner table's join columns, or check the outer row estimate (a hash join would have been chosen for this many rows).`,
    sql,
  });
}

function heapFetches(n: PlanNode, out: Insight[]): void {
  if (n.nodeType !== 'Index Only Scan' || !n.executed || n.heapFetches === null) return;
  const returned = Math.max(n.rows.actualTotal ?? 0, 1);
  if (n.heapFetches < T.HEAP_FETCHES_MIN || n.heapFetches / returned < T.HEAP_FETCHES_RATIO) return;
  const sql = n.relation ? `VACUUM (ANALYZE) ${qualifiedName(n.schema, n.relation)};` : null;
  out.push({
    kind: 'heap-fetches', nodeId: n.id, severity: 'warning',
    title: `Index-only scan on ${relName(n)} fetched ${fmtCount(n.heapFetches)} heap rows`,
    detail: `${fmtPct(Math.min(1, n.heapFetches / returned))} of the ${fmtCount(returned)} rows returned needed a heap visit because their pages are not marked all-visible; the scan is only as fast as an index scan.`,
    fix: `Vacuum the table to refresh its visibility map${sql ? `: ${sql}` : ''} — and, if it is updated often, make autovacuum run more often on it (ALTER TABLE … SET (autovacuum_vacuum_scale_factor = 0.02)).`,
    sql,
  });
}

function policyFilters(a: PlanAnalysis, n: PlanNode, out: Insight[]): void {
  if (!n.filter || !/Scan/.test(n.nodeType)) return;
  const calls = (n.rows.actualTotal ?? n.rows.estimatedTotal) + n.removed.filter;
  const fn = POLICY_FUNCTION.exec(n.filter);
  if (fn && calls >= T.RLS_FUNCTION_MIN_ROWS) {
    const call = fn[1]!.replace(/\s+/g, '');
    const wrapped = call.startsWith('current_setting(') ? 'current_setting(…)' : call;
    out.push({
      kind: 'rls-per-row-function', nodeId: n.id, severity: hot(n) ? 'critical' : 'warning',
      title: `${wrapped} evaluated for every row of ${relName(n)}`,
      detail: `The filter ${n.filter} calls ${wrapped} per row (${fmtCount(calls)} rows checked${n.removed.filter ? `, ${fmtCount(n.removed.filter)} removed` : ''}). This is what a row-level security policy using the function directly looks like; it also keeps the planner from using an index on the compared column.`,
      fix: `Wrap the function in a scalar subquery in the policy — USING (user_id = (select ${wrapped})) — so it runs once per statement as an InitPlan, and index the compared column${n.relation ? ` on ${relName(n)}` : ''}.`,
      sql: null,
    });
  }
  for (const m of n.filter.matchAll(SUBPLAN_REF)) {
    const hashed = !!m[1];
    const sub = a.nodes.find((x) => x.parentId === n.id && x.relationship === 'SubPlan' && x.subplanName === `SubPlan ${m[2]}`)
      ?? a.nodes.find((x) => x.relationship === 'SubPlan' && x.subplanName === `SubPlan ${m[2]}`);
    const loops = sub?.loops ?? 0;
    if (!hashed && loops < T.SUBPLAN_MIN_LOOPS) continue;
    if (hashed && (n.removed.filter < T.SEQ_SCAN_MIN_ROWS)) continue;
    const looksLikePolicy = POLICY_FUNCTION.test(n.filter) || (sub ? /auth\.|current_setting|jwt/i.test(subtreeText(a, sub)) : false);
    out.push({
      kind: 'rls-subplan-filter', nodeId: n.id, severity: hot(n) ? 'critical' : 'warning',
      title: hashed
        ? `${looksLikePolicy ? 'Policy' : 'Filter'} on ${relName(n)} probes a hashed subquery for every row`
        : `${looksLikePolicy ? 'Policy' : 'Filter'} on ${relName(n)} runs a correlated subquery ${fmtCount(loops)} times`,
      detail: hashed
        ? `The filter ${n.filter} builds the subquery's result once, then checks ${fmtCount(calls)} rows against it and removes ${fmtCount(n.removed.filter)}: every row of the table is read before the policy can reject it.`
        : `SubPlan ${m[2]} in the filter ${n.filter} executes once per row (${fmtCount(loops)} times${sub?.inclusiveTime != null ? `, ${fmtMs(sub.inclusiveTime)} in total` : ''}).`,
      fix: hashed
        ? `Turn the membership test into something an index can drive: add the same condition to the query's WHERE (e.g. org_id IN (select …)) so the planner can join, or move the lookup into a STABLE SECURITY DEFINER function called as (select fn()) returning an array, and index the filtered column${n.relation ? ` of ${relName(n)}` : ''}.`
        : `Rewrite the policy/filter so the subquery is not correlated: col IN (select … where user_id = (select auth.uid())) runs once as a hashed SubPlan; index the columns the subquery filters on.`,
      sql: null,
    });
  }
}

function subtreeText(a: PlanAnalysis, root: PlanNode): string {
  const parts: string[] = [];
  const stack = [root.id];
  while (stack.length && parts.length < 200) {
    const n = a.nodes[stack.pop()!]!;
    if (n.filter) parts.push(n.filter);
    if (n.indexCond) parts.push(n.indexCond);
    stack.push(...n.childIds);
  }
  return parts.join(' ');
}

function jit(a: PlanAnalysis, out: Insight[]): void {
  const total = a.jit?.totalMs ?? null;
  const exec = a.executionTime ?? a.totalTime;
  if (total === null || !exec || total < T.JIT_MIN_MS || total / exec < T.JIT_MIN_SHARE) return;
  out.push({
    kind: 'jit-overhead', nodeId: null, severity: total / exec >= 0.5 ? 'critical' : 'warning',
    title: `JIT compilation took ${fmtPct(total / exec)} of the execution time`,
    detail: `Compiling ${fmtCount(a.jit!.functions ?? 0)} functions took ${fmtMs(total)} (generation ${fmtMs(a.jit!.generationMs)}, inlining ${fmtMs(a.jit!.inliningMs)}, optimization ${fmtMs(a.jit!.optimizationMs)}, emission ${fmtMs(a.jit!.emissionMs)}) of ${fmtMs(exec)}. JIT pays off only for long analytical queries; it was triggered because the estimated cost crossed jit_above_cost.`,
    fix: `For short queries turn it off (SET jit = off; or ALTER DATABASE … SET jit = off) or raise the thresholds: SET jit_above_cost = 500000; SET jit_optimize_above_cost = 2000000; SET jit_inline_above_cost = 2000000;. If the cost estimate is inflated by a misestimate, fix that first.`,
    sql: 'SET jit = off;',
  });
}

function triggers(a: PlanAnalysis, out: Insight[]): void {
  const exec = a.executionTime ?? a.totalTime;
  if (!exec) return;
  for (const t of a.triggers) {
    if (t.timeMs < T.TRIGGER_MIN_MS || t.timeMs / exec < T.TRIGGER_MIN_SHARE) continue;
    const fk = /^RI_ConstraintTrigger/.test(t.name);
    out.push({
      kind: 'slow-trigger', nodeId: a.nodes.length ? 0 : null, severity: t.timeMs / exec >= 0.5 ? 'critical' : 'warning',
      title: `Trigger ${t.name}${t.relation ? ` on ${t.relation}` : ''} took ${fmtPct(t.timeMs / exec)} of the execution time`,
      detail: `${fmtMs(t.timeMs)} over ${fmtCount(t.calls)} call${t.calls === 1 ? '' : 's'} (${fmtMs(t.calls ? t.timeMs / t.calls : t.timeMs)} each) of ${fmtMs(exec)} in total.`,
      fix: fk
        ? `This is a foreign-key check${t.constraint ? ` (${t.constraint})` : ''}. When it fires on deletes/updates of the referenced table, each call searches the referencing table: index the referencing (foreign key) column${t.constraint ? ` of ${t.constraint}` : ''}.`
        : `Make the trigger cheaper or rarer: a statement-level trigger with transition tables instead of FOR EACH ROW, a WHEN condition, or an index for the queries it runs.`,
      sql: null,
    });
  }
}
