/**
 * Typed access to the settings: the one place that reads (and writes) `databaseEngineer.*`, and the one listener
 * that turns a settings change into the reloads it needs (`settings.ts` says which). Services subscribe to
 * `onDidChange` and act on the reloads they own.
 */
import * as vscode from 'vscode';
import type { ConnectionProfile, ReadOnlyPolicy } from '../core/db';
import type { LintSettingsInput } from '../core/editing/settings';
import type { ProviderSetting } from '../core/chat/turn';
import { reloadsFor, SECTION, type Reload, type SettingKey } from './settings';

export type LintScope = 'workspace' | 'openFiles';

export class Config implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReadonlySet<Reload>>();
  /** Fires with the reloads a settings change needs (never with an empty set). */
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      const reloads = reloadsFor((key) => e.affectsConfiguration(`${SECTION}.${key}`));
      if (reloads.size) this.changed.fire(reloads);
    });
  }

  private read<T>(key: SettingKey, scope?: vscode.Uri): T | undefined {
    return vscode.workspace.getConfiguration(SECTION, scope).get<T>(key);
  }

  /** Only a value the user set (folder, workspace or user), not the default. */
  private explicit<T>(key: SettingKey, scope?: vscode.Uri): T | undefined {
    const i = vscode.workspace.getConfiguration(SECTION, scope).inspect<T>(key);
    return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
  }

  get lintScope(): LintScope {
    return this.read<string>('lint.scope') === 'openFiles' ? 'openFiles' : 'workspace';
  }

  /** The settings layered over a folder's `.dbe.json` (raw: `settingsOverlay` validates them). */
  lintSettings(folder: vscode.Uri): LintSettingsInput {
    return {
      rules: this.read('lint.rules', folder),
      exposedSchemas: this.explicit('lint.exposedSchemas', folder),
      migrationFolders: this.explicit('lint.migrationFolders', folder),
    };
  }

  get agentFolders(): string[] {
    const v = this.read<unknown>('agentFolders');
    return Array.isArray(v) ? v.filter((f): f is string => typeof f === 'string') : [];
  }

  get modelAliases(): Record<string, string> {
    const v = this.read<unknown>('modelAliases');
    if (!v || typeof v !== 'object') return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  /** Saved connection profiles, each with an id (`settings:<name>` unless it has one). */
  get connections(): ConnectionProfile[] {
    return (this.read<ConnectionProfile[]>('connections') ?? []).map((p, i) => ({ ...p, id: p.id || `settings:${p.name || i}` }));
  }

  get readOnly(): ReadOnlyPolicy {
    const v = this.read<string>('readOnly');
    return v === 'always' || v === 'never' ? v : 'auto';
  }

  get statementTimeoutMs(): number {
    return this.read<number>('explain.statementTimeoutMs') ?? 30_000;
  }

  get embedded(): { syntheticRows: number; idleMinutes: number } {
    return { syntheticRows: this.read<number>('embedded.syntheticRows') ?? 0, idleMinutes: this.read<number>('embedded.idleMinutes') ?? 5 };
  }

  get chatProvider(): ProviderSetting {
    const v = this.read<string>('chat.provider');
    return v === 'anthropic' || v === 'vscode' ? v : 'auto';
  }

  /** Adds (or replaces, by name) a saved connection in the workspace settings. The URL carries no password. */
  async saveConnection(profile: { name: string; url: string }): Promise<void> {
    const existing = (this.read<ConnectionProfile[]>('connections') ?? []).filter((p) => p.name !== profile.name);
    await vscode.workspace.getConfiguration(SECTION).update('connections', [...existing, profile], vscode.ConfigurationTarget.Workspace);
  }

  async setReadOnly(policy: ReadOnlyPolicy): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update('readOnly', policy, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
