/** Per table and per index: how much of the plan each accounts for (PEV2's "Stats" view, for the panel). */
import type { PlanAnalysis, PlanNode } from './types';

export interface ObjectStats {
  /** "public.documents" or an index name. */
  name: string;
  /** Node ids that read it. */
  nodes: number[];
  /** Exclusive time (ms) summed; null without timing. */
  timeMs: number | null;
  /** Share of the plan's total time (or of the cost without timing). */
  share: number;
  /** Rows returned over all loops (estimated totals without ANALYZE). */
  rows: number;
  loops: number;
  /** Shared blocks hit + read by these nodes themselves; null without BUFFERS. */
  sharedBlocks: number | null;
  /** Shared blocks read from outside PostgreSQL's cache. */
  sharedRead: number | null;
}

export interface PlanStats {
  tables: ObjectStats[];
  indexes: ObjectStats[];
}

function add(map: Map<string, ObjectStats>, name: string, a: PlanAnalysis, n: PlanNode): void {
  const s = map.get(name) ?? map.set(name, { name, nodes: [], timeMs: a.timed ? 0 : null, share: 0, rows: 0, loops: 0, sharedBlocks: a.hasBuffers ? 0 : null, sharedRead: a.hasBuffers ? 0 : null }).get(name)!;
  s.nodes.push(n.id);
  if (s.timeMs !== null) s.timeMs += n.exclusiveTime ?? 0;
  s.share += a.timed ? n.timeShare ?? 0 : n.costShare;
  s.rows += n.rows.actualTotal ?? n.rows.estimatedTotal;
  s.loops += n.loops ?? 1;
  if (s.sharedBlocks !== null && n.exclusiveBuffers) {
    s.sharedBlocks += n.exclusiveBuffers.sharedHit + n.exclusiveBuffers.sharedRead;
    s.sharedRead! += n.exclusiveBuffers.sharedRead;
  }
}

/** Sorted by share, largest first. */
export function planStats(a: PlanAnalysis): PlanStats {
  const tables = new Map<string, ObjectStats>();
  const indexes = new Map<string, ObjectStats>();
  for (const n of a.nodes) {
    if (n.relation) add(tables, n.schema ? `${n.schema}.${n.relation}` : n.relation, a, n);
    if (n.indexName) add(indexes, n.indexName, a, n);
  }
  const sorted = (m: Map<string, ObjectStats>) => [...m.values()].sort((x, y) => y.share - x.share || x.name.localeCompare(y.name));
  return { tables: sorted(tables), indexes: sorted(indexes) };
}
