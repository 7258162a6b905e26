import type { Rule } from '../rule';
import { finding } from '../rule';
import type { Policy } from '../../schema/model';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

const COMMANDS = ['select', 'insert', 'update', 'delete'] as const;
/** Overlapping policies a message names; the rest are counted. */
const NAMED = 3;

export const rule: Rule = {
  id: 'multiple-permissive-policies',
  severity: 'warning',
  category: 'performance',
  summary: 'Several permissive policies for the same table, role and command',
  docs: `## multiple-permissive-policies

**What it finds:** two or more permissive policies on one table that apply to the same role and command
(\`FOR ALL\` counts for every command; \`TO public\` counts for every role).

**Why it matters:** PostgreSQL evaluates every applicable permissive policy for every row and ORs the
results. Each extra policy is extra work per row, and the combined rule is harder to reason about.

**How to fix:** merge them into one policy with the conditions joined by \`OR\`.
\`\`\`sql
-- before
create policy "Owners read" on public.documents for select to authenticated using ((select auth.uid()) = owner_id);
create policy "Public read" on public.documents for select to authenticated using (is_public);
-- after
create policy "Read own or public documents" on public.documents for select to authenticated
  using (is_public or (select auth.uid()) = owner_id);
\`\`\`

**Peers:** splinter 0006 (\`multiple_permissive_policies\`); squawk and the Postgres Language Server have no counterpart.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const [table, policies] of ctx.model.policies) {
      const permissive = policies.filter((p) => p.permissive);
      if (permissive.length < 2) continue;
      const roles = new Set(permissive.flatMap((p) => p.roles).filter((r) => r !== 'public'));
      if (permissive.some((p) => p.roles.includes('public'))) for (const r of ['anon', 'authenticated']) roles.add(r);
      const reported = new Set<Policy>();
      for (const role of roles) {
        for (const cmd of COMMANDS) {
          const applies = permissive.filter(
            (p) => (p.command === 'all' || p.command === cmd) && (p.roles.includes(role) || p.roles.includes('public')),
          );
          if (applies.length < 2) continue;
          // Report each overlapping policy after the first once, naming the first.
          for (const p of applies.slice(1)) {
            if (reported.has(p)) continue;
            reported.add(p);
            // Name a few and count the rest: with thousands of policies, listing all in every message is quadratic.
            const named: Policy[] = [];
            for (const x of applies) {
              if (x !== p) named.push(x);
              if (named.length === NAMED) break;
            }
            const rest = applies.length - 1 - named.length;
            const others = named.map((x) => `"${x.name}"`).join(', ') + (rest > 0 ? ` and ${rest} other${rest === 1 ? '' : 's'}` : '');
            out.push(
              finding(rule, p.origin.file, p.origin.range,
                `Policy "${p.name}" on ${sqlName(table)} overlaps ${others} for role ${role} and ${cmd.toUpperCase()}: permissive policies are all evaluated per row; merge them into one.`,
                { related: named.map((x) => ({ file: x.origin.file, range: x.origin.range, message: `overlapping policy "${x.name}"` })) }),
            );
          }
        }
      }
    }
    return out;
  },
};
