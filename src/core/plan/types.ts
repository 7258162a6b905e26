/**
 * The plan model: EXPLAIN (FORMAT JSON) output turned into a flat list of nodes with derived metrics.
 * Flat (ids + parent/child ids) rather than nested so that a 50,000-node plan can be walked, serialised
 * and posted to a webview without deep recursion anywhere.
 */

/** Block counters as EXPLAIN (BUFFERS) reports them. Blocks are 8 kB pages by default. */
export interface Buffers {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  localDirtied: number;
  localWritten: number;
  tempRead: number;
  tempWritten: number;
}

/** I/O timings in ms (track_io_timing): PostgreSQL ≤ 16 reports shared+local as "I/O Read/Write Time". */
export interface IoTimings {
  sharedRead: number;
  sharedWrite: number;
  localRead: number;
  localWrite: number;
  tempRead: number;
  tempWrite: number;
}

export type MisestimateDirection = 'under' | 'over' | 'exact';

export interface RowMetrics {
  /** Planner's estimate per loop ("Plan Rows"). */
  estimated: number;
  /** Actual rows per loop ("Actual Rows"), null when not analysed or never executed. */
  actual: number | null;
  /** Estimate × loops, the planner's idea of all rows this node would emit over the query. */
  estimatedTotal: number;
  /** Actual rows × loops: everything this node emitted. */
  actualTotal: number | null;
  /** max/min of estimate and actual per loop (each floored at 1). */
  factor: number | null;
  /** 'under': more rows came than planned; 'over': fewer; 'exact': the same number. */
  direction: MisestimateDirection | null;
  /** The difference is worth a flag: factor ≥ 10, totals apart by ≥ 100 rows, and not a node that stops early by design. */
  misestimated: boolean;
  /** Why fewer rows than planned are expected here (under a Limit, inner side of a semi join, …), or null. */
  stopsEarly: string | null;
}

export interface RemovedRows {
  /** Totals over all loops (EXPLAIN prints per-loop averages; they are multiplied back). */
  filter: number;
  joinFilter: number;
  indexRecheck: number;
}

export interface PlanNode {
  /** 0-based, pre-order: a parent's id is always smaller than its children's. */
  id: number;
  parentId: number | null;
  depth: number;
  childIds: number[];
  nodeType: string;
  /** One-line description: "Index Scan using orders_pkey on public.orders o". */
  label: string;
  /** "Outer", "Inner", "InitPlan", "SubPlan", "Member", "Subquery" ... */
  relationship: string | null;
  /** "InitPlan 1", "SubPlan 2", "CTE big" (PostgreSQL ≤ 17 adds "(returns $0)"). */
  subplanName: string | null;
  relation: string | null;
  schema: string | null;
  alias: string | null;
  indexName: string | null;
  cteName: string | null;
  functionName: string | null;
  joinType: string | null;
  strategy: string | null;
  parallelAware: boolean;

  filter: string | null;
  joinFilter: string | null;
  indexCond: string | null;
  recheckCond: string | null;
  hashCond: string | null;
  mergeCond: string | null;
  sortKey: string[] | null;

  startupCost: number;
  totalCost: number;
  /** Total cost minus the children's total cost (never below 0): the planner's view of this node's own work. */
  exclusiveCost: number;
  /** exclusiveCost / root total cost. */
  costShare: number;

  /** True when the plan was analysed and this node ran at least once. */
  executed: boolean;
  loops: number | null;
  /** As reported: average per loop, in ms. */
  actualStartupTime: number | null;
  actualTotalTime: number | null;
  /** Wall-clock ms spent in this node and its children: total time × loops, divided across parallel processes. */
  inclusiveTime: number | null;
  /** inclusiveTime minus children's (InitPlans/CTEs charged to the node that evaluates them). */
  exclusiveTime: number | null;
  /** exclusiveTime / plan total time. */
  timeShare: number | null;
  /** inclusiveTime / plan total time. */
  inclusiveShare: number | null;

  rows: RowMetrics;
  removed: RemovedRows;
  heapFetches: number | null;
  exactHeapBlocks: number | null;
  lossyHeapBlocks: number | null;
  /** Parallel processes dividing this node's loops (1 outside a Gather). */
  parallelProcesses: number;
  workersPlanned: number | null;
  workersLaunched: number | null;

  /** As reported: this node plus its children. Null when BUFFERS was not requested. */
  buffers: Buffers | null;
  /** This node's own blocks: its buffers minus its children's (never below 0). */
  exclusiveBuffers: Buffers | null;
  io: IoTimings | null;

  sort: { method: string | null; spaceUsedKb: number | null; spaceType: string | null } | null;
  hash: { buckets: number | null; batches: number | null; originalBatches: number | null; peakMemoryKb: number | null } | null;

  /** The node's raw EXPLAIN fields, without "Plans". */
  fields: Record<string, unknown>;
}

export type InsightSeverity = 'critical' | 'warning' | 'info';

export type InsightKind =
  | 'misestimate'
  | 'seq-scan-filter'
  | 'index-scan-filter'
  | 'sort-spill'
  | 'hash-spill'
  | 'temp-spill'
  | 'lossy-bitmap'
  | 'nested-loop-seq-scan'
  | 'heap-fetches'
  | 'jit-overhead'
  | 'slow-trigger'
  | 'rls-per-row-function'
  | 'rls-subplan-filter';

export interface Insight {
  kind: InsightKind;
  /** The node it is about; null for plan-wide insights (JIT, triggers). */
  nodeId: number | null;
  severity: InsightSeverity;
  title: string;
  /** Why it matters, with the numbers. */
  detail: string;
  /** A concrete change: an index statement, a rewrite or a setting. */
  fix: string;
  /** Ready-to-run SQL when the fix is one statement (CREATE INDEX, SET, VACUUM). */
  sql: string | null;
}

export interface TriggerTiming {
  name: string;
  /** Set for constraint triggers (foreign keys). */
  constraint: string | null;
  relation: string | null;
  timeMs: number;
  calls: number;
}

export interface JitTiming {
  functions: number | null;
  generationMs: number | null;
  inliningMs: number | null;
  optimizationMs: number | null;
  emissionMs: number | null;
  totalMs: number | null;
}

export interface PlanAnalysis {
  /** The query text, when the caller knows it ("Query Text" from auto_explain is used otherwise). */
  query: string | null;
  /** True when the plan carries actual times (EXPLAIN ANALYZE). */
  analyzed: boolean;
  /** True when actual times are present (EXPLAIN ANALYZE without TIMING OFF); shares are of time, else of cost. */
  timed: boolean;
  hasBuffers: boolean;
  planningTime: number | null;
  executionTime: number | null;
  /** Denominator of timeShare: the root's inclusive time (ms), or null when not analysed. */
  totalTime: number | null;
  totalCost: number;
  nodes: PlanNode[];
  insights: Insight[];
  triggers: TriggerTiming[];
  jit: JitTiming | null;
  settings: Record<string, string>;
  planningBuffers: Buffers | null;
  /** The top-level object EXPLAIN returned, without "Plan" (its node fields live on each node). */
  extras: Record<string, unknown>;
}
