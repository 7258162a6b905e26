import type { ClientConfig } from 'pg';
import { recognizeProvider, type Provider } from './provider';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/**
 * A saved way to reach a database. Never holds a password: the editor keeps those in SecretStorage and passes
 * them in when connecting. A profile made from a URL keeps the URL *without* its password.
 */
export interface ConnectionProfile {
  /** Stable id, used as the SecretStorage key. */
  id: string;
  name: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: SslMode;
  /** Overrides the fields above where set. Stored password-free (see `stripPassword`). */
  url?: string;
  /** Open sessions with `default_transaction_read_only = on`. Undefined: decided by the read-only policy. */
  readOnly?: boolean;
}

export interface ResolvedTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode?: SslMode;
  /** A password that came embedded in a URL or from ~/.pgpass at discovery; never persisted in a profile. */
  password?: string;
  provider: Provider;
}

/** Fields of a profile with its URL (if any) parsed and defaults filled, the way libpq would. */
export function resolveProfile(profile: ConnectionProfile): ResolvedTarget {
  const fromUrl = profile.url ? parsePostgresUrl(profile.url) : undefined;
  const host = fromUrl?.host || profile.host || 'localhost';
  const user = fromUrl?.user || profile.user || 'postgres';
  return {
    host,
    port: fromUrl?.port ?? profile.port ?? 5432,
    database: fromUrl?.database || profile.database || user,
    user,
    sslmode: fromUrl?.sslmode ?? profile.sslmode,
    password: fromUrl?.password,
    provider: recognizeProvider(host),
  };
}

export interface ParsedUrl {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: SslMode;
}

/** Parses `postgres://` / `postgresql://` URLs, including `?host=/socket/dir` and `?sslmode=`. Undefined if not one. */
export function parsePostgresUrl(url: string): ParsedUrl | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return undefined;
  const dec = (s: string) => {
    try { return decodeURIComponent(s); } catch { return s; }
  };
  const socketHost = u.searchParams.get('host') ?? undefined;
  const ssl = u.searchParams.get('sslmode') ?? (u.searchParams.get('ssl') === 'true' ? 'require' : undefined);
  return {
    host: socketHost || (u.hostname ? dec(u.hostname).replace(/^\[|\]$/g, '') : undefined),
    port: u.port ? Number(u.port) : undefined,
    database: u.pathname.length > 1 ? dec(u.pathname.slice(1)) : undefined,
    user: u.username ? dec(u.username) : undefined,
    password: u.password ? dec(u.password) : undefined,
    sslmode: isSslMode(ssl) ? ssl : undefined,
  };
}

function isSslMode(s: string | undefined): s is SslMode {
  return s !== undefined && ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(s);
}

/** The URL with any password replaced by `***`, for display and logs. Non-URLs come back unchanged. */
export function redactUrl(url: string): string {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/gi, '$1:***@');
}

/** The URL without its password at all, for saving in a profile. */
export function stripPassword(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '';
    return u.toString();
  } catch {
    return redactUrl(url);
  }
}

/** `host:port/db` — what messages name. Sockets show their directory. */
export function describeTarget(t: Pick<ResolvedTarget, 'host' | 'port' | 'database'>): string {
  return `${t.host}:${t.port}/${t.database}`;
}

/**
 * node-postgres settings for a target. SSL follows libpq's sslmode: `require` encrypts without verifying the
 * certificate (as libpq does), `verify-*` verify it; `prefer`/`allow`/unset try plain first (node-postgres has no
 * fallback, so managed hosts that require SSL get `require` semantics by default — see `defaultSsl`).
 */
export function toClientConfig(t: ResolvedTarget, password: string | undefined, opts: { connectTimeoutMs: number; readOnly: boolean; applicationName?: string }): ClientConfig {
  const sslmode = t.sslmode ?? defaultSsl(t.provider);
  const ssl: ClientConfig['ssl'] =
    sslmode === 'verify-full' || sslmode === 'verify-ca' ? { rejectUnauthorized: true }
    : sslmode === 'require' ? { rejectUnauthorized: false }
    : false;
  return {
    host: t.host,
    port: t.port,
    database: t.database,
    user: t.user,
    password: password ?? t.password,
    ssl,
    connectionTimeoutMillis: opts.connectTimeoutMs,
    application_name: opts.applicationName ?? 'database-engineer',
    // Read-only is applied after connecting (see connect.ts), not as a startup `options` parameter, which
    // PgBouncer-style poolers reject ("unsupported startup parameter").
  };
}

/** Managed providers refuse unencrypted connections; local servers usually have no SSL at all. */
export function defaultSsl(provider: Provider): SslMode {
  return provider === 'local' || provider === 'postgres' ? 'disable' : 'require';
}
