/**
 * How a HostToWebview message crosses into the webview: one JSON string in which each plan node is an array of
 * values in a fixed key order (the keys written once) and raw EXPLAIN field names are interned. A 50,000-node
 * plan is about 3.5× smaller than its plain JSON, and one string is copied between the editor's frames where an
 * object graph would be structurally cloned field by field (seconds at that size). The standalone report embeds
 * the same packed form.
 */
import type { HostToWebview } from './protocol';
import type { Buffers, IoTimings, PlanAnalysis, PlanNode, RemovedRows, RowMetrics } from './types';

const WIRE_VERSION = 1;

/** Every PlanNode key, in wire order; the type check below fails when PlanNode gains a key this list lacks. */
const NODE_KEYS = [
  'id', 'parentId', 'depth', 'childIds', 'nodeType', 'label', 'relationship', 'subplanName', 'relation', 'schema',
  'alias', 'indexName', 'cteName', 'functionName', 'joinType', 'strategy', 'parallelAware', 'filter', 'joinFilter',
  'indexCond', 'recheckCond', 'hashCond', 'mergeCond', 'sortKey', 'startupCost', 'totalCost', 'exclusiveCost',
  'costShare', 'executed', 'loops', 'actualStartupTime', 'actualTotalTime', 'inclusiveTime', 'exclusiveTime',
  'timeShare', 'inclusiveShare', 'rows', 'removed', 'heapFetches', 'exactHeapBlocks', 'lossyHeapBlocks',
  'parallelProcesses', 'workersPlanned', 'workersLaunched', 'buffers', 'exclusiveBuffers', 'io', 'sort', 'hash',
  'fields',
] as const satisfies readonly (keyof PlanNode)[];
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
const nodeKeysComplete: Missing<keyof PlanNode, (typeof NODE_KEYS)[number]> = true;
void nodeKeysComplete;

/** Nested records packed as value arrays too (they are on every node); `sort` and `hash` are rare and stay objects. */
const ROW_KEYS = ['estimated', 'actual', 'estimatedTotal', 'actualTotal', 'factor', 'direction', 'misestimated', 'stopsEarly'] as const satisfies readonly (keyof RowMetrics)[];
const REMOVED_KEYS = ['filter', 'joinFilter', 'indexRecheck'] as const satisfies readonly (keyof RemovedRows)[];
const BUFFER_KEYS = ['sharedHit', 'sharedRead', 'sharedDirtied', 'sharedWritten', 'localHit', 'localRead', 'localDirtied', 'localWritten', 'tempRead', 'tempWritten'] as const satisfies readonly (keyof Buffers)[];
const IO_KEYS = ['sharedRead', 'sharedWrite', 'localRead', 'localWrite', 'tempRead', 'tempWrite'] as const satisfies readonly (keyof IoTimings)[];
const rowKeysComplete: Missing<keyof RowMetrics, (typeof ROW_KEYS)[number]> = true;
const removedKeysComplete: Missing<keyof RemovedRows, (typeof REMOVED_KEYS)[number]> = true;
const bufferKeysComplete: Missing<keyof Buffers, (typeof BUFFER_KEYS)[number]> = true;
const ioKeysComplete: Missing<keyof IoTimings, (typeof IO_KEYS)[number]> = true;
void [rowKeysComplete, removedKeysComplete, bufferKeysComplete, ioKeysComplete];

const NESTED: Partial<Record<keyof PlanNode, readonly string[]>> = {
  rows: ROW_KEYS, removed: REMOVED_KEYS, buffers: BUFFER_KEYS, exclusiveBuffers: BUFFER_KEYS, io: IO_KEYS,
};

export interface PackedPlan {
  /** Everything but the nodes, as is. */
  plan: Omit<PlanAnalysis, 'nodes'>;
  /** One array per node, values in NODE_KEYS order; `fields` as [name index, value, name index, value, …]. */
  nodes: unknown[][];
  /** The raw EXPLAIN field names, each once. */
  fieldNames: string[];
}

type PlanKey = 'plan' | 'before' | 'after';

/** The message with each plan packed; `v` lets a webview from another build refuse it clearly. */
export type PackedMessage = { v: number; message: Record<string, unknown>; plans: Partial<Record<PlanKey, PackedPlan>> };

function packValues(record: Record<string, unknown> | null, keys: readonly string[]): unknown[] | null {
  if (record === null) return null;
  const out = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = record[keys[i]!];
  return out;
}

function unpackValues(values: unknown[] | null, keys: readonly string[]): Record<string, unknown> | null {
  if (values === null) return null;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = values[i];
  return out;
}

/** Per NODE_KEYS index: the nested record's keys, 'fields', or null for a value copied as is. */
const KINDS: (readonly string[] | 'fields' | null)[] = NODE_KEYS.map((k) => NESTED[k] ?? (k === 'fields' ? 'fields' : null));

export function packPlan(a: PlanAnalysis): PackedPlan {
  const { nodes, ...plan } = a;
  const names = new Map<string, number>();
  const packed = new Array<unknown[]>(nodes.length);
  const width = NODE_KEYS.length;
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n] as unknown as Record<string, unknown>;
    const row = new Array<unknown>(width);
    for (let i = 0; i < width; i++) {
      const value = node[NODE_KEYS[i]!];
      const kind = KINDS[i];
      if (kind === null) row[i] = value;
      else if (kind === 'fields') {
        const pairs: unknown[] = [];
        for (const name in value as Record<string, unknown>) {
          let index = names.get(name);
          if (index === undefined) names.set(name, (index = names.size));
          pairs.push(index, (value as Record<string, unknown>)[name]);
        }
        row[i] = pairs;
      } else row[i] = packValues(value as Record<string, unknown> | null, kind);
    }
    packed[n] = row;
  }
  return { plan, nodes: packed, fieldNames: [...names.keys()] };
}

/**
 * A node read from its packed row on demand: the webview touches a few hundred of 50,000 nodes when it opens
 * (the rows in view, the nodes insights name), so building every node object up front is wasted time and
 * garbage. Property reads are prototype getters; nested records and `fields` are built on first read and kept.
 * toJSON gives the plain node, so the webview's saved state and Raw JSON see ordinary objects.
 */
class WireNode {
  private cache: Record<string, unknown> | undefined;
  constructor(private readonly row: unknown[], private readonly fieldNames: string[]) {}

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of NODE_KEYS) out[key] = (this as unknown as Record<string, unknown>)[key];
    return out;
  }

  /** A nested record or `fields`, decoded once. */
  decoded(key: string, index: number): unknown {
    const cache = (this.cache ??= {});
    if (key in cache) return cache[key];
    const nested = NESTED[key as keyof PlanNode];
    let value: unknown;
    if (nested) value = unpackValues(this.row[index] as unknown[] | null, nested);
    else {
      const pairs = this.row[index] as unknown[];
      const fields: Record<string, unknown> = {};
      for (let k = 0; k < pairs.length; k += 2) fields[this.fieldNames[pairs[k] as number]!] = pairs[k + 1];
      value = fields;
    }
    return (cache[key] = value);
  }
}
NODE_KEYS.forEach((key, index) => {
  const get = NESTED[key] || key === 'fields'
    ? function (this: WireNode) { return this.decoded(key, index); }
    : function (this: WireNode) { return (this as unknown as { row: unknown[] }).row[index]; };
  Object.defineProperty(WireNode.prototype, key, { get, enumerable: true });
});

export function unpackPlan(p: PackedPlan): PlanAnalysis {
  const nodes = new Array<PlanNode>(p.nodes.length);
  for (let n = 0; n < p.nodes.length; n++) nodes[n] = new WireNode(p.nodes[n]!, p.fieldNames) as unknown as PlanNode;
  return { ...p.plan, nodes };
}

const PLAN_KEYS: PlanKey[] = ['plan', 'before', 'after'];

export function packMessage(m: HostToWebview): PackedMessage {
  const message: Record<string, unknown> = { ...m };
  const plans: PackedMessage['plans'] = {};
  for (const key of PLAN_KEYS) {
    if (!(key in message)) continue;
    plans[key] = packPlan(message[key] as PlanAnalysis);
    delete message[key];
  }
  return { v: WIRE_VERSION, message, plans };
}

/** The string to post to the webview (or embed in a report). */
export const encodeMessage = (m: HostToWebview): string => JSON.stringify(packMessage(m));

/** A packed message back to what the host sent; an error (not a throw) for anything else. */
export function unpackMessage(p: unknown): HostToWebview | Error {
  const packed = p as Partial<PackedMessage> | null;
  if (typeof packed !== 'object' || packed === null || typeof packed.message !== 'object' || packed.message === null) return new Error('not a packed plan message');
  if (packed.v !== WIRE_VERSION) return new Error(`plan message format ${String(packed.v)} is not the one this panel reads (${WIRE_VERSION}): reload the window`);
  const message: Record<string, unknown> = { ...packed.message };
  for (const key of PLAN_KEYS) {
    const plan = packed.plans?.[key];
    if (plan) message[key] = unpackPlan(plan);
  }
  return message as unknown as HostToWebview;
}
