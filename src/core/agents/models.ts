/**
 * Model aliases in agent files (`sonnet`, `opus`, `haiku`, `inherit`, or none) → Claude model ids.
 *
 * How the defaults were chosen: the installed `@anthropic-ai/sdk` (1.12.0) lists its known models, newest
 * first, in the `Model` union of `resources/messages/messages.d.ts`, and the ones it warns about in
 * `DEPRECATED_MODELS` (messages.js). For each family the default is the highest-versioned id of that family
 * that is not deprecated (undated alias form, so the API serves the latest snapshot). `inherit` and a missing
 * `model` mean "the default model", which is the newest Sonnet. A test re-derives these from the SDK files
 * and fails when an SDK upgrade makes them stale.
 */
export type ModelAliases = Record<string, string>;

export const DEFAULT_MODEL_ALIASES: Readonly<ModelAliases> = Object.freeze({
  sonnet: 'claude-sonnet-5-5',
  opus: 'claude-opus-5-5',
  haiku: 'claude-haiku-5-5',
  inherit: 'claude-sonnet-5-5',
});

export interface ResolvedModel {
  modelId: string;
  /** Set when the model as written could not be used and the default was taken instead. */
  warning?: string;
}

/**
 * Resolves the model written in an agent file. `overrides` (the editor setting / core option) are merged over
 * the defaults, keys compared case-insensitively. A full Claude id (`claude-…`) passes through unchanged.
 */
export function resolveModel(model: string | undefined, overrides: ModelAliases = {}): ResolvedModel {
  const aliases = mergeAliases(overrides);
  const fallback = aliases.inherit ?? aliases.sonnet ?? DEFAULT_MODEL_ALIASES.inherit!;
  const written = model?.trim();
  if (!written) return { modelId: fallback };
  const mapped = aliases[written.toLowerCase()];
  if (mapped) return { modelId: mapped };
  if (/^claude-[a-z0-9][a-z0-9.-]*$/i.test(written)) return { modelId: written };
  return {
    modelId: fallback,
    warning: `model '${written}' is neither an alias (${Object.keys(aliases).join(', ')}) nor a Claude model id; using ${fallback}`,
  };
}

/** Defaults with the overrides on top; keys lower-cased, empty or non-string values ignored. */
export function mergeAliases(overrides: ModelAliases = {}): ModelAliases {
  const out: ModelAliases = { ...DEFAULT_MODEL_ALIASES };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (typeof v === 'string' && v.trim()) out[k.trim().toLowerCase()] = v.trim();
  }
  return out;
}
