/** A plan input that is neither EXPLAIN JSON nor EXPLAIN text; the message names the problem. */
export class PlanInputError extends Error {
  override name = 'PlanInputError';
}
