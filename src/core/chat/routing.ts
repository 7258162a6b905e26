/**
 * Which agent answers a chat request. Each bundled agent has its own participant
 * (`database-engineer.<agentId>`); the general `@database-engineer` participant answers as the agent the user
 * chose with "Use Agent…", else as the default one.
 */
import { PARTICIPANT_PREFIX } from '../agents/catalog';
import type { Agent, AgentCatalog } from '../agents/types';

export { PARTICIPANT_PREFIX };
/** The `@` name (and bare id) of the general participant. */
export const ROUTER_NAME = 'database-engineer';
/** The agent the general participant prefers when the user chose none. */
export const DEFAULT_AGENT_ID = 'database-engineer';

export const NO_CATALOG =
  'The agent catalog is not loaded (the agents feature did not start; see the "Database Engineer" output).';

export interface ParticipantInfo {
  id: string;
  /** The `@` handle from the manifest, when known. */
  name?: string;
}

/** The general participant: the manifest's `@database-engineer`, or an id without an agent suffix. */
export function isRouterParticipant(p: ParticipantInfo): boolean {
  return p.name === ROUTER_NAME || p.id === ROUTER_NAME || p.id === `${PARTICIPANT_PREFIX}${ROUTER_NAME}`;
}

/** `database-engineer.rls-auditor` → `rls-auditor`; anything else → null. */
export function agentIdOfParticipant(id: string): string | null {
  return id.startsWith(PARTICIPANT_PREFIX) && id.length > PARTICIPANT_PREFIX.length ? id.slice(PARTICIPANT_PREFIX.length) : null;
}

export type AgentChoice =
  | {
      agent: Agent;
      /** How the agent was picked, for the reply's attribution. */
      reason: 'participant' | 'chosen' | 'default';
      /** Something the user should know (their chosen agent vanished, say). */
      note?: string;
    }
  | { agent?: undefined; problem: string };

/** The agent the general participant uses when the user chose none: `database-engineer`, else the first bundled one. */
export function defaultAgent(catalog: AgentCatalog): Agent | undefined {
  const active = catalog.active();
  return catalog.get(DEFAULT_AGENT_ID) ?? active.find((a) => a.source === 'bundled') ?? active[0];
}

export function chooseAgent(args: {
  participant: ParticipantInfo;
  catalog: AgentCatalog | undefined;
  /** The id remembered from "Use Agent…" (only used by the general participant). */
  chosenId?: string | undefined;
}): AgentChoice {
  const { participant, catalog, chosenId } = args;
  if (!catalog) {
    return { problem: NO_CATALOG };
  }
  if (isRouterParticipant(participant)) {
    let note: string | undefined;
    if (chosenId) {
      const chosen = catalog.get(chosenId);
      if (chosen) return { agent: chosen, reason: 'chosen' };
      note = `The agent you chose, '${chosenId}', is no longer in the catalog; answering with the default agent instead. Pick another with 'Database Engineer: Use Agent…'.`;
    }
    const fallback = defaultAgent(catalog);
    if (!fallback) return { problem: 'No agents are loaded: the catalog is empty. Check the agents/ folder and the "Database Engineer" output.' };
    return { agent: fallback, reason: 'default', ...(note ? { note } : {}) };
  }
  const id = agentIdOfParticipant(participant.id);
  const agent = id ? catalog.get(id) : undefined;
  if (!agent) {
    return { problem: `No agent '${id ?? participant.id}' is in the catalog (its file may have failed to load; see the "Database Engineer" output).` };
  }
  return { agent, reason: 'participant' };
}
