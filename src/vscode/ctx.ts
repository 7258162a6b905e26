/**
 * The editor context: what activation builds (the log, the typed settings) and the services behind every
 * contribution, loaded once, on first use or right after activation. The services live in their own bundle
 * (dist/engine.js, see scripts/build.mjs): requiring it is the moment the heavy parts load.
 */
import type * as vscode from 'vscode';
import { Config } from './config';
import type { Host } from './host';
import type { Services } from './engine';

export class Ctx implements Host {
  readonly config = new Config();
  /** The chat participants registered with the editor, by id (the tests spy on them). */
  readonly chatParticipants: Record<string, vscode.ChatParticipant> = {};
  /** The language model tools registered with the editor. */
  readonly languageModelTools: string[] = [];
  private loading: Promise<Services> | undefined;

  constructor(readonly extension: vscode.ExtensionContext, readonly log: vscode.LogOutputChannel) {
    extension.subscriptions.push(this.config);
  }

  /** The services, loading them on the first call. Rejects (once logged) when they fail to start. */
  services(): Promise<Services> {
    return (this.loading ??= this.load());
  }

  private async load(): Promise<Services> {
    await Promise.resolve(); // never inside the caller's synchronous turn (activation)
    const started = performance.now();
    try {
      // A lazy require of the separate bundle, not an import: the shell must not evaluate it at activation.
      const engine = require('./engine') as typeof import('./engine');
      const services = engine.createServices(this);
      this.log.info(`services ready in ${Math.round(performance.now() - started)} ms`);
      return services;
    } catch (err) {
      this.log.error(`Database Engineer could not start its services: ${(err as Error).stack ?? err}`);
      throw err;
    }
  }
}
