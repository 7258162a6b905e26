import { CHARS_PER_TOKEN, DEFAULT_RESULT_TOKENS, type ToolContext } from './types';

/** Rough token count (about 4 characters a token), good enough for budgets. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

/**
 * Cuts `text` to `maxTokens`, at a line break when one is near, and says what was cut so the model knows the
 * result is partial and how to ask for less (`hint`).
 */
export function capText(text: string, maxTokens: number, hint = 'ask for less (a narrower request)'): { text: string; cut: boolean } {
  const limit = Math.max(200, maxTokens * CHARS_PER_TOKEN);
  if (text.length <= limit) return { text, cut: false };
  let end = text.lastIndexOf('\n', limit);
  if (end < limit * 0.8) end = limit;
  const kept = text.slice(0, end);
  const restLines = text.slice(end).split('\n').filter((l) => l.trim()).length;
  const marker = `\n[… truncated: ${text.length - end} more characters (${restLines} line${restLines === 1 ? '' : 's'}) not shown, over the ${maxTokens}-token result budget; ${hint}]`;
  return { text: kept + marker, cut: true };
}

export const resultBudget = (ctx: ToolContext): number => ctx.maxResultTokens ?? DEFAULT_RESULT_TOKENS;
