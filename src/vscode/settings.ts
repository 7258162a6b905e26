/**
 * Every setting of the extension and what a change to it must reload. `config.ts` reads them (the only place that
 * does); this table is free of `vscode` so a plain test checks it against `contributes.configuration`.
 */
export const SECTION = 'databaseEngineer';

/** What a settings change makes stale. `none`: read afresh on every use. */
export type Reload = 'lint' | 'lintScope' | 'agents' | 'connection' | 'embedded' | 'none';

export const SETTINGS = {
  'lint.scope': ['lintScope'],
  'lint.rules': ['lint'],
  'lint.exposedSchemas': ['lint'],
  // The embedded database applies the same migration folders the analyzer reads.
  'lint.migrationFolders': ['lint', 'embedded'],
  agentFolders: ['agents'],
  modelAliases: ['agents'],
  connections: ['none'],
  readOnly: ['connection'],
  'explain.statementTimeoutMs': ['none'],
  'embedded.syntheticRows': ['embedded'],
  'embedded.idleMinutes': ['embedded'],
  'chat.provider': ['none'],
} as const satisfies Record<string, readonly Reload[]>;

export type SettingKey = keyof typeof SETTINGS;

/** The reloads a change needs, given which settings it affects. */
export function reloadsFor(affects: (key: SettingKey) => boolean): Set<Reload> {
  const out = new Set<Reload>();
  for (const [key, reloads] of Object.entries(SETTINGS) as [SettingKey, readonly Reload[]][]) {
    if (affects(key)) for (const r of reloads) if (r !== 'none') out.add(r);
  }
  return out;
}
