/** Number formatting shared by insights and the text renderer. */

export function fmtMs(ms: number | null): string {
  if (ms === null) return '–';
  if (ms === 0) return '0 ms';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function fmtCount(n: number | null): string {
  if (n === null) return '–';
  const r = Math.abs(n) >= 10 || Number.isInteger(n) ? Math.round(n) : Math.round(n * 100) / 100;
  return withCommas(r);
}

/** 1234567.5 → "1,234,567.5" (toLocaleString is slow enough to show up on 50,000-node plans). */
function withCommas(n: number): string {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? '.' + frac : ''}`;
}

export const fmtPct = (share: number | null): string =>
  share === null ? '–' : `${(share * 100).toFixed(share >= 0.1 || share === 0 ? 0 : 1)}%`;

export const fmtFactor = (f: number): string => (f >= 100 ? `${withCommas(Math.round(f))}×` : `${f.toFixed(1)}×`);

/** Blocks are 8 kB pages. */
export function fmtBlocks(blocks: number): string {
  const kb = blocks * 8;
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GB`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(1)} MB`;
  return `${kb} kB`;
}

/** A work_mem value at least `kb`, rounded up to a power of two in MB (min 4MB). */
export function workMemFor(kb: number): string {
  let mb = 4;
  while (mb * 1024 < kb) mb *= 2;
  return mb >= 1024 ? `${mb / 1024}GB` : `${mb}MB`;
}
