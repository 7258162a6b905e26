import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The bundled panel app, inlined by renderPlanHtml. */
export interface WebviewAssets {
  script: string;
  style: string;
}

/**
 * Reads dist/webview.js and dist/webview.css (built by scripts/build.mjs). The one place in plan/ that
 * touches the disk. Looks beside the running bundle (dist/cli.js) and then up from the source tree.
 */
export function loadWebviewAssets(distDir?: string): WebviewAssets {
  const candidates: string[] = [];
  if (distDir) candidates.push(distDir);
  candidates.push(__dirname);
  for (let d = __dirname, i = 0; i < 6; i++, d = dirname(d)) candidates.push(join(d, 'dist'));
  for (const dir of candidates) {
    const script = join(dir, 'webview.js');
    if (existsSync(script)) {
      const css = join(dir, 'webview.css');
      return { script: readFileSync(script, 'utf8'), style: existsSync(css) ? readFileSync(css, 'utf8') : '' };
    }
  }
  throw new Error('the EXPLAIN report needs the webview bundle dist/webview.js, which is missing: run `npm run build` first');
}
