/**
 * The core logs through this interface so the editor can route it to its LogOutputChannel
 * and the CLI to stderr. Never pass secrets or full prompts.
 */
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, info() {}, warn() {}, error() {} };
