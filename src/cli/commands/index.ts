import type { Command } from '../io';
import { agentsCommand } from './agents';
import { askCommand } from './ask';
import { mcpCommand } from './mcp';
import { dbCommand } from './db';
import { lintCommand } from './lint';

/** Every `dbe` subcommand, one module each. */
export const commands: Record<string, Command> = {
  agents: agentsCommand,
  lint: lintCommand,
  db: dbCommand,
  ask: askCommand,
  mcp: mcpCommand,
};
