import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_ALIASES, mergeAliases } from '../../../src/core/agents';
import { repoRoot } from './helpers';

/**
 * Re-derives the alias defaults from the installed SDK: the `Model` union lists known ids, and
 * DEPRECATED_MODELS the ones to avoid. For each family take the highest version that is not deprecated.
 */
test('alias defaults are the newest non-deprecated id of each family in the installed SDK', () => {
  const sdk = join(repoRoot, 'node_modules/@anthropic-ai/sdk/resources/messages');
  const dts = readFileSync(join(sdk, 'messages.d.ts'), 'utf8');
  const union = /export type Model = ([^;]+);/.exec(dts)![1]!;
  const ids = [...union.matchAll(/'(claude-[^']+)'/g)].map((m) => m[1]!);
  const js = readFileSync(join(sdk, 'messages.js'), 'utf8');
  const deprecated = new Set([.../const DEPRECATED_MODELS = \{([^}]*)\}/.exec(js)![1]!.matchAll(/'([^']+)'\s*:/g)].map((m) => m[1]!));
  const newest = (family: string) => {
    const candidates = ids
      .filter((id) => !deprecated.has(id))
      .map((id) => ({ id, m: new RegExp(`^claude-${family}-(\\d+)(?:-(\\d))?$`).exec(id) }))
      .filter((c) => c.m)
      .map((c) => ({ id: c.id, version: [Number(c.m![1]), Number(c.m![2] ?? 0)] as const }));
    candidates.sort((a, b) => b.version[0] - a.version[0] || b.version[1] - a.version[1]);
    return candidates[0]?.id;
  };
  for (const family of ['sonnet', 'opus', 'haiku'] as const) {
    assert.equal(DEFAULT_MODEL_ALIASES[family], newest(family), family);
  }
  assert.equal(DEFAULT_MODEL_ALIASES.inherit, DEFAULT_MODEL_ALIASES.sonnet);
});

test('overrides merge over the defaults with case-insensitive keys and ignore junk', () => {
  const merged = mergeAliases({ Sonnet: 'claude-sonnet-4-6', bad: 42 as unknown as string, empty: ' ' });
  assert.equal(merged.sonnet, 'claude-sonnet-4-6');
  assert.equal(merged.opus, DEFAULT_MODEL_ALIASES.opus);
  assert.ok(!('bad' in merged) && !('empty' in merged));
});
