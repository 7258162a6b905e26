import type { DbeConfig } from '../findings/config';
import type { Range } from '../sql/positions';

/** The editor settings (`databaseEngineer.lint.*`) that layer over `.dbe.json`, as read from the editor. */
export interface LintSettingsInput {
  /** Rule id → 'off' | 'error' | 'warning' | 'info'. */
  rules?: unknown;
  /** Only when the user set it: replaces the file's list. */
  exposedSchemas?: unknown;
  migrationFolders?: unknown;
}

const LEVELS = new Set(['off', 'error', 'warning', 'info']);

/**
 * Turns raw settings into a config overlay for `mergeConfig`. Settings are edited by hand in JSON, so a
 * bad entry is dropped with a message saying which and why, and the rest still applies.
 */
export function settingsOverlay(input: LintSettingsInput, ruleIds: readonly string[]): { overlay: Partial<DbeConfig>; problems: string[] } {
  const overlay: Partial<DbeConfig> = {};
  const problems: string[] = [];
  const where = (key: string) => `setting databaseEngineer.lint.${key}`;
  if (input.rules !== undefined && input.rules !== null) {
    if (typeof input.rules !== 'object' || Array.isArray(input.rules)) {
      problems.push(`${where('rules')} must be an object of rule id → "off" | "error" | "warning" | "info"; ignored`);
    } else {
      const rules: DbeConfig['rules'] = {};
      for (const [id, level] of Object.entries(input.rules as Record<string, unknown>)) {
        if (!ruleIds.includes(id)) problems.push(`${where('rules')}: unknown rule "${id}" ignored; run \`dbe lint --rules\` to list them`);
        else if (typeof level !== 'string' || !LEVELS.has(level)) problems.push(`${where('rules')}: rule "${id}" has level ${JSON.stringify(level)}, ignored; use "off", "error", "warning" or "info"`);
        else rules[id] = level as DbeConfig['rules'][string];
      }
      overlay.rules = rules;
    }
  }
  for (const key of ['exposedSchemas', 'migrationFolders'] as const) {
    const v = input[key];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) {
      problems.push(`${where(key)} must be an array of non-empty strings; ignored`);
      continue;
    }
    overlay[key] = key === 'migrationFolders' ? (v as string[]).map((f) => f.replace(/\\/g, '/').replace(/\/+$/, '')) : [...(v as string[])];
  }
  return { overlay, problems };
}

/**
 * Where to put the diagnostic for a broken `.dbe.json`: the JSON error's position when the message names one
 * (`… at position 42`, `… (line 3 column 5)`), else the first line.
 */
export function configErrorRange(text: string, message: string): Range {
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) {
    const line = Number(lineCol[1]) - 1, column = Number(lineCol[2]) - 1;
    return { start: { line, column }, end: { line, column: column + 1 } };
  }
  const pos = /at position (\d+)/.exec(message);
  if (pos) {
    const offset = Math.min(Number(pos[1]), text.length);
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    const column = offset - (before.lastIndexOf('\n') + 1);
    return { start: { line, column }, end: { line, column: column + 1 } };
  }
  const firstLine = text.split('\n')[0] ?? '';
  return { start: { line: 0, column: 0 }, end: { line: 0, column: Math.max(1, firstLine.length) } };
}
