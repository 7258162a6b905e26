/**
 * The one HTML page shell. Every page we render (the EXPLAIN panel, the standalone plan and RLS reports, the RLS
 * matrix webview) gets the same strict Content-Security-Policy: nothing loads or runs but the nonce'd style and
 * script the page itself carries (or the extension's own files, through a webview's `cspSource`), and every
 * database name reaches the page through `escapeHtml`, as text.
 */

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const newNonce = (): string => globalThis.crypto.randomUUID().replace(/-/g, '');

export interface PageOptions {
  title: string;
  nonce: string;
  /** Markup inside <body>, already escaped by its author. */
  body: string;
  /** A webview's `cspSource`: lets the page load the extension's own files (`styleHref`, `scriptSrc`, images). */
  cspSource?: string;
  styleHref?: string;
  scriptSrc?: string;
  /** Inline CSS and JS; made safe against closing their element early. */
  style?: string;
  script?: string;
  /** Whether the page shows images (data: URIs, or the extension's files). */
  images?: boolean;
  bodyAttributes?: string;
}

/** The CSP for a page: script only when it has one, styles and images only from itself (or the extension). */
export function contentSecurityPolicy(o: Pick<PageOptions, 'nonce' | 'cspSource' | 'images'> & { scripts: boolean }): string {
  const own = o.cspSource ? `${o.cspSource} ` : '';
  return [
    "default-src 'none'",
    ...(o.scripts ? [`script-src 'nonce-${o.nonce}'`] : []),
    `style-src ${own}'nonce-${o.nonce}'`,
    ...(o.images ? [`img-src ${own}data:`] : []),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Inline code must not close its element early; `<\/` means the same inside JS strings and regexes. */
const inlineSafe = (code: string, tag: 'script' | 'style') => code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

export function htmlPage(o: PageOptions): string {
  const csp = contentSecurityPolicy({ ...o, scripts: Boolean(o.script ?? o.scriptSrc) });
  const head = [
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(o.title)}</title>`,
    ...(o.styleHref ? [`<link rel="stylesheet" href="${o.styleHref}" nonce="${o.nonce}">`] : []),
    ...(o.style !== undefined ? [`<style nonce="${o.nonce}">${inlineSafe(o.style, 'style')}</style>`] : []),
  ];
  const scripts = [
    ...(o.scriptSrc ? [`<script nonce="${o.nonce}" src="${o.scriptSrc}"></script>`] : []),
    ...(o.script !== undefined ? [`<script nonce="${o.nonce}">${inlineSafe(o.script, 'script')}</script>`] : []),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
${head.join('\n')}
</head>
<body${o.bodyAttributes ? ` ${o.bodyAttributes}` : ''}>
${o.body}
${scripts.join('\n')}
</body>
</html>
`;
}
