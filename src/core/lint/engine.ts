import type { Finding } from './types';
import { statementAt } from '../sql/cursor';
import { runChecks } from '../findings/runner';
import type { ParsedFile, SyntaxProblem } from '../sql/parse';
import type { SchemaModel } from '../schema/model';
import type { DbeConfig } from '../findings/config';
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

export const STATEMENT_TOO_COMPLEX: RuleMeta = {
  id: 'statement-too-complex',
  severity: 'warning',
  category: 'syntax',
  summary: 'The statement is too deep or too large for the parser to analyse',
  docs: `## statement-too-complex

**What it finds:** a statement nested or repeated beyond what the parser can hold in memory (thousands of nested
parentheses, a UNION ALL of thousands of branches). It is not a syntax error: PostgreSQL may well accept it.

**Why it matters:** no rule checked it, so a problem inside it goes unreported.

**How to fix:** nothing is wrong with the SQL as far as this message knows. Split generated statements into smaller
ones if you can, or check this one by hand. Silence it with \`-- dbe-ignore statement-too-complex\` above it.
`,
};

/** The finding for a statement the parser could not take: a syntax error, or one too deep or large to analyse. */
export function parseProblemMeta(e: SyntaxProblem): RuleMeta {
  return e.tooComplex ? STATEMENT_TOO_COMPLEX : SYNTAX_ERROR;
}

export const UNAPPLIED_STATEMENT: RuleMeta = {
  id: 'unapplied-statement',
  severity: 'warning',
  category: 'schema',
  summary: 'The schema model could not apply a statement, so rules do not see what it changes',
  docs: `## unapplied-statement

**What it finds:** a statement that parses but that Database Engineer's schema model could not apply (a form of the
statement it does not understand yet). The model goes on without it.

**Why it matters:** rules judge the schema the migrations build. Without this statement's changes, a finding may be
missing or wrong for the objects it touches (a column it adds, a policy it creates).

**How to fix:** nothing is wrong with the SQL itself as far as this message knows: PostgreSQL decides that. Check the
findings around the objects it changes by hand, and report the statement so the model learns its form.
Silence it with \`-- dbe-ignore unapplied-statement\` above the statement.
`,
};

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
  const order = new Map(input.files.map((f, i) => [f.path, i]));
  return runChecks({
    rules: input.rules,
    check: (rule) => rule.check(ctx),
    builtIn: [{
      meta: UNAPPLIED_STATEMENT,
      findings: () => input.model.warnings.map((w): Finding => (
        { rule: UNAPPLIED_STATEMENT.id, severity: UNAPPLIED_STATEMENT.severity, category: UNAPPLIED_STATEMENT.category, message: w.message, file: w.file, range: w.range, fixes: [] })),
    }, ...[SYNTAX_ERROR, STATEMENT_TOO_COMPLEX].map((meta) => ({
      meta,
      findings: () => input.files.filter((f) => ctx.wants(f.path)).flatMap((f) => f.syntaxErrors.filter((e) => parseProblemMeta(e) === meta).map((e): Finding => (
        { rule: meta.id, severity: meta.severity, category: meta.category, message: e.message, file: f.path, range: e.range, fixes: [] }))),
    }))],
    levels: input.config.rules,
    wants: ctx.wants === everything ? undefined : ctx.wants,
    suppressed: (f) => suppressed(f, byPath.get(f.file)),
    fileRank: (file) => order.get(file),
    ...(input.onRuleError ? { onRuleError: input.onRuleError } : {}),
  });
}
