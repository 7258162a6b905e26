/** The RLS simulator's public surface (see simulate.ts). */
export { narrowReport, simulateRls, simulateOn, supabaseApiSchemas, tableKey, type SimulateOptions, type SimulateResult } from './simulate';
export { parseExpectations, checkExpectations, type Expectation } from './expectations';
export { renderText, renderHtml, describeCell, leakLine } from './render';
export { USER_A, USER_B, USER_C } from './world';
export * from './types';
