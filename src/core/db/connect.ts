import { Client } from 'pg';
import { mapConnectError } from './errors';
import { resolveProfile, toClientConfig, describeTarget, type ConnectionProfile, type ResolvedTarget } from './profile';
import { isReadOnly, type ReadOnlyPolicy } from './readOnly';
import { redactor, type Redactor } from '../security/redact';

export interface ConnectOptions {
  /** From SecretStorage; falls back to a password discovered with the target (URL / .pgpass). */
  password?: string;
  readOnlyPolicy?: ReadOnlyPolicy;
  /** Milliseconds before giving up on connecting. Default 5000. */
  connectTimeoutMs?: number;
}

export interface LiveConnection {
  client: Client;
  target: ResolvedTarget;
  readOnly: boolean;
  /** Masks this connection's password (and every other credential shape) in text leaving through any face. */
  redact: Redactor;
  /** A fresh client with the same settings (used to cancel a running query from the side). */
  openSibling(): Promise<Client>;
  close(): Promise<void>;
}

/** Opens a `pg` connection for a profile; failures come back as a ConnectError naming host:port/db and the fix. */
export async function connect(profile: ConnectionProfile, options: ConnectOptions = {}): Promise<LiveConnection> {
  const target = resolveProfile(profile);
  const readOnly = isReadOnly(profile, options.readOnlyPolicy);
  const config = toClientConfig(target, options.password, { connectTimeoutMs: options.connectTimeoutMs ?? 5000, readOnly });
  const open = async () => {
    const client = new Client(config);
    // An error event after connect (server restart, network drop) must not crash the host process.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (err) {
      client.end().catch(() => {});
      throw mapConnectError(err, target, [options.password, target.password]);
    }
    // Session-level read-only: every transaction, implicit or explicit, starts READ ONLY. (Explicit transactions
    // opened by EXPLAIN also say BEGIN READ ONLY, which holds even behind a transaction-mode pooler.)
    if (readOnly) await client.query('set default_transaction_read_only = on');
    return client;
  };
  const client = await open();
  const redact = redactor({ secrets: [options.password, target.password], publicNames: [target.user, target.database, target.host] });
  return {
    client, target, readOnly, redact,
    openSibling: open,
    close: () => client.end().catch(() => {}),
  };
}

export interface TestResult {
  ok: true;
  serverVersion: string;
  readOnly: boolean;
  target: string;
}

/** Connects, asks the server version, disconnects. Throws ConnectError on failure. */
export async function testConnection(profile: ConnectionProfile, options: ConnectOptions = {}): Promise<TestResult> {
  const conn = await connect(profile, options);
  try {
    const r = await conn.client.query<{ v: string }>("select current_setting('server_version') as v");
    return { ok: true, serverVersion: r.rows[0]!.v, readOnly: conn.readOnly, target: describeTarget(conn.target) };
  } finally {
    await conn.close();
  }
}
