import type { Command } from '../io';
import { agentsCommand } from './agents';
import { dbCommand } from './db';
import { lintCommand } from './lint';
import { explainCommand } from './explain';

/** Every `dbe` subcommand, one module each. */
export const commands: Record<string, Command> = {
  agents: agentsCommand,
  lint: lintCommand,
  db: dbCommand,
  explain: explainCommand,
};
