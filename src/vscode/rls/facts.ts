/**
 * What the view, the CodeLens and the matrix panel say, from one report: the same words everywhere (and the same
 * ones `dbe rls` prints), so the editor test can compare them with the CLI.
 */
import type { AccessCell, Leak, PolicyInfo, TableReport } from '../../core/rls/types';
import { describeCell } from '../../core/rls/render';

export { describeCell };

/** The cells a policy decided that let rows through ("authenticated: select own rows"). */
export function policyFacts(t: TableReport, policy: PolicyInfo): string[] {
  return t.access.filter((c) => c.policies.includes(policy.name) && c.rows !== 'none' && c.rows !== 'denied').map(describeCell);
}

export function leaksOf(t: TableReport, policy?: string): Leak[] {
  return t.leaks.filter((l) => (policy === undefined ? true : l.policy === policy));
}

export function cellLeaks(t: TableReport, c: AccessCell): Leak[] {
  return t.leaks.filter((l) => l.role === c.role && l.command === c.command);
}

/** The CodeLens title over a `create policy`. */
export function policyLensTitle(t: TableReport, policy: PolicyInfo): string {
  const facts = policyFacts(t, policy);
  const leaks = leaksOf(t, policy.name);
  const what = facts.length ? facts.join(' · ') : 'lets no row through in the simulation';
  return `${leaks.length ? `⚠ ${[...new Set(leaks.map((l) => l.kind))].join(', ')} leak · ` : ''}${what}`;
}

/** The CodeLens title over an `enable row level security`: what anon and authenticated reach. */
export function tableLensTitle(t: TableReport): string {
  const cells = t.access.filter((c) => (c.role === 'anon' || c.role === 'authenticated') && c.rows !== 'none' && c.rows !== 'denied');
  const what = cells.length ? cells.map(describeCell).join(' · ') : 'anon, authenticated: no access';
  return `${t.leaks.length ? `⚠ ${t.leaks.length} leak${t.leaks.length === 1 ? '' : 's'} · ` : ''}${what}`;
}
