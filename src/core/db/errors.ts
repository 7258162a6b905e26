import { describeTarget, type ResolvedTarget } from './profile';

/** Why a connection failed, as a kind the editor can act on plus a message that says where and what to do. */
export type ConnectFailureKind =
  | 'refused' | 'unreachable' | 'dns' | 'auth' | 'no-database' | 'no-role' | 'ssl-required' | 'ssl-unsupported'
  | 'timeout' | 'password-missing' | 'too-many-connections' | 'other';

export class ConnectError extends Error {
  constructor(readonly kind: ConnectFailureKind, message: string, readonly code?: string) {
    super(message);
    this.name = 'ConnectError';
  }
}

/**
 * Turns whatever `pg` threw while connecting into a ConnectError. `secrets` (the password) are scrubbed from the
 * result in case a driver message ever echoed one; URLs are redacted.
 */
export function mapConnectError(err: unknown, t: ResolvedTarget, secrets: (string | undefined)[] = []): ConnectError {
  const e = err as { code?: string; message?: string; errno?: number };
  const where = describeTarget(t);
  const hostPort = `${t.host}:${t.port}`;
  const msg = String(e?.message ?? err);
  const make = (kind: ConnectFailureKind, text: string) => new ConnectError(kind, scrub(text, secrets), e?.code);
  switch (e?.code) {
    case 'ECONNREFUSED':
      return make('refused', `Nothing is listening at ${hostPort} (connection refused). Start the server, or check the host and port of this connection (${where}).`);
    case 'ENOENT':
      return make('refused', `No PostgreSQL socket in ${t.host} for port ${t.port}. Start the server, or check the socket directory and port (${where}).`);
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'EADDRNOTAVAIL':
      return make('unreachable', `The host ${hostPort} cannot be reached from this machine (${e.code}). Check the network, VPN or firewall, and the host name (${where}).`);
    case 'ENOTFOUND': case 'EAI_AGAIN':
      return make('dns', `The host name "${t.host}" does not resolve (DNS ${e.code === 'EAI_AGAIN' ? 'lookup failed temporarily' : 'has no such name'}). Check the spelling of the host in this connection (${where}).`);
    case 'ETIMEDOUT':
      return make('timeout', `Connecting to ${hostPort} timed out. The host may be down, firewalled, or only reachable over a VPN (${where}).`);
    case 'ECONNRESET':
      return make('unreachable', `The server at ${hostPort} closed the connection during start-up. If it requires SSL, set sslmode=require (${where}).`);
    case '28P01':
      return make('auth', `Password authentication failed for user "${t.user}" at ${where}. Re-enter the password (Database Engineer: Connect…) or check the user name.`);
    case '28000':
      return /pg_hba\.conf.*(no encryption|SSL off)/i.test(msg)
        ? make('ssl-required', `The server at ${where} only accepts SSL connections for user "${t.user}". Set sslmode=require on this connection.`)
        : make('auth', `The server at ${where} rejected user "${t.user}": ${firstLine(msg)}. Check the user name and the server's pg_hba.conf.`);
    case '3D000':
      return make('no-database', `The database "${t.database}" does not exist on ${hostPort}. Create it, or pick an existing database for this connection.`);
    case '53300':
      return make('too-many-connections', `The server at ${where} has no free connections (too many clients). Close idle sessions or use the provider's pooler.`);
  }
  if (/timeout expired|timed out|Connection terminated due to connection timeout/i.test(msg)) {
    return make('timeout', `Connecting to ${hostPort} timed out. The host may be down, firewalled, or only reachable over a VPN (${where}).`);
  }
  if (/does not support SSL|server does not support ssl/i.test(msg)) {
    return make('ssl-unsupported', `The server at ${where} does not support SSL. Set sslmode=disable (or prefer) on this connection.`);
  }
  if (/SSL.*required|requires? (an )?SSL|no encryption/i.test(msg)) {
    return make('ssl-required', `The server at ${where} requires SSL. Set sslmode=require on this connection.`);
  }
  if (/client password must be a string|SASL: SCRAM-SERVER-FIRST-MESSAGE: client password/i.test(msg)) {
    return make('password-missing', `The server at ${where} asks for a password for user "${t.user}" and none was given. Enter it via Database Engineer: Connect…`);
  }
  if (/self[- ]signed certificate|unable to verify|certificate/i.test(msg)) {
    return make('ssl-required', `The server certificate at ${where} could not be verified (${firstLine(msg)}). Use sslmode=require to encrypt without verifying, or install the provider's CA.`);
  }
  if (/role ".*" does not exist/i.test(msg)) {
    return make('no-role', `The user "${t.user}" does not exist on ${where}. Check the user name of this connection.`);
  }
  return make('other', `Could not connect to ${where}: ${firstLine(msg)}`);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** Replaces each secret (and any password inside a postgres URL) with `***`. */
export function scrub(text: string, secrets: (string | undefined)[]): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/gi, '$1:***@');
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}
