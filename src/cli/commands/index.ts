import type { Command } from '../io';
import { agentsCommand } from './agents';
import { lintCommand } from './lint';

/** Every `dbe` subcommand, one module each. */
export const commands: Record<string, Command> = {
  agents: agentsCommand,
  lint: lintCommand,
};
