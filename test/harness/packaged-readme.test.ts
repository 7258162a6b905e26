// The README packaged into the .vsix: the extension page's webview shows only `https:` and `data:` images, so
// every picture of the repository's README must arrive there inlined, smaller, and still a valid PNG.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Image = { width: number; height: number; data: Buffer };
type Readme = {
  PACKAGED_IMAGE_WIDTH: number;
  imageSources(md: string): string[];
  unshowableImages(md: string): string[];
  packagedReadme(md: string, baseDir: string, opts?: { maxWidth?: number }): { text: string; inlined: { src: string; bytes: number; originalBytes: number }[] };
};
type Png = { decodePng(b: Buffer, name?: string): Image; encodePng(i: Image): Buffer; scaleDown(i: Image, w: number): Image };

const root = join(__dirname, '..', '..');
const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(join(root, rel)).href)) as T;

describe('packaged README', () => {
  it("inlines every picture of the repository's README as a smaller PNG data URI", async () => {
    const { packagedReadme, imageSources, unshowableImages, PACKAGED_IMAGE_WIDTH } = await load<Readme>('scripts/readme/packaged-readme.mjs');
    const { decodePng } = await load<Png>('scripts/readme/png.mjs');
    const source = readFileSync(join(root, 'README.md'), 'utf8');
    const relative = imageSources(source).filter((s) => !/^[a-z]+:/i.test(s));
    assert.ok(relative.length >= 5, `the README should show its screenshots (found ${relative.length} relative images)`);

    const { text, inlined } = packagedReadme(source, root);
    assert.deepEqual(unshowableImages(text), []);
    const sources = imageSources(text);
    assert.equal(sources.length, imageSources(source).length, 'no picture lost');
    assert.deepEqual(inlined.map((i) => i.src), relative);
    for (const src of sources) {
      const png = Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64');
      const image = decodePng(png);
      assert.ok(image.width <= PACKAGED_IMAGE_WIDTH, `${image.width} px wide`);
    }
    const screenshots = inlined.filter((i) => i.src.startsWith('media/screenshots/'));
    for (const s of screenshots) assert.ok(s.bytes < s.originalBytes * 0.9, `${s.src}: ${s.bytes} of ${s.originalBytes} bytes`);
    // The text around the pictures is unchanged.
    assert.equal(text.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, 'IMG'), source.replace(/(media\/[\w/.-]+\.png)/g, 'IMG'));
  });

  it('names the pictures the extension page cannot show, and refuses what it cannot inline', async () => {
    const { packagedReadme, unshowableImages } = await load<Readme>('scripts/readme/packaged-readme.mjs');
    const md = '![a](https://example.com/a.png)\n![b](media/b.png)\n<img src="http://x/c.png">\n![d](data:image/svg+xml;base64,AA==)';
    assert.deepEqual(unshowableImages(md), ['media/b.png', 'data:image/svg+xml;base64,AA==', 'http://x/c.png']);
    const dir = mkdtempSync(join(tmpdir(), 'dbe-readme-'));
    try {
      assert.throws(() => packagedReadme('![x](missing.png)', dir), /README image missing\.png cannot be read \(ENOENT\)/);
      assert.throws(() => packagedReadme('![x](pic.gif)', dir), /only PNG pictures can be inlined/);
      assert.throws(() => packagedReadme('![x][ref]\n\n[ref]: a.png', dir), /reference-style images are not supported/);
      writeFileSync(join(dir, 'pic.png'), 'not a png');
      assert.throws(() => packagedReadme('![x](pic.png)', dir), /pic\.png is not a PNG file/);
      assert.throws(() => packagedReadme('![x](http://example.com/x.png)', dir), /cannot show: http:\/\/example\.com\/x\.png/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scales a PNG down by averaging and round-trips it losslessly', async () => {
    const { decodePng, encodePng, scaleDown } = await load<Png>('scripts/readme/png.mjs');
    // 4×2 RGBA: left half black, right half white, one translucent pixel.
    const data = Buffer.alloc(4 * 2 * 4);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) {
      const v = x < 2 ? 0 : 255;
      data.set([v, v, v, 255], (y * 4 + x) * 4);
    }
    data[3] = 128;
    const image = { width: 4, height: 2, data };
    assert.deepEqual(decodePng(encodePng(image)), image);
    const half = scaleDown(image, 2);
    assert.equal(half.width, 2);
    assert.equal(half.height, 1);
    assert.deepEqual([...half.data], [0, 0, 0, Math.round((128 + 255 * 3) / 4), 255, 255, 255, 255]);
    // Opaque images are written as RGB, and decode to the same pixels.
    const opaque = { width: 2, height: 1, data: Buffer.from([10, 20, 30, 255, 40, 50, 60, 255]) };
    const png = encodePng(opaque);
    assert.equal(png[25], 2, 'colour type RGB');
    assert.deepEqual(decodePng(png), opaque);
  });
});
