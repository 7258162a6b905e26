/**
 * The messages between the EXPLAIN panel host (src/vscode/explain/panel.ts) and the webview app
 * (src/webview/). Both sides import these types; nothing else crosses the boundary.
 */
import type { PlanAnalysis } from './types';
import type { PlanComparison } from './compare';

/** Where and how the plan was produced, for the panel's header (so "rows 20,000" is read for what it is). */
export interface RunContext {
  source: 'embedded' | 'connection' | 'file';
  /** "Embedded database built from supabase/migrations, with supabase/seed.sql", "Connection prod (Supabase), read-only". */
  where: string;
  analyzed: boolean;
  /** "role authenticated, claims {"sub":"…"}", or null when it ran as the connection's own user. */
  runAs: string | null;
  /** Caveats from the run ("Not run with ANALYZE: …"). */
  notes: string[];
}

/** On every message: where it ran, and the query's document (kept so a restored panel still acts on it). */
interface Common {
  context?: RunContext;
  source?: string;
}

export type HostToWebview = Common & (
  | { type: 'show'; title: string; plan: PlanAnalysis }
  | { type: 'compare'; title: string; before: PlanAnalysis; after: PlanAnalysis; beforeLabel: string; afterLabel: string; comparison: PlanComparison }
  /** EXPLAIN failed: the server's message, shown instead of the previous plan. */
  | { type: 'error'; message: string; title?: string; query?: string });

export type FixAction = 'copy' | 'insert' | 'migration';

export type WebviewToHost =
  /** The app is loaded and listening: (re)send the current plan. */
  | { type: 'ready' }
  /** "Ask @query-performance": about the worst node (or the one given). */
  | { type: 'ask'; nodeId: number | null }
  /** "Copy plan": the host copies the text rendering. */
  | { type: 'copy' }
  /** "Save plan as JSON": the host asks where and writes EXPLAIN JSON. */
  | { type: 'save' }
  /** An insight's SQL fix: copy it, insert it at the cursor in the query's editor, or save it as a new migration. */
  | { type: 'fix'; action: FixAction; insight: number }
  /** The selection changed (kept so a reloaded panel can restore it). */
  | { type: 'select'; nodeId: number };

export const isWebviewToHost = (m: unknown): m is WebviewToHost => {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as { type?: unknown; nodeId?: unknown; action?: unknown; insight?: unknown };
  if (o.type === 'ask') return o.nodeId === null || typeof o.nodeId === 'number';
  if (o.type === 'select') return typeof o.nodeId === 'number';
  if (o.type === 'fix') return (o.action === 'copy' || o.action === 'insert' || o.action === 'migration') && Number.isInteger(o.insight);
  return o.type === 'ready' || o.type === 'copy' || o.type === 'save';
};
