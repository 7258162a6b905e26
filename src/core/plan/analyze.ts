import type { Buffers, IoTimings, JitTiming, PlanAnalysis, PlanNode, TriggerTiming } from './types';
import { checkNode, isObject, normalizePlanInput, PlanInputError } from './input';
import { findInsights } from './insights';
import { quoteIdent } from '../sql/ddl';

export { PlanInputError } from './input';

export interface AnalyzeOptions {
  /** The query text, shown by the renderers (EXPLAIN JSON does not carry it). */
  query?: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strList = (v: unknown): string[] | null =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : null;

const BUFFER_KEYS: [keyof Buffers, string][] = [
  ['sharedHit', 'Shared Hit Blocks'],
  ['sharedRead', 'Shared Read Blocks'],
  ['sharedDirtied', 'Shared Dirtied Blocks'],
  ['sharedWritten', 'Shared Written Blocks'],
  ['localHit', 'Local Hit Blocks'],
  ['localRead', 'Local Read Blocks'],
  ['localDirtied', 'Local Dirtied Blocks'],
  ['localWritten', 'Local Written Blocks'],
  ['tempRead', 'Temp Read Blocks'],
  ['tempWritten', 'Temp Written Blocks'],
];

export const emptyBuffers = (): Buffers => ({
  sharedHit: 0, sharedRead: 0, sharedDirtied: 0, sharedWritten: 0,
  localHit: 0, localRead: 0, localDirtied: 0, localWritten: 0, tempRead: 0, tempWritten: 0,
});

function readBuffers(f: Record<string, unknown>): Buffers | null {
  if (!BUFFER_KEYS.some(([, k]) => k in f)) return null;
  const b = emptyBuffers();
  for (const [key, field] of BUFFER_KEYS) b[key] = num(f[field]) ?? 0;
  return b;
}

function readIo(f: Record<string, unknown>): IoTimings | null {
  const keys = ['I/O Read Time', 'I/O Write Time', 'Shared I/O Read Time', 'Shared I/O Write Time', 'Local I/O Read Time',
    'Local I/O Write Time', 'Temp I/O Read Time', 'Temp I/O Write Time'];
  if (!keys.some((k) => k in f)) return null;
  return {
    // PostgreSQL ≤ 16 folds shared and local into "I/O Read/Write Time"; 17+ splits them.
    sharedRead: num(f['Shared I/O Read Time']) ?? num(f['I/O Read Time']) ?? 0,
    sharedWrite: num(f['Shared I/O Write Time']) ?? num(f['I/O Write Time']) ?? 0,
    localRead: num(f['Local I/O Read Time']) ?? 0,
    localWrite: num(f['Local I/O Write Time']) ?? 0,
    tempRead: num(f['Temp I/O Read Time']) ?? 0,
    tempWrite: num(f['Temp I/O Write Time']) ?? 0,
  };
}


/** The one-line description EXPLAIN's text format would print for the node. */
function labelOf(f: Record<string, unknown>, nodeType: string): string {
  let head = nodeType;
  const joinType = str(f['Join Type']);
  if (joinType && joinType !== 'Inner' && /Join$|^Nested Loop$/.test(nodeType)) {
    head = nodeType === 'Nested Loop' ? `Nested Loop ${joinType} Join` : `${nodeType.replace(/ Join$/, '')} ${joinType} Join`;
  }
  if (nodeType === 'Aggregate') {
    const s = str(f['Strategy']);
    head = s === 'Hashed' ? 'HashAggregate' : s === 'Sorted' ? 'GroupAggregate' : s === 'Mixed' ? 'MixedAggregate' : 'Aggregate';
    const mode = str(f['Partial Mode']);
    if (mode && mode !== 'Simple') head = `${mode} ${head}`;
  }
  if (nodeType === 'ModifyTable' && str(f['Operation'])) head = str(f['Operation'])!;
  if (f['Parallel Aware'] === true) head = `Parallel ${head}`;
  if (str(f['Scan Direction']) === 'Backward') head += ' Backward';
  const index = str(f['Index Name']);
  if (index) head += ` using ${quoteIdent(index)}`;
  const rel = str(f['Relation Name']);
  const target = rel ?? str(f['CTE Name']) ?? str(f['Function Name']) ?? str(f['Tuplestore Name']);
  if (target) {
    const schema = str(f['Schema']);
    head += ` on ${schema && rel ? `${quoteIdent(schema)}.` : ''}${quoteIdent(target)}`;
    const alias = str(f['Alias']);
    if (alias && alias !== target) head += ` ${quoteIdent(alias)}`;
  } else if (index && /Bitmap Index Scan/.test(nodeType)) {
    head = head.replace(' using ', ' on ');
  }
  return head;
}

/** Tokens by which other nodes' expressions refer to an InitPlan's result. */
function initPlanTokens(subplanName: string): string[] {
  const tokens: string[] = [];
  const base = /^(InitPlan \d+)/.exec(subplanName);
  if (base) tokens.push(`(${base[1]})`); // PostgreSQL 18: "(InitPlan 1).col1"
  const returns = /\(returns ([^)]*)\)/.exec(subplanName); // ≤ 17: "InitPlan 1 (returns $0,$1)"
  if (returns) for (const p of returns[1]!.split(',')) tokens.push(p.trim());
  return tokens;
}

const EXPRESSION_FIELDS = ['Output', 'Filter', 'Join Filter', 'Index Cond', 'Recheck Cond', 'Hash Cond', 'Merge Cond',
  'One-Time Filter', 'Sort Key', 'Group Key', 'TID Cond', 'Order By', 'Cache Key', 'Run Condition', 'Presorted Key'];

/** "$1" must not match "$10"; "(InitPlan 1)" is matched as plain text. */
const tokenMatcher = (token: string) => (token.startsWith('$')
  ? (t: string) => new RegExp(`\\${token}(?!\\d)`).test(t)
  : (t: string) => t.includes(token));

function mentions(f: Record<string, unknown>, matches: (text: string) => boolean): boolean {
  for (const key of EXPRESSION_FIELDS) {
    const v = f[key];
    const texts = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
    for (const t of texts) if (typeof t === 'string' && matches(t)) return true;
  }
  return false;
}

interface Charge {
  /** Root of an InitPlan/CTE subtree whose time is included in `target`'s time, not in its parent's. */
  source: number;
  target: number;
  fraction: number;
}

/**
 * Turns EXPLAIN (FORMAT JSON) output into a PlanAnalysis. Throws PlanInputError (message starts with
 * "not EXPLAIN JSON:") on anything that is not a plan. Iterative throughout: 50,000-deep plans are fine.
 */
export function analyzePlan(input: unknown, options: AnalyzeOptions = {}): PlanAnalysis {
  const top = normalizePlanInput(input);
  const nodes: PlanNode[] = [];
  const raws: Record<string, unknown>[] = [];
  // Where each node sits in its parent's "Plans", to name a bad node's path without building paths eagerly.
  const indexInParent: number[] = [];
  const pathOf = (parentId: number | null, index: number): string => {
    const parts: string[] = [];
    let id = parentId;
    let i = index;
    while (id !== null) {
      parts.push(`Plans[${i}]`);
      i = indexInParent[id]!;
      id = nodes[id]!.parentId;
    }
    return ['Plan', ...parts.reverse()].join('.');
  };

  let analyzed = false;
  let timed = false;
  let hasBuffers = false;
  type Frame = { raw: unknown; parentId: number | null; depth: number; index: number; processes: number };
  const stack: Frame[] = [{ raw: top['Plan'], parentId: null, depth: 0, index: 0, processes: 1 }];
  while (stack.length) {
    const { raw, parentId, depth, index, processes } = stack.pop()!;
    if (!isObject(raw) || typeof raw['Node Type'] !== 'string' || ('Plans' in raw && !Array.isArray(raw['Plans']))) {
      checkNode(raw, parentId === null ? 'Plan' : pathOf(parentId, index));
    }
    const f = raw as Record<string, unknown>;
    const id = nodes.length;
    const nodeType = f['Node Type'] as string;
    const fields: Record<string, unknown> = {};
    for (const k in f) if (k !== 'Plans') fields[k] = f[k];

    const loops = num(f['Actual Loops']);
    const totalTime = num(f['Actual Total Time']);
    if (loops !== null) analyzed = true;
    if (totalTime !== null) timed = true;
    const executed = loops !== null && loops > 0;
    const divisor = processes > 1 && loops !== null ? Math.max(1, Math.min(processes, loops)) : 1;
    const inclusiveTime = loops === null ? null : executed && totalTime !== null ? (totalTime * loops) / divisor : 0;
    const buffers = readBuffers(f);
    if (buffers) hasBuffers = true;
    const planRows = num(f['Plan Rows']) ?? 0;
    const actualRows = executed ? num(f['Actual Rows']) : null;
    const loopCount = loops ?? 1;
    let factor: number | null = null;
    let direction: PlanNode['rows']['direction'] = null;
    // ModifyTable emits rows only with RETURNING, so its actual 0 says nothing about the estimate.
    if (actualRows !== null && nodeType !== 'ModifyTable') {
      const e = Math.max(planRows, 1);
      const a = Math.max(actualRows, 1);
      factor = Math.max(e, a) / Math.min(e, a);
      direction = a > e ? 'under' : a < e ? 'over' : 'exact';
    }
    const sortMethod = str(f['Sort Method']);
    const hashBatches = num(f['Hash Batches']);
    const node: PlanNode = {
      id, parentId, depth, childIds: [], nodeType,
      label: labelOf(f, nodeType),
      relationship: str(f['Parent Relationship']),
      subplanName: str(f['Subplan Name']),
      relation: str(f['Relation Name']),
      schema: str(f['Schema']),
      alias: str(f['Alias']),
      indexName: str(f['Index Name']),
      cteName: str(f['CTE Name']),
      functionName: str(f['Function Name']),
      joinType: str(f['Join Type']),
      strategy: str(f['Strategy']),
      parallelAware: f['Parallel Aware'] === true,
      filter: str(f['Filter']),
      joinFilter: str(f['Join Filter']),
      indexCond: str(f['Index Cond']),
      recheckCond: str(f['Recheck Cond']),
      hashCond: str(f['Hash Cond']),
      mergeCond: str(f['Merge Cond']),
      sortKey: strList(f['Sort Key']),
      startupCost: num(f['Startup Cost']) ?? 0,
      totalCost: num(f['Total Cost']) ?? 0,
      exclusiveCost: 0,
      costShare: 0,
      executed,
      loops,
      actualStartupTime: num(f['Actual Startup Time']),
      actualTotalTime: totalTime,
      inclusiveTime,
      exclusiveTime: inclusiveTime,
      timeShare: null,
      inclusiveShare: null,
      rows: {
        estimated: planRows,
        actual: actualRows,
        estimatedTotal: planRows * loopCount,
        actualTotal: actualRows === null ? null : actualRows * loopCount,
        factor,
        direction,
      },
      // EXPLAIN prints these as per-loop averages.
      removed: {
        filter: (num(f['Rows Removed by Filter']) ?? 0) * loopCount,
        joinFilter: (num(f['Rows Removed by Join Filter']) ?? 0) * loopCount,
        indexRecheck: (num(f['Rows Removed by Index Recheck']) ?? 0) * loopCount,
      },
      heapFetches: num(f['Heap Fetches']),
      exactHeapBlocks: num(f['Exact Heap Blocks']),
      lossyHeapBlocks: num(f['Lossy Heap Blocks']),
      parallelProcesses: processes,
      workersPlanned: num(f['Workers Planned']),
      workersLaunched: num(f['Workers Launched']),
      buffers,
      exclusiveBuffers: buffers ? { ...buffers } : null,
      io: readIo(f),
      sort: sortMethod || 'Sort Space Used' in f
        ? { method: sortMethod, spaceUsedKb: num(f['Sort Space Used']), spaceType: str(f['Sort Space Type']) }
        : null,
      hash: 'Hash Buckets' in f || hashBatches !== null
        ? { buckets: num(f['Hash Buckets']), batches: hashBatches, originalBatches: num(f['Original Hash Batches']), peakMemoryKb: num(f['Peak Memory Usage']) }
        : null,
      fields,
    };
    nodes.push(node);
    raws.push(f);
    indexInParent.push(index);
    if (parentId !== null) nodes[parentId]!.childIds.push(id);

    const children = (f['Plans'] as unknown[] | undefined) ?? [];
    // Below a Gather, each node's loops are shared by the leader and the launched workers.
    let childProcesses = processes;
    if (nodeType === 'Gather' || nodeType === 'Gather Merge') {
      const workers = num(f['Workers Launched']) ?? (loops === null ? num(f['Workers Planned']) : 0) ?? 0;
      const leader = f['Single Copy'] === true ? 0 : 1;
      childProcesses = Math.max(1, workers + leader);
    }
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ raw: children[i], parentId: id, depth: depth + 1, index: i, processes: childProcesses });
    }
  }

  if (analyzed && !timed) {
    // EXPLAIN (ANALYZE, TIMING OFF): rows and loops, but no times to share out.
    for (const n of nodes) n.inclusiveTime = n.exclusiveTime = null;
  }
  const charges = timed ? findCharges(nodes, raws) : [];
  computeExclusive(nodes, charges, timed);

  const root = nodes[0]!;
  const totalTime = timed ? root.inclusiveTime : null;
  const totalCost = root.totalCost;
  for (const n of nodes) {
    n.costShare = totalCost > 0 ? n.exclusiveCost / totalCost : 0;
    if (totalTime !== null && n.exclusiveTime !== null) {
      n.timeShare = totalTime > 0 ? n.exclusiveTime / totalTime : 0;
      n.inclusiveShare = totalTime > 0 ? (n.inclusiveTime ?? 0) / totalTime : 0;
    }
  }

  const extras: Record<string, unknown> = {};
  for (const k in top) if (k !== 'Plan') extras[k] = top[k];
  const settings: Record<string, string> = {};
  if (isObject(top['Settings'])) for (const [k, v] of Object.entries(top['Settings'])) settings[k] = String(v);
  const planning = isObject(top['Planning']) ? readBuffers(top['Planning']) : null;

  const analysis: PlanAnalysis = {
    query: options.query ?? str(top['Query Text']),
    analyzed,
    timed,
    hasBuffers,
    planningTime: num(top['Planning Time']),
    executionTime: num(top['Execution Time']),
    totalTime,
    totalCost,
    nodes,
    insights: [],
    triggers: readTriggers(top['Triggers']),
    jit: readJit(top['JIT']),
    settings,
    planningBuffers: planning,
    extras,
  };
  analysis.insights = findInsights(analysis);
  return analysis;
}

function readTriggers(v: unknown): TriggerTiming[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((t) => ({
    name: str(t['Trigger Name']) ?? str(t['Constraint Name']) ?? '(trigger)',
    constraint: str(t['Constraint Name']),
    relation: str(t['Relation']),
    timeMs: num(t['Time']) ?? 0,
    calls: num(t['Calls']) ?? 0,
  }));
}

/** JIT timings are numbers up to PostgreSQL 16; 17+ reports "Generation" as {"Deform", "Total"}. */
function readJit(v: unknown): JitTiming | null {
  if (!isObject(v)) return null;
  const timing = isObject(v['Timing']) ? v['Timing'] : {};
  const ms = (x: unknown) => num(x) ?? (isObject(x) ? num(x['Total']) : null);
  return {
    functions: num(v['Functions']),
    generationMs: ms(timing['Generation']),
    inliningMs: ms(timing['Inlining']),
    optimizationMs: ms(timing['Optimization']),
    emissionMs: ms(timing['Emission']),
    totalMs: ms(timing['Total']),
  };
}

/**
 * InitPlans and CTE subplans hang under the node that owns them, but run inside whichever node first
 * needs their result: the node whose expressions mention "(InitPlan n)" / "$n", or the CTE Scans that
 * read the CTE. Their time is part of that node's time, so that is where it is subtracted.
 */
function findCharges(nodes: PlanNode[], raws: Record<string, unknown>[]): Charge[] {
  const charges: Charge[] = [];
  const cteScans = new Map<string, number[]>();
  for (const n of nodes) {
    if (n.nodeType === 'CTE Scan' && n.cteName) {
      const list = cteScans.get(n.cteName) ?? [];
      list.push(n.id);
      cteScans.set(n.cteName, list);
    }
  }
  const isDeferred = (n: PlanNode) => n.relationship === 'InitPlan';
  // Time already claimed from a node by charges, so that a second InitPlan does not overdraw it.
  const claimed = new Map<number, number>();
  const available = (id: number): number => {
    const n = nodes[id]!;
    let t = n.inclusiveTime ?? 0;
    for (const c of n.childIds) if (!isDeferred(nodes[c]!)) t -= nodes[c]!.inclusiveTime ?? 0;
    return t - (claimed.get(id) ?? 0);
  };
  const claim = (id: number, ms: number) => claimed.set(id, (claimed.get(id) ?? 0) + ms);
  // Pre-order ids make every subtree a contiguous range [id, id + size).
  const size = new Array<number>(nodes.length).fill(1);
  for (let id = nodes.length - 1; id > 0; id--) size[nodes[id]!.parentId!]! += size[id]!;

  for (const n of nodes) {
    if (!isDeferred(n) || n.parentId === null) continue;
    const time = n.inclusiveTime ?? 0;
    const cte = n.subplanName?.startsWith('CTE ') ? n.subplanName.slice(4) : null;
    if (cte !== null) {
      const scans = cteScans.get(cte) ?? [];
      let left = time;
      const shares: [number, number][] = [];
      for (const s of scans) {
        if (left <= 0) break;
        const take = Math.min(left, Math.max(0, available(s)));
        if (take > 0) {
          shares.push([s, take]);
          claim(s, take);
          left -= take;
        }
      }
      if (!shares.length) {
        charges.push({ source: n.id, target: scans[0] ?? n.parentId, fraction: 1 });
      } else {
        for (const [s, take] of shares) charges.push({ source: n.id, target: s, fraction: time > 0 ? take / time : 1 / shares.length });
      }
      continue;
    }
    // Deepest node under the owner (outside the InitPlan itself) whose expressions use the result.
    const tokens = n.subplanName ? initPlanTokens(n.subplanName) : [];
    let target = n.parentId;
    if (tokens.length) {
      const candidates: number[] = [];
      const matchers = tokens.map(tokenMatcher);
      const end = n.parentId + size[n.parentId]!;
      for (let id = n.parentId; id < end; id++) {
        if (id === n.id) {
          id += size[n.id]! - 1; // skip the InitPlan's own subtree
          continue;
        }
        if (matchers.some((m) => mentions(raws[id]!, m))) candidates.push(id);
      }
      candidates.sort((a, b) => nodes[b]!.depth - nodes[a]!.depth || a - b);
      const fit = candidates.find((c) => available(c) >= time * 0.9);
      if (fit !== undefined) target = fit;
    }
    claim(target, time);
    charges.push({ source: n.id, target, fraction: 1 });
  }
  return charges;
}

function subtractBuffers(into: Buffers, b: Buffers, fraction: number): void {
  for (const [k] of BUFFER_KEYS) into[k] -= b[k] * fraction;
}

function computeExclusive(nodes: PlanNode[], charges: Charge[], analyzed: boolean): void {
  const deferred = new Set(charges.map((c) => c.source));
  for (const n of nodes) {
    let childCost = 0;
    for (const c of n.childIds) {
      const child = nodes[c]!;
      childCost += child.totalCost;
      if (deferred.has(c)) continue;
      if (analyzed && n.exclusiveTime !== null) n.exclusiveTime -= child.inclusiveTime ?? 0;
      if (n.exclusiveBuffers && child.buffers) subtractBuffers(n.exclusiveBuffers, child.buffers, 1);
    }
    n.exclusiveCost = Math.max(0, n.totalCost - childCost);
  }
  for (const c of charges) {
    const target = nodes[c.target]!;
    const source = nodes[c.source]!;
    if (target.exclusiveTime !== null) target.exclusiveTime -= (source.inclusiveTime ?? 0) * c.fraction;
    if (target.exclusiveBuffers && source.buffers) subtractBuffers(target.exclusiveBuffers, source.buffers, c.fraction);
  }
  for (const n of nodes) {
    // Rounding in EXPLAIN's 3-decimal output (and parallel averaging) can dip below zero.
    if (n.exclusiveTime !== null) n.exclusiveTime = Math.max(0, n.exclusiveTime);
    if (n.exclusiveBuffers) for (const [k] of BUFFER_KEYS) n.exclusiveBuffers[k] = Math.max(0, Math.round(n.exclusiveBuffers[k]));
  }
}

/** Never throws: the error message is returned instead. */
export function tryAnalyzePlan(input: unknown, options: AnalyzeOptions = {}):
  { ok: true; analysis: PlanAnalysis } | { ok: false; error: string } {
  try {
    return { ok: true, analysis: analyzePlan(input, options) };
  } catch (err) {
    if (err instanceof PlanInputError) return { ok: false, error: err.message };
    return { ok: false, error: `could not analyse the plan: ${(err as Error).message}` };
  }
}
