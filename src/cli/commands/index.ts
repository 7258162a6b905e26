import type { Command } from '../io';

/** Every `dbe` subcommand, one module each. */
export const commands: Record<string, Command> = {};
