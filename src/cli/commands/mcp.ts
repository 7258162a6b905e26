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
import { agentFlags, migrationsFlag, openProject } from '../project';
import { redact } from '../../core/security/redact';
import { boundedLines, idAndMethod } from '../mcpInput';
import { embeddedChoice } from './ask';

const HELP = `usage: dbe mcp [--migrations DIR | --db URL]

Serves the agent tools over the Model Context Protocol on stdin/stdout:
get_schema, lint_sql, explain_query, run_query, find_slow_queries, read_file, list_migrations, propose_migration.
All are read-only; queries run in READ ONLY transactions that are rolled back.

options:
  --migrations DIR  the migrations folder (default: detected in the current folder); EXPLAIN and queries use an
                    embedded database built from them
  --db URL          a live database (postgres://user@host/db; password from PGPASSWORD or ~/.pgpass, or the URL)
  --agent-role ROLE the role the agents' queries run as (SET LOCAL ROLE), e.g. one granted pg_read_all_data;
                    a superuser login without it runs them as pg_read_all_data (PostgreSQL 14+) or is refused
  --agent-full-powers  let the agents' queries run with the login's full powers (scratch databases only)
  -h, --help        this help

Claude Code: claude mcp add database-engineer -- dbe mcp --migrations supabase/migrations
`;

declare const VERSION: string;

/** Tool arguments larger than this are answered with a tool error (a statement or a path is never this big). */
const MAX_ARGUMENTS_CHARS = 1_000_000;
/** A message line larger than this is dropped and answered (the SDK's own limit, 10 MB, ends the session). */
const MAX_MESSAGE_BYTES = 8_000_000;

export const mcpCommand: Command = {
  summary: 'serve the agent tools over MCP (stdio) for Claude Code and other clients',
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseArgs({
      args,
      allowPositionals: false,
      options: {
        migrations: { type: 'string' },
        db: { type: 'string' },
        'agent-role': { type: 'string' },
        'agent-full-powers': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (values.migrations && values.db) throw new UsageError('give --migrations or --db, not both');
    const opened = await openProject({ ...migrationsFlag(io.cwd, values.migrations), ...(values.db ? { db: values.db } : {}), agent: agentFlags(values), embedded: embeddedChoice(io) }, io);
    const ctx = { project: opened.project };
    const tools = allTools.filter((t) => t.readOnly);
    const server = new Server(
      { name: 'database-engineer', version: typeof VERSION !== 'undefined' ? VERSION : '0.0.0-dev' },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, annotations: { readOnlyHint: true } })),
    }));
    const fail = (text: string) => ({ content: [{ type: 'text' as const, text: redact(text) }], isError: true });
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const tool = tools.find((t) => t.name === request.params.name);
      if (!tool) return fail(`Unknown tool ${request.params.name}. Tools: ${tools.map((t) => t.name).join(', ')}.`);
      if (JSON.stringify(request.params.arguments ?? {}).length > MAX_ARGUMENTS_CHARS) {
        return fail(`The arguments are over ${MAX_ARGUMENTS_CHARS / 1_000_000} MB; send a shorter statement or a smaller file range.`);
      }
      // A result, an error or an out-of-memory in one call is that call's tool error: the server keeps serving.
      try {
        const result = await runTool(tool, request.params.arguments ?? {}, ctx, extra.signal);
        return { content: [{ type: 'text' as const, text: result.content }], ...(result.isError ? { isError: true } : {}) };
      } catch (err) {
        return fail(`${tool.name} failed: ${(err as Error)?.message ?? String(err)}`);
      }
    });
    // Whatever escapes a handler (a socket error of a live connection, a rejected promise) is logged, not fatal.
    const keepServing = (err: unknown) => io.stderr(`dbe mcp: ${redact((err as Error)?.message ?? String(err))}\n`);
    process.on('uncaughtException', keepServing);
    process.on('unhandledRejection', keepServing);
    // Lines over the limit never reach the SDK (which would close the session); a dropped call gets its answer here.
    const input = boundedLines(process.stdin, MAX_MESSAGE_BYTES, (head, bytes) => {
      const { id, method } = idAndMethod(head);
      if (id === undefined) return;
      const text = `The request is ${Math.round(bytes / 1_000_000)} MB, over the ${MAX_MESSAGE_BYTES / 1_000_000} MB limit of a message; it was not run. Send a shorter statement or a smaller file range.`;
      const reply = method === 'tools/call'
        ? { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }], isError: true } }
        : { jsonrpc: '2.0', id, error: { code: -32600, message: text } };
      process.stdout.write(JSON.stringify(reply) + '\n');
    });
    const transport = new StdioServerTransport(input, process.stdout);
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      input.once('end', () => resolve());
    });
    await server.connect(transport);
    if (io.isTTY) io.stderr(`dbe mcp: serving ${tools.length} tools on stdio${opened.project.databaseInfo() ? ` (database: ${opened.project.databaseInfo()!.name})` : ''}\n`);
    await closed;
    await server.close().catch(() => {});
    process.off('uncaughtException', keepServing);
    process.off('unhandledRejection', keepServing);
    await opened.close();
    return 0;
  },
};
