/**
 * Activation: build the context, register the contributions, return. The services behind them load on first use or
 * just after this returns (`startInBackground`), so activating costs milliseconds (`npm run bench activation`).
 */
import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerContributions, startInBackground } from './contributions';
import { testApi, type TestApi } from './testApi';

/** When this bundle was evaluated: activation's code loading ends here. */
const loadedAt = new Date();

export function activate(extension: vscode.ExtensionContext): TestApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Database Engineer', { log: true });
  extension.subscriptions.push(log);
  const ctx = new Ctx(extension, log);
  registerContributions(ctx);
  startInBackground(ctx);
  // Wall-clock times in the line: the log channel stamps lines when it flushes them, which can be a second later.
  log.info(`Database Engineer ${extension.extension.packageJSON.version} activated in ${(performance.now() - started).toFixed(1)} ms, at ${clock(new Date())} (code loaded at ${clock(loadedAt)})`);
  return testApi(ctx);
}

export function deactivate(): void {}

/** `HH:MM:SS.mmm`, local time, as the editor's log lines stamp theirs. */
function clock(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
