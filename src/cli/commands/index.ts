import type { Command } from '../io';

/**
 * A command whose module is loaded only when it runs: `dbe lint` and `dbe --help` must not pay for
 * evaluating the Anthropic SDK, pg, PGlite and the plan renderers that other commands pull in.
 * esbuild keeps each `import()` in the one bundle but defers evaluating the module until it is called.
 * The summary is repeated here so the usage text needs no module; a test checks it matches the module's.
 */
const lazy = (summary: string, load: () => Promise<Command>): Command => ({
  summary,
  run: async (args, io) => (await load()).run(args, io),
});

/** Every `dbe` subcommand, one module each. */
export const commands: Record<string, Command> = {
  lint: lazy('lint SQL migrations and Prisma schemas (RLS, security, performance, migration safety)', async () => (await import('./lint.js')).lintCommand),
  explain: lazy('explain a query (embedded database from the migrations, or --db): text, JSON or HTML', async () => (await import('./explain.js')).explainCommand),
  agents: lazy('list the agents (bundled, user, workspace, --dir) and which one answers', async () => (await import('./agents.js')).agentsCommand),
  ask: lazy('ask an agent a question; it may run read-only tools (schema, lint, EXPLAIN)', async () => (await import('./ask.js')).askCommand),
  mcp: lazy('serve the agent tools over MCP (stdio) for Claude Code and other clients', async () => (await import('./mcp.js')).mcpCommand),
  rls: lazy('simulate row level security: who reads and writes what, the deciding policy, the leaks', async () => (await import('./rls.js')).rlsCommand),
  db: lazy('discover connections, build the embedded database, explain a statement', async () => (await import('./db.js')).dbCommand),
};
