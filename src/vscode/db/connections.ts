/**
 * The editor face of database connections: profiles in settings, passwords in SecretStorage, the active connection in
 * workspaceState, Connect… / Test Connection / Disconnect / Read-Only commands, a status-bar item, and an explain
 * target (the live connection, else the embedded database) for the Explain Query command.
 * Logic that the CLI would also want lives in src/core/db; this file converts and wires.
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { Host } from '../host';
import { COMMAND, type CommandHandlers } from '../commands';
import {
  connect, discoverConnections, isReadOnly, EmbeddedService, ConnectError, PROVIDER_LABELS, liveDatabase, embeddedDatabase,
  resolveProfile, describeTarget, stripPassword, parsePostgresUrl, recognizeProvider,
  type ConnectionProfile, type LiveConnection, type ReadOnlyPolicy, type ExplainRequest, type ExplainResult,
  type MigrationIssue, type Provider, type Database,
} from '../../core/db';
import type { Logger } from '../../core/log';
import type { DatabaseSource } from '../../core/workspace/project';
import type { Config } from '../config';
import type { Projects } from './projects';

const ACTIVE_KEY = 'databaseEngineer.activeConnection';
const secretKey = (id: string) => `databaseEngineer.password.${id}`;

export interface ActiveConnectionInfo {
  profile: ConnectionProfile;
  provider: Provider;
  /** `host:port/db`, no password. */
  display: string;
  readOnly: boolean;
}

/** What other services (and extension-host tests) use of the connections. */
export interface ConnectionsApi {
  /** The chosen live connection, or undefined when the embedded database is the target. */
  active(): ActiveConnectionInfo | undefined;
  /** Where EXPLAIN runs now: the active live connection, or the embedded database built from the migrations. */
  target(): { database: 'live' | 'embedded'; label: string };
  /**
   * EXPLAIN on the current target (live: opened on demand, asking for a password if needed; embedded: built or
   * reopened in a worker thread, with progress shown), using the configured statement timeout unless the request
   * sets one. Errors: ConnectError / ExplainError with specific messages.
   */
  explain(request: ExplainRequest, options?: ExplainProgressOptions): Promise<ExplainResult>;
  /** Statements of the migrations the embedded database could not apply (after its last open). */
  embeddedIssues(): MigrationIssue[];
  /** Makes `profile` active (used by Connect… and by tests). `password` goes to SecretStorage. */
  activate(profile: ConnectionProfile, password?: string): Promise<void>;
  disconnect(): Promise<void>;
  /** Fires when the active connection changes. */
  onDidChange: vscode.Event<ActiveConnectionInfo | undefined>;
  /**
   * The database the agents' tools query: the active live connection (opened on demand, read-only per its setting),
   * else the embedded database; undefined when neither is possible (no folder open).
   */
  toolDatabase(): Promise<Database | undefined>;
}

export interface ExplainProgressOptions {
  /**
   * Build progress of the embedded database (one call per migration file). When given, the caller shows the
   * progress (e.g. inside its own cancellable notification) and no notification of ours appears.
   */
  onProgress?: (p: { index: number; total: number; file: string }) => void;
}

/** The connections service and its commands (Connect…, Test Connection, Disconnect, Read-Only Mode…). */
export function createConnections(host: Host, projects: Projects): { api: ConnectionsApi; commands: Pick<CommandHandlers, 'connect' | 'testConnection' | 'disconnect' | 'setReadOnly'> } {
  const service = new Connections(host, projects);
  host.extension.subscriptions.push(service);
  // The projects' database is this service's: the active connection, else the embedded database.
  projects.useDatabase(service.databaseSource);
  return { api: service.api, commands: service.commands };
}

class Connections implements vscode.Disposable {
  private live?: Promise<LiveConnection>;
  private embedded?: EmbeddedService;
  /** The migration folders `embedded` was built from. */
  private embeddedFolders?: string;
  private readonly status: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<ActiveConnectionInfo | undefined>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly logger: Logger;
  readonly api: ConnectionsApi;
  readonly commands = {
    connect: () => this.pickAndConnect(),
    testConnection: () => this.testActive(),
    disconnect: () => this.disconnect(),
    setReadOnly: () => this.pickReadOnly(),
  };
  private readonly config: Config;

  constructor(private readonly host: Host, private readonly projects: Projects) {
    this.logger = host.log;
    this.config = host.config;
    this.status = vscode.window.createStatusBarItem('databaseEngineer.connection', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'Database Engineer Connection';
    this.status.command = COMMAND.connect;
    this.disposables.push(
      this.status, this.changed,
      host.config.onDidChange((reloads) => {
        if (reloads.has('connection')) void this.dropLive().then(() => this.render());
        if (reloads.has('embedded')) void this.embedded?.dispose().then(() => { this.embedded = undefined; });
      }),
    );
    const self = this;
    this.api = {
      active: () => this.activeInfo(),
      target: () => {
        const info = this.activeInfo();
        return info ? { database: 'live', label: `${info.profile.name} (${info.display})` } : { database: 'embedded', label: 'Embedded (migrations)' };
      },
      explain: (req, options) => this.explain({ statementTimeoutMs: this.config.statementTimeoutMs, ...req }, options),
      embeddedIssues: () => this.embedded?.issues() ?? [],
      activate: (profile, password) => this.setActive(profile, password),
      disconnect: () => this.disconnect(),
      get onDidChange() { return self.changed.event; },
      toolDatabase: async () => {
        const profile = this.activeProfile();
        if (profile) return liveDatabase(await this.liveConnection(profile), profile.name);
        if (!vscode.workspace.workspaceFolders?.length) return undefined;
        return embeddedDatabase(this.service());
      },
    };
    this.render();
    this.status.show();
  }

  readonly databaseSource: DatabaseSource = {
    describe: () => {
      const profile = this.activeProfile();
      if (profile) return { kind: 'live', name: profile.name, provider: resolveProfile(profile).provider };
      return vscode.workspace.workspaceFolders?.length ? { kind: 'embedded', name: 'embedded database (built from the migrations)' } : undefined;
    },
    // A connection that cannot open leaves the tools on the migrations' model, said in the log.
    open: () => this.api.toolDatabase().catch((err) => {
      this.logger.warn(`agent tools: no database for this turn: ${(err as Error).message}`);
      return undefined;
    }),
  };

  private activeProfile(): ConnectionProfile | undefined {
    return this.host.extension.workspaceState.get<ConnectionProfile>(ACTIVE_KEY);
  }

  private activeInfo(): ActiveConnectionInfo | undefined {
    const profile = this.activeProfile();
    if (!profile) return undefined;
    const t = resolveProfile(profile);
    return { profile, provider: t.provider, display: describeTarget(t), readOnly: this.readOnlyFor(profile) };
  }

  private readOnlyFor(profile: ConnectionProfile): boolean {
    return isReadOnly(profile, this.config.readOnly);
  }

  private render(): void {
    const info = this.activeInfo();
    if (!info) {
      this.status.text = '$(database) Embedded (migrations)';
      this.status.tooltip = 'EXPLAIN runs on an in-process database built from the workspace migrations. Click to connect to a database.';
    } else {
      this.status.text = `$(database) ${info.profile.name} · ${PROVIDER_LABELS[info.provider]}${info.readOnly ? ' $(lock)' : ''}`;
      this.status.tooltip = `${info.display} as ${resolveProfile(info.profile).user}${info.readOnly ? ' — read-only' : ''}. Click to switch.`;
    }
  }

  private async setActive(profile: ConnectionProfile, password?: string): Promise<void> {
    await this.dropLive();
    if (password) await this.host.extension.secrets.store(secretKey(profile.id), password);
    // Never persist a password: URLs are stored without theirs.
    const clean = profile.url ? { ...profile, url: stripPassword(profile.url) } : profile;
    await this.host.extension.workspaceState.update(ACTIVE_KEY, clean);
    this.logger.info(`active connection: ${clean.name} (${describeTarget(resolveProfile(clean))})`);
    this.render();
    this.changed.fire(this.activeInfo());
  }

  async disconnect(): Promise<void> {
    await this.dropLive();
    await this.host.extension.workspaceState.update(ACTIVE_KEY, undefined);
    this.render();
    this.changed.fire(undefined);
  }

  private async dropLive(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (live) await live.then((c) => c.close(), () => {});
  }

  /** The open live connection for the active profile, opened (prompting for a password if needed) on first use. */
  private liveConnection(profile: ConnectionProfile): Promise<LiveConnection> {
    if (!this.live) {
      this.live = this.open(profile);
      this.live.then((c) => c.client.on('end', () => { this.live = undefined; }), () => { this.live = undefined; });
    }
    return this.live;
  }

  private async open(profile: ConnectionProfile, promptOnAuth = true): Promise<LiveConnection> {
    let password = await this.host.extension.secrets.get(secretKey(profile.id));
    const readOnlyPolicy: ReadOnlyPolicy = this.readOnlyFor(profile) ? 'always' : 'never';
    try {
      return await connect(profile, { password, readOnlyPolicy });
    } catch (err) {
      if (!(err instanceof ConnectError) || !['auth', 'password-missing'].includes(err.kind) || !promptOnAuth) throw err;
      password = await vscode.window.showInputBox({
        title: `Password for ${resolveProfile(profile).user}@${describeTarget(resolveProfile(profile))}`,
        prompt: err.kind === 'auth' ? 'The saved password was refused. It is kept in the editor\'s secret storage.' : 'Kept in the editor\'s secret storage, never in settings.',
        password: true, ignoreFocusOut: true,
      });
      if (!password) throw err;
      const conn = await connect(profile, { password, readOnlyPolicy });
      await this.host.extension.secrets.store(secretKey(profile.id), password);
      return conn;
    }
  }

  /** The embedded database of the first folder's project, rebuilt when the project's migration folders change. */
  private service(): EmbeddedService {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('Open a folder with migrations to use the embedded database, or connect to a database (Database Engineer: Connect…).');
    const root = folder.uri.fsPath;
    const project = this.projects.forFolder(folder);
    const folders = project.getConfig().migrationFolders;
    // Every configured folder was refused: build nothing rather than detect folders the user did not name.
    if (folders?.length === 0) throw new Error(`The embedded database has no migrations: ${project.problems().map((p) => p.message).join('; ')}`);
    const key = JSON.stringify(folders ?? null);
    if (this.embedded && this.embeddedFolders !== key) {
      void this.embedded.dispose();
      this.embedded = undefined;
    }
    this.embeddedFolders = key;
    const s = this.config.embedded;
    return (this.embedded ??= new EmbeddedService({
      root,
      ...(folders ? { folders } : {}),
      cacheDir: join(this.host.extension.globalStorageUri.fsPath, 'embedded'),
      rows: s.syntheticRows,
      idleMs: s.idleMinutes * 60_000,
      log: this.logger,
    }));
  }

  private async explain(request: ExplainRequest, options: ExplainProgressOptions = {}): Promise<ExplainResult> {
    const profile = this.activeProfile();
    if (profile) return liveDatabase(await this.liveConnection(profile), profile.name).explain(request);
    const service = this.service();
    const database = embeddedDatabase(service);
    const run = (onProgress?: (p: { index: number; total: number; file: string }) => void) => database.explain(request, onProgress).finally(() => {
      const issues = service.issues();
      if (issues.length > 0) this.logger.warn(`embedded database: ${issues.length} migration statement(s) failed: ${issues.slice(0, 5).map((i) => `${i.file}:${i.line} ${i.message}`).join('; ')}`);
    });
    // The caller's progress sees a rebuild too (an open worker restarts when a migration changed).
    if (options.onProgress) return run(options.onProgress);
    if (service.isOpen) return run();
    // A first build can take a while: show which migration it is on.
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Database Engineer: embedded database' }, (progress) =>
      run((p) => progress.report({ message: `applying migration ${p.index} of ${p.total}: ${p.file}` })));
  }

  private async pickAndConnect(): Promise<void> {
    type Item = vscode.QuickPickItem & { run?: () => Promise<unknown> };
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const items: Item[] = [];
    const active = this.activeProfile();
    const profiles = this.config.connections;
    if (profiles.length) items.push({ label: 'Saved', kind: vscode.QuickPickItemKind.Separator });
    for (const p of profiles) {
      const t = resolveProfile(p);
      items.push({ label: `$(database) ${p.name}`, description: `${PROVIDER_LABELS[t.provider]} · ${describeTarget(t)}`, detail: 'settings: databaseEngineer.connections', picked: active?.id === p.id, run: () => this.tryConnect(p) });
    }
    const discovered = root ? discoverConnections(root, { env: process.env }) : [];
    if (discovered.length) items.push({ label: 'Found in this workspace', kind: vscode.QuickPickItemKind.Separator });
    for (const d of discovered) {
      items.push({ label: `$(search) ${d.profile.name}`, description: `${PROVIDER_LABELS[d.provider]} · ${d.display}`, detail: d.source + (d.password ? ' (password found)' : ''), run: () => this.tryConnect({ ...d.profile, name: d.source }, d.password) });
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(add) Enter a connection URL…', run: () => this.connectByUrl() });
    items.push({ label: '$(circuit-board) Embedded (built from migrations)', description: 'no server needed', run: () => this.disconnect() });
    const pick = await vscode.window.showQuickPick(items, { title: 'Database Engineer: Connect…', placeHolder: 'Choose a database for EXPLAIN and the agents', matchOnDescription: true, matchOnDetail: true });
    await pick?.run?.();
  }

  private async connectByUrl(): Promise<void> {
    const url = await vscode.window.showInputBox({
      title: 'Connection URL', prompt: 'postgres://user:password@host:5432/db — the password goes to secret storage, the rest to settings.',
      ignoreFocusOut: true, validateInput: (v) => (parsePostgresUrl(v) ? undefined : 'Enter a postgres:// or postgresql:// URL'),
    });
    if (!url) return;
    const parsed = parsePostgresUrl(url)!;
    const name = await vscode.window.showInputBox({ title: 'Name for this connection', value: `${parsed.database ?? 'db'} on ${parsed.host ?? 'localhost'}` });
    if (!name) return;
    const profile: ConnectionProfile = { id: `settings:${name}`, name, url: stripPassword(url) };
    if (await this.tryConnect(profile, parsed.password)) {
      await this.config.saveConnection({ name, url: profile.url! });
    }
  }

  /** Tests the profile with progress; on success makes it active. */
  private async tryConnect(profile: ConnectionProfile, password?: string): Promise<boolean> {
    if (password) await this.host.extension.secrets.store(secretKey(profile.id), password);
    const where = describeTarget(resolveProfile(profile));
    try {
      const conn = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${where}…` }, () => this.open(profile));
      await this.setActive(profile);
      this.live = Promise.resolve(conn);
      conn.client.on('end', () => { this.live = undefined; });
      vscode.window.showInformationMessage(`Connected to ${profile.name} (${PROVIDER_LABELS[recognizeProvider(resolveProfile(profile).host)]}${conn.readOnly ? ', read-only' : ''}).`);
      return true;
    } catch (err) {
      this.showConnectError(err);
      return false;
    }
  }

  private async testActive(): Promise<void> {
    const profile = this.activeProfile();
    if (!profile) {
      vscode.window.showInformationMessage('No database connected: EXPLAIN uses the embedded database built from the migrations.', 'Connect…')
        .then((a) => a && vscode.commands.executeCommand(COMMAND.connect));
      return;
    }
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing ${profile.name}…` }, async () => {
        const conn = await this.open(profile);
        try {
          const r = await conn.client.query<{ v: string }>(`select current_setting('server_version') as v`);
          return { version: r.rows[0]!.v, readOnly: conn.readOnly };
        } finally {
          await conn.close();
        }
      });
      vscode.window.showInformationMessage(`${profile.name}: connected to PostgreSQL ${result.version} at ${describeTarget(resolveProfile(profile))}${result.readOnly ? ' (read-only)' : ''}.`);
    } catch (err) {
      this.showConnectError(err);
    }
  }

  private showConnectError(err: unknown): void {
    const message = err instanceof ConnectError ? err.message : `Could not connect: ${(err as Error).message}`;
    this.logger.warn(message);
    void vscode.window.showErrorMessage(message, 'Connect…').then((a) => a && vscode.commands.executeCommand(COMMAND.connect));
  }

  private async pickReadOnly(): Promise<void> {
    const current = this.config.readOnly;
    const choices: { label: string; description: string; value: ReadOnlyPolicy }[] = [
      { label: 'auto', description: 'read-only unless the server is local', value: 'auto' },
      { label: 'always', description: 'every connection read-only', value: 'always' },
      { label: 'never', description: 'allow writes (EXPLAIN ANALYZE still rolls back)', value: 'never' },
    ];
    const items = choices.map((i) => ({ ...i, picked: i.value === current, label: i.value === current ? `$(check) ${i.label}` : i.label }));
    const pick = await vscode.window.showQuickPick(items, { title: 'Database Engineer: read-only mode' });
    if (pick) await this.config.setReadOnly(pick.value);
  }

  dispose(): void {
    void this.dropLive();
    void this.embedded?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
