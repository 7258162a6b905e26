import type { Agent } from './types';
import { PARTICIPANT_PREFIX } from './catalog';

/** One entry of package.json `contributes.chatParticipants`, as VS Code reads it. */
export interface ChatParticipantContribution {
  id: string;
  name: string;
  fullName: string;
  description: string;
  isSticky: boolean;
  commands?: { name: string; description: string }[];
  disambiguation: { category: string; description: string; examples: string[] }[];
}

/** The manifest's chat participants for the bundled agents, in id order (stable output for the drift test). */
export function chatParticipantsFor(agents: Agent[]): ChatParticipantContribution[] {
  return [...agents]
    .sort((a, b) => (a.id === 'database-engineer' ? -1 : b.id === 'database-engineer' ? 1 : a.id.localeCompare(b.id)))
    .map((agent) => {
      const summary = agentSummary(agent);
      const participant: ChatParticipantContribution = {
        id: PARTICIPANT_PREFIX + agent.id,
        name: agent.id,
        fullName: agent.fullName ?? titleCase(agent.id),
        description: summary,
        isSticky: true,
      } as ChatParticipantContribution;
      if (agent.commands?.length) participant.commands = agent.commands.map((c) => ({ name: c.name, description: c.description }));
      participant.disambiguation = [{ category: agent.category ?? agent.id.replace(/-/g, '_'), description: summary, examples: agent.examples }];
      return participant;
    });
}

/** The description without its `<example>` blocks: the sentence(s) a participant list shows. */
export function agentSummary(agent: Pick<Agent, 'description'>): string {
  const head = agent.description.split(/<example>/i)[0]!
    .replace(/\s+/g, ' ')
    .replace(/\s*(examples?|for example|e\.g\.)\s*:?\s*$/i, '')
    .trim();
  return head.replace(/[:;,]$/, '.');
}

const ACRONYMS = new Set(['rls', 'sql', 'gdpr', 'hipaa', 'api', 'db']);
function titleCase(id: string): string {
  return id.split('-').map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

/**
 * package.json text with `contributes.chatParticipants` replaced by the participants for `agents`; every other
 * key keeps its place. Used by `npm run gen:manifest` and by the drift test, so both agree byte for byte.
 */
export function manifestWithParticipants(packageJsonText: string, agents: Agent[]): string {
  const pkg = JSON.parse(packageJsonText) as { contributes?: Record<string, unknown> };
  pkg.contributes ??= {};
  pkg.contributes.chatParticipants = chatParticipantsFor(agents.filter((a) => !a.loadError));
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
