/** EXPLAIN JSON → plan model, insights and renderings. */
export * from './types';
export { analyzePlan, tryAnalyzePlan, PlanInputError, type AnalyzeOptions } from './analyze';
export * as thresholds from './thresholds';
