import type { Finding, RuleMeta, Severity } from './types';

/**
 * The one rule runner, for the SQL and the Prisma rules alike: configured severities (or off), a throwing rule
 * isolated (reported, the others still run), suppression comments, and the order findings are shown in.
 */
export interface RunInput<R extends RuleMeta> {
  rules: readonly R[];
  check(rule: R): Finding[];
  /** Findings that come from reading the files rather than from a rule (syntax errors), under their rule's id. */
  builtIn?: readonly { meta: RuleMeta; findings(): Finding[] }[];
  /** Configured severities by rule id: `.dbe.json` merged with the editor's settings. */
  levels: Readonly<Record<string, Severity | 'off'>>;
  /** Findings in other files are dropped (the editor re-checks one file right after an edit). */
  wants?: (file: string) => boolean;
  /** True when a `dbe-ignore` comment silences the finding. */
  suppressed(f: Finding): boolean;
  /** Position of a file in the output (migration order); files it does not know go last, by path. */
  fileRank?: (file: string) => number | undefined;
  /** Called when a rule throws. */
  onRuleError?: (rule: string, err: unknown) => void;
}

export function runChecks<R extends RuleMeta>(input: RunInput<R>): Finding[] {
  const out: Finding[] = [];
  const level = (meta: RuleMeta) => input.levels[meta.id] ?? meta.severity;
  const keep = (f: Finding, severity: Severity) => {
    if (input.wants && !input.wants(f.file)) return;
    // Assigned, not spread: a finding's fixes are a lazy getter that a copy would run.
    f.severity = severity;
    out.push(f);
  };
  for (const b of input.builtIn ?? []) {
    const sev = level(b.meta);
    if (sev !== 'off') for (const f of b.findings()) keep(f, sev);
  }
  for (const rule of input.rules) {
    const sev = level(rule);
    if (sev === 'off') continue;
    let found: Finding[];
    try {
      found = input.check(rule);
    } catch (err) {
      input.onRuleError?.(rule.id, err);
      continue;
    }
    for (const f of found) keep(f, sev);
  }
  const rank = (file: string) => input.fileRank?.(file) ?? Number.MAX_SAFE_INTEGER;
  return out
    .filter((f) => !input.suppressed(f))
    .sort(
      (a, b) =>
        rank(a.file) - rank(b.file) ||
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.range.start.line - b.range.start.line ||
        a.range.start.column - b.range.start.column ||
        (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
    );
}
