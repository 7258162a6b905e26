import { htmlPage, newNonce } from '../html';
import type { HostToWebview } from './protocol';
import type { PlanAnalysis } from './types';
import { loadWebviewAssets, type WebviewAssets } from './assets';
import { comparePlans, type PlanComparison } from './compare';
import { packMessage } from './wire';

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


/**
 * A self-contained HTML report: the panel app and its CSS inlined, the plan embedded as JSON, and a CSP
 * that allows only those two nonce'd elements (no network, no inline handlers, no eval).
 */
export function renderPlanHtml(analysis: PlanAnalysis, options: HtmlOptions = {}): string {
  const assets = options.assets ?? loadWebviewAssets();
  const nonce = options.nonce ?? newNonce();
  const title = options.title ?? (options.compareWith ? 'EXPLAIN comparison' : 'EXPLAIN plan');
  const message: HostToWebview = options.compareWith
    ? { type: 'compare', title, before: options.compareWith, after: analysis, beforeLabel: options.beforeLabel ?? 'Before', afterLabel: options.afterLabel ?? 'After',
      comparison: options.comparison ?? comparePlans([options.compareWith], [analysis]) }
    : { type: 'show', title, plan: analysis };
  return htmlPage({
    title,
    nonce,
    style: assets.style,
    script: assets.script,
    images: true,
    body: `<div id="app"></div>\n<script type="application/json" id="dbe-plan-data">${embedJson(packMessage(message))}</script>`,
  });
}
