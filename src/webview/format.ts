export { fmtMs, fmtCount, fmtPct, fmtFactor, fmtBlocks } from '../core/plan/format';
