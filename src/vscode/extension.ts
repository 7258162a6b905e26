import * as vscode from 'vscode';
import type { Feature, FeatureContext } from './feature';
import { agentsFeature } from './agents';
import { participantsFeature } from './participants';
import { diagnosticsFeature } from './diagnostics';
import { connectionsFeature } from './connections';
import { explainPanelFeature } from './explainPanel';
import { agentActionsFeature } from './agentActions';
import { explainCommandsFeature } from './explainCommands';
import { rlsFeature } from './rls/feature';

/** Feature modules, each wiring one part of the product. A failure in one never stops the others. */
const features: Feature[] = [
  agentsFeature,
  // After the agents feature: participants read the catalog getter it puts on ctx.api.
  participantsFeature,
  diagnosticsFeature,
  connectionsFeature,
  explainPanelFeature,
  agentActionsFeature,
  // After connections and the panel: the explain commands run on the one and show in the other.
  explainCommandsFeature,
  rlsFeature,
];

export async function activate(extension: vscode.ExtensionContext): Promise<Record<string, unknown>> {
  const log = vscode.window.createOutputChannel('Database Engineer', { log: true });
  extension.subscriptions.push(log);
  const ctx: FeatureContext = { extension, log, api: {} };
  for (const feature of features) {
    try {
      await feature.register(ctx);
    } catch (err) {
      log.error(`${feature.name} failed to start: ${(err as Error).stack ?? err}`);
    }
  }
  log.info(`Database Engineer ${extension.extension.packageJSON.version} activated`);
  return ctx.api;
}

export function deactivate(): void {}
