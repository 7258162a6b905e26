import type * as vscode from 'vscode';

/**
 * What every feature module receives. The `api` object is returned from `activate`, so the
 * extension-host tests can reach a feature's internals (a participant handler, the diagnostics
 * collection) without going through the UI for every assertion.
 */
export interface FeatureContext {
  extension: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  api: Record<string, unknown>;
}

export type Feature = {
  name: string;
  register(ctx: FeatureContext): void | Promise<void>;
};
