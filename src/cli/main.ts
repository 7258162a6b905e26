import { processIO, UsageError, type CliIO, type Command } from './io';
import { commands } from './commands';
import { redact } from '../core/security/redact';
import { setFlagsFromString } from 'node:v8';

const USAGE = (names: string[]) =>
  `usage: dbe <command> [options]\n\ncommands:\n${names.map((n) => `  ${n.padEnd(8)} ${commands[n]!.summary}`).join('\n')}\n\nRun \`dbe <command> --help\` for a command's options.\n`;

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 findings/failure, 2 usage. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const names = Object.keys(commands);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE(names));
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command: Command | undefined = commands[name];
  if (!command) {
    io.stderr(`dbe: unknown command '${name}'\n\n${USAGE(names)}`);
    return 2;
  }
  // Everything the CLI prints is redacted (a password in a usage error, a key in a file shown by a finding). Not the
  // MCP protocol stream on stdout: its tool results are redacted before they are framed.
  const safe: CliIO = { ...io, stderr: (t) => io.stderr(redact(t)), ...(name === 'mcp' ? {} : { stdout: (t: string) => io.stdout(redact(t)) }) };
  try {
    return await command.run(rest, safe);
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    safe.stderr(`dbe ${name}: ${(err as Error).message}\n`);
    return usage ? 2 : 1;
  }
}

declare const VERSION: string;

if (require.main === module) {
  // `dbe lint` lives for a second or two: V8's optimising JIT spends more CPU compiling the analyser than its
  // code saves in that time (measured: a whole-corpus lint uses about a third less CPU without it). Only
  // here, in the CLI process, never in the extension host, where the same code runs for hours.
  if (process.argv[2] === 'lint') setFlagsFromString('--no-opt');
  main(process.argv.slice(2), processIO()).then((code) => {
    process.exitCode = code;
  });
}
