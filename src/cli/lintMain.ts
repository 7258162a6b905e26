/**
 * The lean entry of `dbe lint` (dist/lint.js): the lint command and what it imports, nothing the other commands
 * need (the Anthropic SDK, pg, PGlite, the plan renderers). dist/cli.js loads it for `dbe lint` with V8's code
 * cache (see launcher.ts), so a lint run compiles a fifth of the code a full CLI start would.
 */
import { processIO, UsageError } from './io';
import { lintCommand } from './commands/lint';

export async function runLint(args: string[]): Promise<number> {
  try {
    return await lintCommand.run(args, processIO());
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`dbe lint: ${(err as Error).message}\n`);
    return usage ? 2 : 1;
  }
}
