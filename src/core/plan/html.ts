import type { HostToWebview } from './protocol';
import type { PlanAnalysis } from './types';
import { loadWebviewAssets, type WebviewAssets } from './assets';
import { comparePlans, type PlanComparison } from './compare';

export interface HtmlOptions {
  title?: string;
  /** The bundled app (dist/webview.js + dist/webview.css); read from dist/ when omitted. */
  assets?: WebviewAssets;
  /** Renders compare mode: `compareWith` is the "before" plan, the analysis the "after". */
  compareWith?: PlanAnalysis;
  beforeLabel?: string;
  afterLabel?: string;
  /** The comparison of several runs; computed from the two plans (one run each) when omitted. */
  comparison?: PlanComparison;
  nonce?: string;
}

/** JSON that is safe inside a <script> element: no "</script>", no "<!--", no JS line terminators. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Inline code must not close its element early; `<\/` means the same inside JS strings and regexes. */
const inlineSafe = (code: string, tag: 'script' | 'style') => code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

/**
 * A self-contained HTML report: the panel app and its CSS inlined, the plan embedded as JSON, and a CSP
 * that allows only those two nonce'd elements (no network, no inline handlers, no eval).
 */
export function renderPlanHtml(analysis: PlanAnalysis, options: HtmlOptions = {}): string {
  const assets = options.assets ?? loadWebviewAssets();
  const nonce = options.nonce ?? globalThis.crypto.randomUUID().replace(/-/g, '');
  const title = options.title ?? (options.compareWith ? 'EXPLAIN comparison' : 'EXPLAIN plan');
  const message: HostToWebview = options.compareWith
    ? { type: 'compare', title, before: options.compareWith, after: analysis, beforeLabel: options.beforeLabel ?? 'Before', afterLabel: options.afterLabel ?? 'After',
      comparison: options.comparison ?? comparePlans([options.compareWith], [analysis]) }
    : { type: 'show', title, plan: analysis };
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${inlineSafe(assets.style, 'style')}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="dbe-plan-data">${embedJson(message)}</script>
<script nonce="${nonce}">${inlineSafe(assets.script, 'script')}</script>
</body>
</html>
`;
}
