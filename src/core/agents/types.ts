/** Where an agent definition was found. Later sources shadow earlier ones with the same id. */
export type AgentSource = 'bundled' | 'user' | 'workspace' | 'setting' | 'dir';

/** A loaded agent: frontmatter normalised, prompt assembled, problems kept as warnings. */
export interface Agent {
  /** Stable kebab-case id (from `name`, or the file name when `name` is missing). */
  id: string;
  name: string;
  description: string;
  /** The model as written (`sonnet`, `opus`, a full id, `inherit`), or undefined. */
  model?: string;
  /** The Claude model id the alias resolves to. */
  modelId: string;
  color?: string;
  /** Tool names as written in the file (`Read`, `Bash(psql:*)`, ...). Undefined means "all". */
  tools?: string[];
  category?: string;
  role?: string;
  tags: string[];
  /** A number; words (`low`, `medium`, `high`, `critical`) map to 1…4. Ranks trigger suggestions. */
  priority?: number;
  allowedDirectories?: string[];
  /** When to suggest this agent: globs on the active file, words in the prompt (see triggers.ts). */
  triggers: { filePatterns: string[]; keywords: string[] };
  /** The full system prompt the model receives (frontmatter `systemPrompt` + body). */
  prompt: string;
  /** `<example>` user lines from the description, for participant disambiguation. */
  examples: string[];
  source: AgentSource;
  /** Absolute path of the file it came from. */
  file: string;
  /** Problems met while reading the file, each with a 1-based line when known. */
  warnings: AgentWarning[];
  /** Display name for the chat participant (frontmatter `fullName`/`title`); the manifest title-cases the id otherwise. */
  fullName?: string;
  /** Slash commands declared in the frontmatter (`commands:`), merged into the generated manifest. */
  commands?: AgentCommand[];
  /** Set when the file could not be read at all (unreadable, not text). Such an agent never answers or shadows. */
  loadError?: string;
}

export interface AgentCommand {
  name: string;
  description: string;
}

export interface AgentWarning {
  message: string;
  line?: number;
}

/** One agent file found during discovery, with whether it is the one answering for its id. */
export interface CatalogEntry {
  agent: Agent;
  /** True for the entry that answers for this id (the last source wins). */
  active: boolean;
  /** For an active entry that overrides another: the file it shadows. */
  shadows?: string;
  /**
   * The chat participant id (`database-engineer.<id>`) for bundled agents, else null. The active entry that
   * overrides a bundled id carries it too: that participant now answers with the override's prompt.
   */
  participant: string | null;
}

export interface AgentCatalog {
  entries: CatalogEntry[];
  /** The agents that answer, one per id. */
  active(): Agent[];
  get(id: string): Agent | undefined;
}
