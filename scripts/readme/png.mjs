// Just enough PNG to shrink the README's screenshots at packaging time with no image tool installed: decode
// 8-bit, non-interlaced greyscale/RGB/RGBA (what Chromium's screenshots and our icon are), scale down by area
// averaging, encode again with a per-row filter choice and maximum deflate. Anything else is refused by name.
import { deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 }; // colour type → samples per pixel

/** An 8-bit RGBA image: { width, height, data } with data.length === width * height * 4. */
export function decodePng(buf, name = 'the image') {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error(`${name} is not a PNG file`);
  let header;
  const idat = [];
  for (let at = 8; at < buf.length;) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const body = buf.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8], colour: body[9], interlace: body[12] };
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  if (!header) throw new Error(`${name} has no IHDR chunk`);
  const channels = CHANNELS[header.colour];
  if (header.depth !== 8 || !channels || header.interlace !== 0) {
    throw new Error(`${name}: only 8-bit non-interlaced grey/RGB/RGBA PNGs are supported (depth ${header.depth}, colour type ${header.colour}, interlace ${header.interlace})`);
  }
  const { width, height } = header;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = unfilter(raw, width, height, channels);
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = y * stride + x * channels;
      const d = (y * width + x) * 4;
      if (channels <= 2) {
        data[d] = data[d + 1] = data[d + 2] = rows[s];
        data[d + 3] = channels === 2 ? rows[s + 1] : 255;
      } else {
        data[d] = rows[s]; data[d + 1] = rows[s + 1]; data[d + 2] = rows[s + 2];
        data[d + 3] = channels === 4 ? rows[s + 3] : 255;
      }
    }
  }
  return { width, height, data };
}

/** Undoes the per-row filters (PNG spec, section 9) into one buffer of rows without filter bytes. */
function unfilter(raw, width, height, bpp) {
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[row + i - bpp] : 0;
      const b = y > 0 ? out[prev + i] : 0;
      const c = y > 0 && i >= bpp ? out[prev + i - bpp] : 0;
      const v = raw[src + i];
      switch (type) {
        case 0: out[row + i] = v; break;
        case 1: out[row + i] = v + a; break;
        case 2: out[row + i] = v + b; break;
        case 3: out[row + i] = v + ((a + b) >> 1); break;
        case 4: out[row + i] = v + paeth(a, b, c); break;
        default: throw new Error(`unknown PNG filter type ${type} in row ${y}`);
      }
    }
  }
  return out;
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
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

/** Encodes `img` as RGB (when fully opaque) or RGBA, choosing each row's filter by the smallest sum of residuals. */
export function encodePng(img) {
  const { width, height, data } = img;
  let opaque = true;
  for (let i = 3; i < data.length && opaque; i += 4) opaque = data[i] === 255;
  const bpp = opaque ? 3 : 4;
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  for (let p = 0, d = 0; p < width * height; p++) {
    for (let k = 0; k < bpp; k++) pixels[d++] = data[p * 4 + k];
  }
  const out = Buffer.alloc((stride + 1) * height);
  const candidate = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = y * stride, prev = row - stride;
    let best = Infinity;
    for (let type = 0; type <= 4; type++) {
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? pixels[row + i - bpp] : 0;
        const b = y > 0 ? pixels[prev + i] : 0;
        const c = y > 0 && i >= bpp ? pixels[prev + i - bpp] : 0;
        const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
        const v = (pixels[row + i] - predictor) & 0xff;
        candidate[i] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < best) {
        best = cost;
        out[y * (stride + 1)] = type;
        candidate.copy(out, y * (stride + 1) + 1);
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = opaque ? 2 : 6;
  return Buffer.concat([
    SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(out, { level: 9, memLevel: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, body) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

let crcTable;
function crc32(buf) {
  crcTable ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
