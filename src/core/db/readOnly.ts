import type { ConnectionProfile } from './profile';

/**
 * `auto`: read-only unless the profile was marked writable; `always` / `never` force it. The host says nothing about
 * what a server holds: an SSH tunnel or a cloud SQL proxy to production listens on 127.0.0.1 too.
 */
export type ReadOnlyPolicy = 'auto' | 'always' | 'never';

/**
 * Whether sessions on this profile run read-only: the profile's own `readOnly` wins, then the policy. A profile the
 * user never marked is read-only; discovery marks a Supabase local stack (from supabase/config.toml) writable.
 */
export function isReadOnly(profile: ConnectionProfile, policy: ReadOnlyPolicy = 'auto'): boolean {
  if (profile.readOnly !== undefined) return profile.readOnly;
  return policy !== 'never';
}
