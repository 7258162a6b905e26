import type { Finding, Position } from './types';
import type { ParsedFile, Statement } from '../sql/parse';
import type { SchemaModel } from '../schema/model';
import type { DbeConfig } from './config';
import { everything, type Rule, type RuleContext, type RuleMeta } from './rule';

export const SYNTAX_ERROR: RuleMeta = {
  id: 'syntax-error',
  severity: 'error',
  category: 'syntax',
  summary: 'The statement is not valid PostgreSQL',
  docs: `## syntax-error

**What it finds:** a statement PostgreSQL's own parser (libpg-query, PostgreSQL 18 grammar) rejects.
The position is where the parser gave up. The rest of the file is still analysed: each statement is parsed on its own.

**Why it matters:** the migration fails when applied, and no rule can check the broken statement.

**How to fix:** correct the SQL at the marked position.
\`\`\`sql
-- before
selec * from profiles;
-- after
select * from profiles;
\`\`\`
`,
};

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.column < b.column);

/** The statement whose range holds `pos`, by binary search over the file's ordered statements. */
export function statementAt(file: ParsedFile, pos: Position): Statement | undefined {
  const list = file.statements;
  let lo = 0, hi = list.length - 1, found: Statement | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid]!;
    if (before(pos, s.range.start)) hi = mid - 1;
    else {
      found = s;
      lo = mid + 1;
    }
  }
  return found && !before(found.range.end, pos) ? found : undefined;
}

function suppressed(f: Finding, file: ParsedFile | undefined): boolean {
  if (!file) return false;
  const fi = file.fileIgnores;
  if (fi === 'all' || fi?.has(f.rule)) return true;
  const stmt = statementAt(file, f.range.start);
  const ig = stmt?.ignores;
  return ig === 'all' || Boolean(ig?.has(f.rule));
}

export interface EngineInput {
  files: ParsedFile[];
  model: SchemaModel;
  config: DbeConfig;
  rules: readonly Rule[];
  now?: () => Date;
  /** Only findings in this file are wanted (rules skip work elsewhere). */
  only?: string;
  /** Called when a rule throws: the other rules still run. */
  onRuleError?: (rule: string, err: unknown) => void;
}

/** Runs the enabled rules, applies configured severities and suppression comments, and orders the result. */
export function runRules(input: EngineInput): Finding[] {
  const byPath = new Map(input.files.map((f) => [f.path, f]));
  const exposed = new Set(input.config.exposedSchemas);
  const ctx: RuleContext = {
    model: input.model,
    files: input.files,
    file: (p) => byPath.get(p),
    config: input.config,
    isExposed: (s) => exposed.has(s),
    now: input.now ?? (() => new Date()),
    wants: input.only === undefined ? everything : (f) => f === input.only,
  };
  const out: Finding[] = [];
  const level = (id: string, dflt: Finding['severity']) => input.config.rules[id] ?? dflt;

  const syntaxLevel = level(SYNTAX_ERROR.id, SYNTAX_ERROR.severity);
  if (syntaxLevel !== 'off') {
    for (const f of input.files) {
      if (!ctx.wants(f.path)) continue;
      for (const e of f.syntaxErrors) {
        out.push({ rule: SYNTAX_ERROR.id, severity: syntaxLevel, category: 'syntax', message: e.message, file: f.path, range: e.range, fixes: [] });
      }
    }
  }
  for (const rule of input.rules) {
    const sev = level(rule.id, rule.severity);
    if (sev === 'off') continue;
    let found: Finding[];
    try {
      found = rule.check(ctx);
    } catch (err) {
      input.onRuleError?.(rule.id, err);
      continue;
    }
    for (const f of found) {
      if (!ctx.wants(f.file)) continue;
      f.severity = sev;
      out.push(f);
    }
  }

  const order = new Map(input.files.map((f, i) => [f.path, i]));
  return out
    .filter((f) => !suppressed(f, byPath.get(f.file)))
    .sort(
      (a, b) =>
        (order.get(a.file) ?? 1e9) - (order.get(b.file) ?? 1e9) ||
        a.range.start.line - b.range.start.line ||
        a.range.start.column - b.range.start.column ||
        (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
    );
}
