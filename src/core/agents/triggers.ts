import type { Agent } from './types';

/** What the user is doing when they ask: the active file and the prompt they typed. */
export interface TriggerContext {
  /** The active file, relative to its workspace folder (either slash works), or absolute. */
  file?: string;
  prompt?: string;
}

/** Why an agent is suggested: the first trigger that matched. */
export type TriggerMatch = { kind: 'keyword'; keyword: string } | { kind: 'file'; pattern: string };

export interface AgentSuggestion {
  agent: Agent;
  match: TriggerMatch;
}

/**
 * The agents whose `triggers` fit what the user is doing: a keyword that appears in the prompt as a whole
 * word (case-insensitive), or a file pattern that matches the active file. A keyword match ranks above a
 * file match (the prompt says more about intent than the open file); then higher `priority`, then id.
 * `exclude` leaves out the agent already answering, so it never suggests itself.
 */
export function suggestAgents(agents: readonly Agent[], ctx: TriggerContext, exclude?: string): AgentSuggestion[] {
  const out: AgentSuggestion[] = [];
  for (const agent of agents) {
    if (agent.id === exclude || agent.loadError) continue;
    const match = matchTriggers(agent, ctx);
    if (match) out.push({ agent, match });
  }
  const rank = (s: AgentSuggestion) => (s.match.kind === 'keyword' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || (b.agent.priority ?? 0) - (a.agent.priority ?? 0) || a.agent.id.localeCompare(b.agent.id));
}

/** The first of the agent's triggers that fits `ctx`, keywords first. */
export function matchTriggers(agent: Agent, ctx: TriggerContext): TriggerMatch | undefined {
  const prompt = ctx.prompt ?? '';
  if (prompt) {
    const keyword = agent.triggers.keywords.find((k) => containsWord(prompt, k));
    if (keyword) return { kind: 'keyword', keyword };
  }
  if (ctx.file) {
    const pattern = agent.triggers.filePatterns.find((p) => matchesFilePattern(ctx.file!, p));
    if (pattern) return { kind: 'file', pattern };
  }
  return undefined;
}

/** `keyword` (one or more words) in `text`, case-insensitive, not inside a longer word. */
export function containsWord(text: string, keyword: string): boolean {
  const k = keyword.trim();
  if (!k) return false;
  const body = k.split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

/**
 * Glob match the way `.gitignore` and agent files mean it: a pattern without a slash matches the file's
 * name in any folder (`*.sql`); one with a slash matches the path from the start (`supabase/migrations/*.sql`),
 * or anywhere below when it starts with `**\/`. `*` and `?` stay inside one folder, `**` crosses folders,
 * `{a,b}` is either.
 */
export function matchesFilePattern(file: string, pattern: string): boolean {
  const path = file.replace(/\\/g, '/').replace(/^\.\//, '');
  let p = pattern.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (!p) return false;
  if (!p.includes('/')) p = `**/${p}`;
  else if (p.startsWith('/')) p = p.slice(1);
  const re = new RegExp(`^${globToRegExpSource(p)}$`);
  // An absolute path (or one from an outer folder) matches when some tail of it does.
  const parts = path.split('/');
  return parts.some((_, i) => re.test(parts.slice(i).join('/')));
}

function globToRegExpSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) { out += '\\{'; continue; }
      out += `(?:${glob.slice(i + 1, end).split(',').map(globToRegExpSource).join('|')})`;
      i = end;
    } else out += escapeRegExp(c);
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
