import type { Command } from '../io';
import { lintCommand } from './lint';

/** Every `dbe` subcommand, one module each. */
export const commands: Record<string, Command> = {
  lint: lintCommand,
};
