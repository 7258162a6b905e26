/**
 * What to offer after an answer: follow-up questions (VS Code shows them under the reply). Decided here, from
 * what the turn did, so the editor only renders them.
 */

export type FollowupHint = 'explain' | 'migration' | 'review' | 'rls';

export interface TurnFacts {
  /** The slash command the user ran (`rls`, `review`, …), if any. */
  command?: string | undefined;
  /** The answer holds a SQL block. */
  hasSql: boolean;
  /** The turn already ran EXPLAIN on a query. */
  explained: boolean;
  /** Migrations the agent proposed. */
  proposals: number;
  /** Tools the agent called, in order. */
  tools: readonly string[];
}

/**
 * The follow-ups worth offering: explain a query it has not explained, turn SQL into a migration, review a
 * proposed migration, check row level security once the schema was read. Never the command just run
 * (after `/rls`, "Check row level security" again would repeat it).
 */
export function followupHints(t: TurnFacts): FollowupHint[] {
  const hints: FollowupHint[] = [];
  if (t.hasSql && !t.explained) hints.push('explain');
  if (t.proposals) hints.push('review');
  else if (t.hasSql) hints.push('migration');
  if (t.tools.includes('get_schema')) hints.push('rls');
  return hints.filter((h) => h !== t.command);
}
