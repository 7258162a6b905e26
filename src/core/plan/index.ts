/** EXPLAIN JSON → plan model, insights and renderings. */
export * from './types';
export { analyzePlan, tryAnalyzePlan, PlanInputError, type AnalyzeOptions } from './analyze';
export * as thresholds from './thresholds';
export { renderPlanText, type TextOptions } from './text';
export { planToJson, planDocument, PLAN_JSON_VERSION, type PlanJsonDocument, type PlanJsonNode, type PlanSource } from './json';
export { planToExplainJson } from './serialize';
export { planSummary } from './summary';
export { renderPlanHtml, embedJson, type HtmlOptions } from './html';
export { loadWebviewAssets, type WebviewAssets } from './assets';
export type { HostToWebview, WebviewToHost, RunContext, FixAction } from './protocol';
export { comparePlans, compareTimes, measureRuns, medianRun, COMPARE_RUNS, renderComparisonText, type PlanComparison, type TimeComparison, type Verdict } from './compare';
export { estimateWords, stopsEarly } from './estimates';
export { rankInsights, worstNode, type RankedInsight } from './advice';
export { planStats, type PlanStats, type ObjectStats } from './stats';
export { parseTextPlan, looksLikeTextPlan } from './psql';
