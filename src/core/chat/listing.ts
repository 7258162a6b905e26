/** Text the participants show about agents: the `/agents` listing and the "answered by" line. */
import type { Agent, AgentCatalog, CatalogEntry } from '../agents/types';
import { toKebab } from '../agents/load';

export interface ListedAgent {
  id: string;
  /** Markdown for one entry (name, id, source, file, what it shadows or is shadowed by). */
  markdown: string;
  /** True for the entry that answers for its id: only those get a "use" button. */
  usable: boolean;
  /** Title for its button. */
  buttonTitle: string;
}

const SOURCE_ORDER: Record<string, number> = { bundled: 0, workspace: 1, user: 2, setting: 3, dir: 4 };

/** Markdown-safe inline text: no stray emphasis, links or HTML from an agent's frontmatter. */
export function mdText(s: string): string {
  return s.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`).replace(/\s+/g, ' ').trim();
}

/** The first sentence of a description, without its <example> blocks, at most 160 characters. */
export function firstSentence(description: string): string {
  const line = description.replace(/<example>[\s\S]*?<\/example>/g, ' ').replace(/\s+/g, ' ').trim();
  const cut = line.search(/(?<=[.!?])\s/);
  const s = cut > 0 ? line.slice(0, cut) : line;
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

/** Every catalog entry, active ones first within each id, grouped by source (bundled, workspace, user, …). */
export function listCatalog(catalog: AgentCatalog, options: { chosenId?: string | undefined; displayPath?: (file: string) => string } = {}): ListedAgent[] {
  const show = options.displayPath ?? ((f: string) => f);
  const entries = [...catalog.entries].sort(
    (a, b) =>
      (SOURCE_ORDER[a.agent.source] ?? 9) - (SOURCE_ORDER[b.agent.source] ?? 9) ||
      a.agent.id.localeCompare(b.agent.id) ||
      Number(b.active) - Number(a.active),
  );
  return entries.map((e) => listEntry(e, catalog, show, options.chosenId));
}

function listEntry(e: CatalogEntry, catalog: AgentCatalog, show: (f: string) => string, chosenId?: string): ListedAgent {
  const a = e.agent;
  const parts = [`**${mdText(a.name)}** \`${a.id}\` — ${a.source}`];
  if (e.active && chosenId === a.id) parts.push('*(answers on @database-engineer)*');
  let md = parts.join(' ');
  const about = firstSentence(a.description);
  if (about) md += `  \n${mdText(about)}`;
  md += `  \nFile: \`${show(a.file)}\``;
  if (e.participant) md += ` · participant \`@${e.participant.replace(/^database-engineer\./, '')}\``;
  if (e.active && e.shadows) md += `  \nOverrides \`${show(e.shadows)}\``;
  if (!e.active) {
    const winner = catalog.get(a.id);
    md += `  \nShadowed by ${winner ? `the ${winner.source} agent in \`${show(winner.file)}\`` : 'another definition'}`;
  }
  if (a.warnings.length) md += `  \n⚠ ${a.warnings.length} problem(s) in this file: ${mdText(a.warnings[0]!.message)}${a.warnings.length > 1 ? ' …' : ''}`;
  return { id: a.id, markdown: md, usable: e.active, buttonTitle: `Use ${a.name}` };
}

const FOOTER_MARK = '\n\n---\n*Answered by ';

/**
 * The closing lines of a reply, naming the agent that spoke, plus anything the user should know about how it
 * was chosen or why the reply stopped.
 */
export function answeredBy(agent: Pick<Agent, 'id' | 'name' | 'source'>, notes: readonly string[] = []): string {
  // The id only when the name does not already say it (`RLS Auditor` is `rls-auditor`): the agent is named once.
  const id = toKebab(agent.name) === agent.id ? '' : `\`${agent.id}\`, `;
  const line = `${FOOTER_MARK}**${mdText(agent.name)}** (${id}${agent.source} agent)*`;
  return notes.length ? `${line}  \n${notes.map((n) => `*${mdText(n)}*`).join('  \n')}` : line;
}

/** A prior reply without its closing lines, so history sent to the model holds only what the model said. */
export function stripAnsweredBy(text: string): string {
  const at = text.lastIndexOf(FOOTER_MARK);
  return (at >= 0 ? text.slice(0, at) : text).trimEnd();
}
