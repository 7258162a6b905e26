/**
 * Every number an insight depends on, named. docs/plan-insights.md explains each one; keep them in step.
 */

/** Estimated vs actual rows per loop differ by at least this factor (either direction). */
export const MISESTIMATE_FACTOR = 10;
/** ... and by this factor the insight is critical. */
export const MISESTIMATE_CRITICAL_FACTOR = 1000;
/** Ignore misestimates where both the estimated and the actual total (× loops) stay below this many rows. */
export const MISESTIMATE_MIN_ROWS = 100;

/** A sequential scan reads at least this many rows per loop ... */
export const SEQ_SCAN_MIN_ROWS = 10_000;
/** ... and its filter throws away at least this share of them. */
export const SEQ_SCAN_REMOVED_RATIO = 0.9;

/** A node whose own share of the total time reaches this is critical rather than a warning. */
export const HOT_NODE_SHARE = 0.3;

/** Temp blocks (8 kB) written by a node itself before a spill is worth reporting: 1 MB. */
export const TEMP_SPILL_MIN_BLOCKS = 128;

/** Rows removed by a bitmap heap scan's recheck worth reporting even without lossy blocks. */
export const RECHECK_MIN_ROWS = 10_000;

/** A nested loop's inner sequential scan runs at least this many times ... */
export const NESTED_LOOP_MIN_LOOPS = 100;
/** ... and reads at least this many rows over all loops. */
export const NESTED_LOOP_MIN_ROWS_SCANNED = 100_000;

/** An index-only scan visits the heap at least this many times ... */
export const HEAP_FETCHES_MIN = 1_000;
/** ... for at least this share of the rows it returns. */
export const HEAP_FETCHES_RATIO = 0.1;

/** JIT compilation takes at least this share of the execution time ... */
export const JIT_MIN_SHARE = 0.2;
/** ... and at least this many ms. */
export const JIT_MIN_MS = 10;

/** A trigger takes at least this share of the execution time ... */
export const TRIGGER_MIN_SHARE = 0.1;
/** ... and at least this many ms. */
export const TRIGGER_MIN_MS = 1;

/** A policy-looking function in a scan's filter is evaluated for at least this many rows. */
export const RLS_FUNCTION_MIN_ROWS = 1_000;
/** A correlated SubPlan in a filter runs at least this many times. */
export const SUBPLAN_MIN_LOOPS = 1_000;
