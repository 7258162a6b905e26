import type { Command } from '../io';
import { dbCommand } from './db';

/** Every `dbe` subcommand, one module each. */
export const commands: Record<string, Command> = {
  db: dbCommand,
};
