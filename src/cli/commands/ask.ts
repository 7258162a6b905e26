import { parseArgs } from 'node:util';
import { relative, resolve, sep } from 'node:path';
import { homedir } from 'node:os';
import { createInterface } from 'node:readline';
import { findBundledAgentsDir, loadCatalog } from '../../core/agents';
import { createChatClient } from '../../core/chat/client';
import type { ContextItem } from '../../core/chat/context';
import { defaultAgent } from '../../core/chat/routing';
import { runAgentTurn } from '../../core/chat/agentTurn';
import { redact } from '../../core/security/redact';
import { readFileForModel } from '../../core/security/secretFiles';
import type { ConfirmAction, ToolCallEvent } from '../../core/tools';
import { UsageError, type CliIO, type Command } from '../io';
import { agentFlags, migrationsFlag, openProject } from '../project';

const HELP = `usage: dbe ask [--agent ID] [--migrations DIR | --db URL] [--file PATH]... [--max-rounds N] "question"

Asks an agent, which may call read-only tools (schema, lint, EXPLAIN, queries, files) before answering.
The answer streams on stdout; tool calls (a progress line, then a one-line result) go to stderr.
Give - as the question to read it from stdin.

options:
  --agent ID        the agent (default: database-engineer); \`dbe agents\` lists them
  --migrations DIR  the migrations folder (default: detected); EXPLAIN and queries use an embedded database built from them
  --db URL          a live database (postgres://user@host/db; password from PGPASSWORD or ~/.pgpass, or the URL)
  --agent-role ROLE the role the agents' queries run as (SET LOCAL ROLE), e.g. one granted pg_read_all_data;
                    a superuser login without it runs them as pg_read_all_data (PostgreSQL 14+) or is refused
  --agent-full-powers  let the agents' queries run with the login's full powers (scratch databases only)
  --file PATH       attach a file to the question (repeatable), e.g. the query or migration it is about
  --max-rounds N    model calls at most, tool rounds included (default 8)
  -h, --help        this help

environment: ANTHROPIC_API_KEY (required), ANTHROPIC_BASE_URL (optional)
exit status: 0 answered, 1 failure (no key, API or database error), 2 usage
`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on the terminal; anything but y/yes is no. */
function askTerminal(io: CliIO, action: ConfirmAction): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    io.stderr(`\n${action.title}\n${action.detail ? `${action.detail}\n` : ''}`);
    rl.question('Allow? [y/N] ', (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

/** The embedded database for `dbe ask` / `dbe mcp`; its first build applies every migration, so say so on a terminal. */
export function embeddedChoice(io: CliIO) {
  const onProgress = io.isTTY ? (p: { index: number; total: number; file: string }) => io.stderr(`building the embedded database: ${p.index}/${p.total} ${p.file}${p.index === p.total ? '\n' : '\r'}`) : undefined;
  return { idleMs: 60_000, ...(onProgress ? { onProgress } : {}) };
}

export const askCommand: Command = {
  summary: 'ask an agent a question; it may run read-only tools (schema, lint, EXPLAIN)',
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        agent: { type: 'string' },
        migrations: { type: 'string' },
        db: { type: 'string' },
        'agent-role': { type: 'string' },
        'agent-full-powers': { type: 'boolean', default: false },
        'max-rounds': { type: 'string' },
        file: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('no question given (use - to read it from stdin)');
    const fromStdin = positionals.length === 1 && positionals[0] === '-';
    const question = (fromStdin ? await readStdin() : positionals.join(' ')).trim();
    if (!question) throw new UsageError('the question is empty');
    let maxRounds: number | undefined;
    if (values['max-rounds'] !== undefined) {
      maxRounds = Number(values['max-rounds']);
      if (!Number.isInteger(maxRounds) || maxRounds < 1 || maxRounds > 50) throw new UsageError(`--max-rounds wants a whole number from 1 to 50, got '${values['max-rounds']}'`);
    }

    const attached: ContextItem[] = [];
    for (const given of values.file ?? []) {
      const abs = resolve(io.cwd, given);
      // The rules read_file follows: no credentials files, regular files only, size cap, redacted.
      const read = readFileForModel(abs, given, { root: io.cwd, maxBytes: 1_000_000, redact });
      if (!read.ok) throw new UsageError(`--file ${read.message.replace(/\.$/, '')}`);
      const text = read.text;
      const rel = relative(io.cwd, abs);
      attached.push({ kind: 'file', path: (rel && !rel.startsWith('..') ? rel : abs).split(sep).join('/'), text, ...(/\.sql$/i.test(abs) ? { language: 'sql' } : {}) });
    }

    const apiKey = io.env.ANTHROPIC_API_KEY?.trim();
    if (!apiKey) {
      io.stderr('dbe ask: ANTHROPIC_API_KEY is not set. Create a key at https://console.anthropic.com/settings/keys and export ANTHROPIC_API_KEY=… (ANTHROPIC_BASE_URL points at another endpoint).\n');
      return 1;
    }
    const catalog = loadCatalog({ bundledDir: findBundledAgentsDir(__dirname), home: io.env.HOME || homedir(), workspaceFolders: [io.cwd] });
    const agent = values.agent ? catalog.get(values.agent) : defaultAgent(catalog);
    if (!agent) {
      throw new UsageError(values.agent
        ? `no agent '${values.agent}'; agents: ${catalog.active().map((a) => a.id).join(', ')}`
        : 'no agents found (bundled agents are missing from this install)');
    }

    if (values.migrations && values.db) throw new UsageError('give --migrations or --db, not both');
    // One project for the whole turn: every tool and the embedded database read the same migration folders.
    const opened = await openProject({ ...migrationsFlag(io.cwd, values.migrations), ...(values.db ? { db: values.db } : {}), agent: agentFlags(values), embedded: embeddedChoice(io) }, io);
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    let endedWithNewline = true;
    try {
      const canAsk = io.isTTY && !fromStdin && Boolean(process.stdin.isTTY);
      const result = await runAgentTurn({
        client: createChatClient({ apiKey, env: io.env }),
        agent,
        prompt: question,
        ...(attached.length ? { context: attached } : {}),
        tools: { project: opened.project, confirm: canAsk ? (a) => askTerminal(io, a) : async () => false },
        ...(opened.connectionName ? { connectionName: opened.connectionName } : {}),
        signal: ac.signal,
        ...(maxRounds ? { maxRounds } : {}),
        onText: (delta) => {
          io.stdout(delta);
          endedWithNewline = delta.endsWith('\n');
        },
        onToolCall: (e: ToolCallEvent) => {
          io.stderr(e.status === 'start' ? `[${e.name}] ${e.summary}\n` : `[${e.name}] ${e.isError ? 'failed: ' : ''}${e.summary}\n`);
        },
      });
      if (!endedWithNewline) io.stdout('\n');
      for (const p of result.proposals) {
        const refused = p.refused?.length ? `; the embedded database refused ${p.refused.length} statement(s): ${p.refused.join('; ')}` : '';
        io.stderr(`\nProposed migration (not saved): ${p.path}${p.findings.length ? `, ${p.findings.length} finding(s)` : ''}${refused}\n`);
      }
      if (result.stopReason === 'cancelled') {
        io.stderr('dbe ask: cancelled\n');
        return 130;
      }
      if (result.error) {
        io.stderr(`dbe ask: ${result.error.message}\n`);
        return 1;
      }
      if (result.stopReason === 'max_rounds') io.stderr(`dbe ask: stopped after ${maxRounds ?? 8} model calls (--max-rounds)\n`);
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await opened.close();
    }
  },
};
