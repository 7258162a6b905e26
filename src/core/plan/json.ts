import type { Insight, PlanAnalysis, PlanNode } from './types';
import { planToExplainJson } from './serialize';

/** Version of the `dbe explain --format json` document; bump on any breaking change (docs/plan-json.md). */
export const PLAN_JSON_VERSION = 1;

export interface PlanJsonNode {
  id: number;
  parentId: number | null;
  depth: number;
  childIds: number[];
  nodeType: string;
  label: string;
  relationship: string | null;
  subplanName: string | null;
  relation: string | null;
  schema: string | null;
  alias: string | null;
  indexName: string | null;
  cost: { startup: number; total: number; exclusive: number; share: number };
  time: { inclusiveMs: number; exclusiveMs: number; share: number; inclusiveShare: number; loops: number; perLoopMs: number | null } | null;
  rows: PlanNode['rows'];
  removed: PlanNode['removed'];
  buffers: PlanNode['buffers'];
  exclusiveBuffers: PlanNode['exclusiveBuffers'];
  io: PlanNode['io'];
  conditions: { filter: string | null; joinFilter: string | null; indexCond: string | null; recheckCond: string | null; hashCond: string | null; mergeCond: string | null; sortKey: string[] | null };
}

/** Where the plan came from: the embedded database, a live connection, or a saved plan file (`--plan`). */
export type PlanSource = 'embedded' | 'connection' | 'file';

export interface PlanJsonDocument {
  format: 'dbe-plan';
  version: number;
  /** Null when the caller did not say (a plan handed over by another tool). */
  source: PlanSource | null;
  query: string | null;
  analyzed: boolean;
  timed: boolean;
  planningTime: number | null;
  executionTime: number | null;
  totalTime: number | null;
  totalCost: number;
  summary: { nodes: number; critical: number; warnings: number; info: number; hottestNodeId: number | null };
  settings: Record<string, string>;
  triggers: PlanAnalysis['triggers'];
  jit: PlanAnalysis['jit'];
  nodes: PlanJsonNode[];
  insights: Insight[];
}

/** The flat, stable document (everything but the raw plan). */
export function planDocument(a: PlanAnalysis, source: PlanSource | null = null): PlanJsonDocument {
  let hottest: PlanNode | null = null;
  for (const n of a.nodes) {
    const score = a.timed ? n.exclusiveTime ?? 0 : n.exclusiveCost;
    if (!hottest || score > (a.timed ? hottest.exclusiveTime ?? 0 : hottest.exclusiveCost)) hottest = n;
  }
  return {
    format: 'dbe-plan',
    version: PLAN_JSON_VERSION,
    source,
    query: a.query,
    analyzed: a.analyzed,
    timed: a.timed,
    planningTime: a.planningTime,
    executionTime: a.executionTime,
    totalTime: a.totalTime,
    totalCost: a.totalCost,
    summary: {
      nodes: a.nodes.length,
      critical: a.insights.filter((i) => i.severity === 'critical').length,
      warnings: a.insights.filter((i) => i.severity === 'warning').length,
      info: a.insights.filter((i) => i.severity === 'info').length,
      hottestNodeId: hottest?.id ?? null,
    },
    settings: a.settings,
    triggers: a.triggers,
    jit: a.jit,
    nodes: a.nodes.map((n) => ({
      id: n.id, parentId: n.parentId, depth: n.depth, childIds: n.childIds,
      nodeType: n.nodeType, label: n.label, relationship: n.relationship, subplanName: n.subplanName,
      relation: n.relation, schema: n.schema, alias: n.alias, indexName: n.indexName,
      cost: { startup: n.startupCost, total: n.totalCost, exclusive: n.exclusiveCost, share: n.costShare },
      time: n.inclusiveTime === null ? null : {
        inclusiveMs: n.inclusiveTime, exclusiveMs: n.exclusiveTime ?? 0, share: n.timeShare ?? 0,
        inclusiveShare: n.inclusiveShare ?? 0, loops: n.loops ?? 0, perLoopMs: n.actualTotalTime,
      },
      rows: n.rows, removed: n.removed, buffers: n.buffers, exclusiveBuffers: n.exclusiveBuffers, io: n.io,
      conditions: { filter: n.filter, joinFilter: n.joinFilter, indexCond: n.indexCond, recheckCond: n.recheckCond, hashCond: n.hashCond, mergeCond: n.mergeCond, sortKey: n.sortKey },
    })),
    insights: a.insights,
  };
}

/**
 * `dbe explain --format json`: the document plus `"plan"`, the original EXPLAIN JSON. Returned as text
 * because the raw plan is nested as deep as the plan, which JSON.stringify cannot always handle.
 */
export function planToJson(a: PlanAnalysis, options: { indent?: number; includePlan?: boolean; source?: PlanSource } = {}): string {
  const indent = options.indent ?? 2;
  const doc = JSON.stringify(planDocument(a, options.source ?? null), null, indent || undefined);
  if (options.includePlan === false) return doc;
  const raw = planToExplainJson(a, 0);
  return `${doc.slice(0, doc.lastIndexOf('}')).trimEnd()},${indent ? '\n' + ' '.repeat(indent) : ''}"plan": ${raw}${indent ? '\n' : ''}}`;
}
