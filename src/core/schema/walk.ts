import type { AstNode } from '../sql/parse';

/**
 * Visits every object in a parse tree, depth first. Return false from `visit` to skip a node's children.
 * Allocation-free: it runs over every policy and view on every re-analysis.
 */
export function walk(node: unknown, visit: (node: AstNode) => boolean | void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walk(node[i], visit);
    return;
  }
  const obj = node as AstNode;
  if (visit(obj) === false) return;
  for (const key in obj) {
    const child = obj[key];
    if (child !== null && typeof child === 'object') walk(child, visit);
  }
}

/** A tree without its `location` fields, serialised: equal for the same expression written anywhere. */
export function shape(node: unknown): string {
  return JSON.stringify(node ?? null, (k, v) => (k === 'location' ? undefined : v));
}

/**
 * Memoises a pure function of a parse-tree node. Parse trees are cached per statement text and reused
 * by every rebuild, so a result computed once stays valid until the statement's text changes.
 */
export function memoByNode<T>(fn: (node: AstNode) => T): (node: AstNode | undefined, fallback: T) => T {
  const cache = new WeakMap<AstNode, T>();
  return (node, fallback) => {
    if (!node) return fallback;
    let v = cache.get(node);
    if (v === undefined && !cache.has(node)) cache.set(node, (v = fn(node)));
    return v as T;
  };
}
