/**
 * `dbe mcp`: the agent tools as a Model Context Protocol server on stdio, for Claude Code, Claude Desktop or any MCP
 * client. Same tools, same code as the chat loop (`runTool`), so results read the same everywhere.
 *
 * Only read-only tools are served (all of ours are; propose_migration writes nothing, it returns the migration).
 * Nothing can ask the user for consent over stdio, so `confirm` is absent: EXPLAIN ANALYZE of a write on a live
 * database is refused with a message saying how to get the estimated plan instead.
 *
 * Dependency: @modelcontextprotocol/sdk (the protocol's reference SDK): it brings the JSON-RPC framing, the
 * initialize/capabilities handshake and protocol-version negotiation, which we would otherwise write and keep up with
 * ourselves. Only its low-level `Server` and stdio transport are imported, so esbuild bundles a small part of it.
 */
import { parseArgs } from 'node:util';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { allTools, runTool } from '../../core/tools';
import { UsageError, type CliIO, type Command } from '../io';
import { migrationsFlag, openProject } from '../project';
import { embeddedChoice } from './ask';

const HELP = `usage: dbe mcp [--migrations DIR | --db URL]

Serves the agent tools over the Model Context Protocol on stdin/stdout:
get_schema, lint_sql, explain_query, run_query, find_slow_queries, read_file, list_migrations, propose_migration.
All are read-only; queries run in READ ONLY transactions that are rolled back.

options:
  --migrations DIR  the migrations folder (default: detected in the current folder); EXPLAIN and queries use an
                    embedded database built from them
  --db URL          a live database (postgres://user@host/db; password from the URL, PGPASSWORD or ~/.pgpass)
  -h, --help        this help

Claude Code: claude mcp add database-engineer -- dbe mcp --migrations supabase/migrations
`;

declare const VERSION: string;

export const mcpCommand: Command = {
  summary: 'serve the agent tools over MCP (stdio) for Claude Code and other clients',
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseArgs({
      args,
      allowPositionals: false,
      options: {
        migrations: { type: 'string' },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (values.migrations && values.db) throw new UsageError('give --migrations or --db, not both');
    const opened = await openProject({ ...migrationsFlag(io.cwd, values.migrations), ...(values.db ? { db: values.db } : {}), embedded: embeddedChoice(io) }, io);
    const ctx = { project: opened.project };
    const tools = allTools.filter((t) => t.readOnly);
    const server = new Server(
      { name: 'database-engineer', version: typeof VERSION !== 'undefined' ? VERSION : '0.0.0-dev' },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, annotations: { readOnlyHint: true } })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const tool = tools.find((t) => t.name === request.params.name);
      if (!tool) return { content: [{ type: 'text' as const, text: `Unknown tool ${request.params.name}. Tools: ${tools.map((t) => t.name).join(', ')}.` }], isError: true };
      const result = await runTool(tool, request.params.arguments ?? {}, ctx, extra.signal);
      return { content: [{ type: 'text' as const, text: result.content }], ...(result.isError ? { isError: true } : {}) };
    });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      process.stdin.once('end', () => resolve());
    });
    await server.connect(transport);
    if (io.isTTY) io.stderr(`dbe mcp: serving ${tools.length} tools on stdio${opened.project.databaseInfo() ? ` (database: ${opened.project.databaseInfo()!.name})` : ''}\n`);
    await closed;
    await server.close().catch(() => {});
    await opened.close();
    return 0;
  },
};
