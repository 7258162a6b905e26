import type { ClientConfig } from 'pg';
import { recognizeProvider, type Provider } from './provider';
import { redact } from '../security/redact';

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
  /**
   * Let the agents' queries run with this login's full powers (superuser, server files, signals). Off by default:
   * such a login drops to pg_read_all_data (PostgreSQL 14+) or is refused. Set it only for a scratch database.
   */
  agentFullPowers?: boolean;
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

/** A connection URL that cannot be read; the message names the problem and never the password. */
export class InvalidUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidUrlError';
  }
}

/**
 * Fields of a profile with its URL (if any) parsed and defaults filled, the way libpq would. A URL that cannot be
 * parsed throws InvalidUrlError: falling back to localhost:5432 as `postgres` would connect somewhere else.
 */
export function resolveProfile(profile: ConnectionProfile): ResolvedTarget {
  let fromUrl: ParsedUrl | undefined;
  if (profile.url) {
    const checked = checkPostgresUrl(profile.url);
    if (!checked.ok) throw new InvalidUrlError(checked.problem);
    fromUrl = checked.parsed;
  }
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
  const checked = checkPostgresUrl(url);
  return checked.ok ? checked.parsed : undefined;
}

/**
 * Parses a postgres URL or says precisely what is wrong with it: an unencoded `/`, `#` or `?` in the user name or
 * password (which would silently move the rest into the path or fragment), a port outside 1–65535, another scheme.
 * Messages show the URL with its password masked.
 */
export function checkPostgresUrl(url: string): { ok: true; parsed: ParsedUrl } | { ok: false; problem: string } {
  const text = url.trim();
  const shown = redactUrl(text);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (!scheme) return { ok: false, problem: text ? `not a URL: it should look like postgres://user@host:5432/dbname` : 'the URL is empty (is the environment variable set?)' };
  if (!/^postgres(ql)?$/i.test(scheme[1]!)) return { ok: false, problem: `${scheme[1]}:// is not a PostgreSQL URL; it should start with postgres:// or postgresql://` };
  const rest = text.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  const delim = rest.search(/[/?#]/);
  if (at >= 0 && delim >= 0 && delim < at) {
    const ch = rest[delim]!;
    return { ok: false, problem: `the user name or password contains an unencoded "${ch}"; percent-encode it as ${encodeURIComponent(ch)} (or give the password in PGPASSWORD or ~/.pgpass instead of the URL)` };
  }
  const hostPart = (at >= 0 ? rest.slice(at + 1) : rest).split(/[/?#]/)[0]!;
  const port = /:(\d*)$/.exec(hostPart.replace(/^\[[^\]]*\]/, ''));
  if (port && (port[1] === '' || Number(port[1]) < 1 || Number(port[1]) > 65535)) {
    return { ok: false, problem: `the port "${port[1]}" is not a port number (1–65535) in ${shown}` };
  }
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, problem: `cannot parse ${shown} as a URL; check its punctuation and percent-encode special characters in the password` };
  }
  const dec = (s: string) => {
    try { return decodeURIComponent(s); } catch { return s; }
  };
  const socketHost = u.searchParams.get('host') ?? undefined;
  const ssl = u.searchParams.get('sslmode') ?? (u.searchParams.get('ssl') === 'true' ? 'require' : undefined);
  return {
    ok: true,
    parsed: {
      host: socketHost || (u.hostname ? dec(u.hostname).replace(/^\[|\]$/g, '') : undefined),
      port: u.port ? Number(u.port) : undefined,
      database: u.pathname.length > 1 ? dec(u.pathname.slice(1)) : undefined,
      user: u.username ? dec(u.username) : undefined,
      password: u.password ? dec(u.password) : undefined,
      sslmode: isSslMode(ssl) ? ssl : undefined,
    },
  };
}

function isSslMode(s: string | undefined): s is SslMode {
  return s !== undefined && ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(s);
}

/** The URL with its password (and password parameters) masked, for display and logs. Non-URLs come back unchanged. */
export function redactUrl(url: string): string {
  return redact(url);
}

/** The URL without its password at all (userinfo and `password` / `sslpassword` parameters), for saving in a profile. */
export function stripPassword(url: string): string {
  try {
    const u = new URL(url);
    const params = ['password', 'sslpassword'].filter((k) => u.searchParams.has(k));
    if (!u.password && params.length === 0) return url;
    u.password = '';
    for (const k of params) u.searchParams.delete(k);
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
