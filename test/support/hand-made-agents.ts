/** Agents and catalogs built by hand, for tests that must not depend on the agent loader. */
import type { Agent, AgentCatalog, CatalogEntry } from '../../src/core/agents/types';

export function makeAgent(over: Partial<Agent> & { id: string }): Agent {
  return {
    name: over.id,
    description: `The ${over.id} agent. Use it for things.`,
    modelId: 'claude-sonnet-4-6',
    tags: [],
    triggers: { filePatterns: [], keywords: [] },
    prompt: `You are ${over.id}.`,
    examples: [],
    source: 'bundled',
    file: `/ext/agents/${over.id}.md`,
    warnings: [],
    ...over,
  };
}

/** A catalog over these entries; the active one per id is the last given for it unless `active` says otherwise. */
export function makeCatalog(entries: Array<Agent | (Partial<CatalogEntry> & { agent: Agent })>): AgentCatalog {
  const full: CatalogEntry[] = entries.map((e) => {
    const entry = 'agent' in e ? e : { agent: e };
    return {
      active: true,
      participant: entry.agent.source === 'bundled' ? `database-engineer.${entry.agent.id}` : null,
      ...entry,
    } as CatalogEntry;
  });
  return {
    entries: full,
    active: () => full.filter((e) => e.active).map((e) => e.agent),
    get: (id) => full.find((e) => e.active && e.agent.id === id)?.agent,
  };
}
