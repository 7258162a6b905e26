/** Which kind of PostgreSQL a host is, recognised from its name: it decides defaults (read-only, SSL) and labels. */
export type Provider = 'supabase' | 'rds' | 'cloudsql' | 'neon' | 'local' | 'postgres';

export const PROVIDER_LABELS: Record<Provider, string> = {
  supabase: 'Supabase',
  rds: 'AWS RDS',
  cloudsql: 'Google Cloud SQL',
  neon: 'Neon',
  local: 'Local',
  postgres: 'PostgreSQL',
};

/**
 * The provider behind `host`. A unix socket path (starts with `/`) or an empty host is local.
 * Cloud SQL is reached through its connector socket (`/cloudsql/project:region:instance`) or a `*.cloudsql` /
 * `*.sql.goog` name; the socket check comes before the generic "socket = local" rule.
 */
export function recognizeProvider(host: string | undefined): Provider {
  const h = (host ?? '').trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h.startsWith('/cloudsql/') || /\.cloudsql\b|\.sql\.goog$/.test(h)) return 'cloudsql';
  if (h === '' || h === 'localhost' || h === '127.0.0.1' || h === '::1' || h.startsWith('/') || /^127\./.test(h) || h === 'host.docker.internal') return 'local';
  if (h.endsWith('.supabase.co') || h.endsWith('.pooler.supabase.com') || h.endsWith('.supabase.com')) return 'supabase';
  if (h.endsWith('.rds.amazonaws.com') || h.endsWith('.rds.amazonaws.com.cn')) return 'rds';
  if (h.endsWith('.neon.tech')) return 'neon';
  return 'postgres';
}
