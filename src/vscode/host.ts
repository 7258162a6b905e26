import type * as vscode from 'vscode';
import type { Config } from './config';

/** What every service is built with: the extension's context, its log channel and the typed settings. */
export interface Host {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly config: Config;
}
