import type { ConnectionProfile } from './profile';
import { resolveProfile } from './profile';

/** `auto`: read-only unless the server is local; `always` / `never` force it. */
export type ReadOnlyPolicy = 'auto' | 'always' | 'never';

/** Whether sessions on this profile run read-only: the profile's own choice wins, then the policy. */
export function isReadOnly(profile: ConnectionProfile, policy: ReadOnlyPolicy = 'auto'): boolean {
  if (profile.readOnly !== undefined) return profile.readOnly;
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return resolveProfile(profile).provider !== 'local';
}
