import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Severity } from './types';

/**
 * `.dbe.json` at the workspace root:
 * ```json
 * {
 *   "rules": { "prefer-text": "off", "rls-disabled": "error" },
 *   "exposedSchemas": ["public", "api"],
 *   "migrationFolders": ["supabase/migrations"],
 *   "assumeInTransaction": false
 * }
 * ```
 * The CLI reads it as is; the editor merges its settings on top with `mergeConfig`.
 */
export interface DbeConfig {
  /** Per-rule severity override or 'off'. */
  rules: Record<string, Severity | 'off'>;
  /** Schemas reachable through the API (PostgREST): tables there need RLS. */
  exposedSchemas: string[];
  /** Workspace-relative folders holding migrations, in apply order; detected when absent. */
  migrationFolders?: string[];
  /** Each migration file runs inside a transaction (as some tools do). */
  assumeInTransaction: boolean;
}

export const CONFIG_FILE = '.dbe.json';

export const defaultConfig = (): DbeConfig => ({ rules: {}, exposedSchemas: ['public'], assumeInTransaction: false });

/** A config that cannot be used; the message says which file, which key, and what to write instead. */
export class ConfigError extends Error {}

const LEVELS = ['off', 'error', 'warning', 'info'];
const KEYS = ['$schema', 'rules', 'exposedSchemas', 'migrationFolders', 'assumeInTransaction'];

/** Checks a parsed JSON value against the config shape. `ruleIds` are the known rules. */
export function validateConfig(value: unknown, source: string, ruleIds: readonly string[]): DbeConfig {
  const fail = (msg: string): never => {
    throw new ConfigError(`${source}: ${msg}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('the config must be a JSON object like {"rules": {"prefer-text": "off"}}');
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!KEYS.includes(k)) fail(`unknown key "${k}"; allowed keys are ${KEYS.slice(1).join(', ')}`);
  const config = defaultConfig();
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) fail('"rules" must be an object of rule id → "off" | "error" | "warning" | "info"');
    for (const [id, level] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (!ruleIds.includes(id)) {
        const near = ruleIds.filter((r) => r.includes(id) || id.includes(r) || r.split('-')[0] === id.split('-')[0]).slice(0, 3);
        fail(`unknown rule "${id}" in "rules"${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : ''}; run \`dbe lint --rules\` to list them`);
      }
      if (typeof level !== 'string' || !LEVELS.includes(level)) fail(`rule "${id}" has level ${JSON.stringify(level)}; use one of ${LEVELS.map((l) => `"${l}"`).join(', ')}`);
      config.rules[id] = level as Severity | 'off';
    }
  }
  const stringList = (key: string): string[] | undefined => {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) fail(`"${key}" must be an array of non-empty strings`);
    return v as string[];
  };
  const exposed = stringList('exposedSchemas');
  if (exposed) config.exposedSchemas = exposed;
  const folders = stringList('migrationFolders');
  if (folders) config.migrationFolders = folders.map((f) => f.replace(/\\/g, '/').replace(/\/+$/, ''));
  if (obj.assumeInTransaction !== undefined) {
    if (typeof obj.assumeInTransaction !== 'boolean') fail('"assumeInTransaction" must be true or false');
    config.assumeInTransaction = obj.assumeInTransaction as boolean;
  }
  return config;
}

/** Parses config text (reporting the JSON error's position) and validates it. */
export function parseConfig(text: string, source: string, ruleIds: readonly string[]): DbeConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${source}: not valid JSON (${(err as Error).message}); fix the file or remove it to use the defaults`);
  }
  return validateConfig(value, source, ruleIds);
}

/**
 * Loads `file` when given (it must exist), else `.dbe.json` in `root` when present, else the defaults.
 * Throws ConfigError for a missing explicit file or a bad config.
 */
export function loadConfig(root: string, ruleIds: readonly string[], file?: string): { config: DbeConfig; file?: string } {
  const path = file ?? join(root, CONFIG_FILE);
  if (!existsSync(path)) {
    if (file) throw new ConfigError(`${file}: config file not found`);
    return { config: defaultConfig() };
  }
  return { config: parseConfig(readFileSync(path, 'utf8'), path, ruleIds), file: path };
}

/** Settings from elsewhere (the editor) layered over a file config: rules merge, lists replace. */
export function mergeConfig(base: DbeConfig, over: Partial<DbeConfig>): DbeConfig {
  return {
    ...base,
    ...over,
    rules: { ...base.rules, ...(over.rules ?? {}) },
  };
}
