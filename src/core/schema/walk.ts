import type { AstNode } from '../sql/parse';

/**
 * Visits every object in a parse tree, depth first. Return false from `visit` to skip a node's children.
 * `path` holds the wrapper keys from the root ('SubLink', 'FuncCall', …) so a rule can ask what it is inside.
 */
export function walk(node: unknown, visit: (node: AstNode, path: string[]) => boolean | void, path: string[] = []): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit, path);
    return;
  }
  const obj = node as AstNode;
  if (visit(obj, path) === false) return;
  for (const key of Object.keys(obj)) {
    const child = obj[key];
    if (child !== null && typeof child === 'object') {
      const isWrapper = key.length > 0 && key[0]! >= 'A' && key[0]! <= 'Z';
      walk(child, visit, isWrapper ? [...path, key] : path);
    }
  }
}

/** A tree without its `location` fields, serialised: equal for the same expression written anywhere. */
export function shape(node: unknown): string {
  return JSON.stringify(node ?? null, (k, v) => (k === 'location' ? undefined : v));
}
