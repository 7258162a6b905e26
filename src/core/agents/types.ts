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
  priority?: number;
  allowedDirectories?: string[];
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
}

export interface AgentWarning {
  message: string;
  line?: number;
}
