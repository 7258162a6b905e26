/**
 * The messages between the EXPLAIN panel host (src/vscode/explain/panel.ts) and the webview app
 * (src/webview/). Both sides import these types; nothing else crosses the boundary.
 */
import type { PlanAnalysis } from './types';

export type HostToWebview =
  | { type: 'show'; title: string; plan: PlanAnalysis }
  | { type: 'compare'; title: string; before: PlanAnalysis; after: PlanAnalysis; beforeLabel: string; afterLabel: string }
  | { type: 'error'; message: string };

export type WebviewToHost =
  /** The app is loaded and listening: (re)send the current plan. */
  | { type: 'ready' }
  /** "Ask @database-engineer to optimize", optionally about the selected node. */
  | { type: 'ask'; nodeId: number | null }
  /** "Copy plan": the host copies the text rendering. */
  | { type: 'copy' }
  /** "Save plan as JSON": the host asks where and writes EXPLAIN JSON. */
  | { type: 'save' }
  /** The selection changed (kept so a reloaded panel can restore it). */
  | { type: 'select'; nodeId: number };

export const isWebviewToHost = (m: unknown): m is WebviewToHost => {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ask') return (m as { nodeId?: unknown }).nodeId === null || typeof (m as { nodeId?: unknown }).nodeId === 'number';
  if (t === 'select') return typeof (m as { nodeId?: unknown }).nodeId === 'number';
  return t === 'ready' || t === 'copy' || t === 'save';
};
