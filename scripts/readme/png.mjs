// The README's screenshots, shrunk at packaging time: pngjs (pure JavaScript, a dev dependency) reads and writes
// the PNG files; the scaling is ours, by area averaging, which keeps the screenshots' small text legible.
import pngjs from 'pngjs';

const { PNG } = pngjs;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An 8-bit RGBA image: { width, height, data } with data.length === width * height * 4. */
export function decodePng(buf, name = 'the image') {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error(`${name} is not a PNG file`);
  try {
    const { width, height, data } = PNG.sync.read(buf);
    return { width, height, data };
  } catch (err) {
    throw new Error(`${name} cannot be decoded as a PNG: ${err.message}`);
  }
}

/** Scales `img` down to `width` (keeping the aspect ratio) by averaging the source pixels each target pixel covers. */
export function scaleDown(img, width) {
  if (width >= img.width) return img;
  const height = Math.max(1, Math.round((img.height * width) / img.width));
  const data = Buffer.alloc(width * height * 4);
  const fx = img.width / width, fy = img.height / height;
  const sum = new Float64Array(4);
  for (let y = 0; y < height; y++) {
    const y0 = y * fy, y1 = y0 + fy;
    for (let x = 0; x < width; x++) {
      const x0 = x * fx, x1 = x0 + fx;
      sum.fill(0);
      let area = 0;
      for (let sy = Math.floor(y0); sy < Math.min(Math.ceil(y1), img.height); sy++) {
        const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
        for (let sx = Math.floor(x0); sx < Math.min(Math.ceil(x1), img.width); sx++) {
          const w = wy * (Math.min(x1, sx + 1) - Math.max(x0, sx));
          const s = (sy * img.width + sx) * 4;
          for (let k = 0; k < 4; k++) sum[k] += img.data[s + k] * w;
          area += w;
        }
      }
      const d = (y * width + x) * 4;
      for (let k = 0; k < 4; k++) data[d + k] = Math.round(sum[k] / area);
    }
  }
  return { width, height, data };
}

/** Encodes `img` as RGB when fully opaque, else RGBA, at maximum compression with each row's best filter. */
export function encodePng(img) {
  let opaque = true;
  for (let i = 3; i < img.data.length && opaque; i += 4) opaque = img.data[i] === 255;
  return PNG.sync.write(img, { colorType: opaque ? 2 : 6, inputColorType: 6, inputHasAlpha: true, deflateLevel: 9, deflateStrategy: 0, filterType: -1 });
}
