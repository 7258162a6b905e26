// The README that goes into the .vsix. VS Code shows it on the extension's page in a webview whose CSP allows
// only `https:` and `data:` images, and our repository URL is not where the pictures are served from, so a
// relative `media/...` image would show as broken there. The packaged copy therefore carries each picture as a
// `data:` URI of a smaller PNG (the page shows them at most about 1000 px wide); the repository's README keeps
// its relative links for GitHub.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePng, encodePng, scaleDown } from './png.mjs';

/** Widest a packaged picture is kept: wide enough for the extension page, small enough for the .vsix. */
export const PACKAGED_IMAGE_WIDTH = 1000;

const MARKDOWN_IMAGE = /(!\[[^\]]*\]\()([^)\s]+)((?:\s+"[^"]*")?\))/g;
const HTML_IMAGE = /(<img\b[^>]*?\ssrc=["'])([^"']+)(["'])/gi;
const REFERENCE_IMAGE = /!\[[^\]]*\]\[[^\]]*\]/g;

/** Every image source in `markdown`: inline Markdown images and `<img src>`; reference-style images are refused. */
export function imageSources(markdown) {
  const refs = markdown.match(REFERENCE_IMAGE);
  if (refs) throw new Error(`reference-style images are not supported in the README (write them inline): ${refs[0]}`);
  return [...markdown.matchAll(MARKDOWN_IMAGE), ...markdown.matchAll(HTML_IMAGE)].map((m) => m[2]);
}

/** The sources the extension page cannot show (anything but `https:` and `data:image/png`/`jpeg`/`gif`/`webp`). */
export function unshowableImages(markdown) {
  return imageSources(markdown).filter((src) => !/^(https:|data:image\/(png|jpeg|gif|webp)[;,])/i.test(src));
}

/**
 * `markdown` (the repository's README, whose relative paths are resolved against `baseDir`) with every relative
 * image replaced by a `data:` URI of a copy at most `maxWidth` wide. Returns the text and what was inlined.
 */
export function packagedReadme(markdown, baseDir, { maxWidth = PACKAGED_IMAGE_WIDTH } = {}) {
  const inlined = [];
  const inline = (src) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return src;
    if (!/\.png$/i.test(src)) throw new Error(`README image ${src}: only PNG pictures can be inlined into the packaged README`);
    const file = join(baseDir, src);
    let original;
    try {
      original = readFileSync(file);
    } catch (err) {
      throw new Error(`README image ${src} cannot be read (${err.code ?? err.message})`);
    }
    const image = decodePng(original, src);
    const small = image.width > maxWidth ? encodePng(scaleDown(image, maxWidth)) : original;
    inlined.push({ src, bytes: small.length, originalBytes: original.length });
    return `data:image/png;base64,${small.toString('base64')}`;
  };
  imageSources(markdown); // refuses reference-style images before anything is written
  const text = markdown
    .replace(MARKDOWN_IMAGE, (_, open, src, close) => `${open}${inline(src)}${close}`)
    .replace(HTML_IMAGE, (_, open, src, close) => `${open}${inline(src)}${close}`);
  const left = unshowableImages(text);
  if (left.length) throw new Error(`the packaged README still has images the extension page cannot show: ${left.join(', ')}`);
  return { text, inlined };
}
