/**
 * Activation: build the context, register the contributions, return. The services behind them load on first use or
 * just after this returns (`startInBackground`), so activating costs milliseconds (`npm run bench activation`).
 */
import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerContributions, startInBackground } from './contributions';
import { testApi, type TestApi } from './testApi';

export function activate(extension: vscode.ExtensionContext): TestApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Database Engineer', { log: true });
  extension.subscriptions.push(log);
  const ctx = new Ctx(extension, log);
  registerContributions(ctx);
  startInBackground(ctx);
  log.info(`Database Engineer ${extension.extension.packageJSON.version} activated in ${(performance.now() - started).toFixed(1)} ms`);
  return testApi(ctx);
}

export function deactivate(): void {}
