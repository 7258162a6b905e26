import type { Finding, RuleMeta } from '../findings/types';
import type { DbeConfig } from '../findings/config';
import { runChecks } from '../findings/runner';
import type { SchemaModel } from '../schema/model';
import type { PrismaFile, PrismaModel } from './parse';
import type { PrismaRule, PrismaRuleContext } from './rule';
import { prismaRules } from './rules';
import { buildSchemas } from './schema';

export const PRISMA_PARSE_ERROR: RuleMeta = {
  id: 'prisma-parse-error',
  severity: 'warning',
  category: 'prisma',
  summary: 'A .prisma file could not be read, so its models were not checked',
  docs: `## prisma-parse-error

**What it finds:** a \`.prisma\` file that Database Engineer's Prisma parser cannot read, at the first place it gave up.

**Why it matters:** the Prisma rules (row level security coverage, relation indexes, …) skip the whole file until it
parses. Prisma's own \`prisma validate\` (and the Prisma extension) give the authoritative message.

**How to fix:** correct the schema at the marked position; \`npx prisma format\` points at the same problem.`,
};

export interface PrismaLintInput {
  files: PrismaFile[];
  sql: SchemaModel;
  sqlFiles: string[];
  config: DbeConfig;
  rules?: readonly PrismaRule[];
  now?: () => Date;
  onRuleError?: (rule: string, err: unknown) => void;
}

/**
 * Runs the Prisma rules over the workspace's .prisma files, with the same configured severities and the same
 * suppression style as the SQL analyzer: `// dbe-ignore rule-id[, rule-id]` on the line(s) right above a model or a
 * field (no ids = every rule), `// dbe-ignore-file rule-id` anywhere in the file.
 */
export function lintPrisma(input: PrismaLintInput): Finding[] {
  const exposed = new Set(input.config.exposedSchemas);
  const ctx: PrismaRuleContext = {
    schemas: buildSchemas(input.files.filter((f) => !f.parseError)),
    sql: input.sql,
    sqlFiles: input.sqlFiles,
    config: input.config,
    isExposed: (s) => exposed.has(s),
    now: input.now ?? (() => new Date()),
  };
  const byPath = new Map(input.files.map((f) => [f.path, f]));
  const cache = new Map<string, Suppressions>();
  const sup = (f: PrismaFile) => cache.get(f.path) ?? cache.set(f.path, suppressionsOf(f)).get(f.path)!;
  return runChecks({
    rules: input.rules ?? prismaRules,
    check: (rule) => rule.check(ctx),
    builtIn: [{
      meta: PRISMA_PARSE_ERROR,
      findings: () => input.files.flatMap((f): Finding[] => f.parseError ? [{
        rule: PRISMA_PARSE_ERROR.id, severity: PRISMA_PARSE_ERROR.severity, category: 'prisma', file: f.path, range: f.parseError.range, fixes: [],
        message: `Cannot read this Prisma schema (${f.parseError.message}); Database Engineer skips its models until it parses. Run \`npx prisma validate\` for Prisma's own message.`,
      }] : []),
    }],
    levels: input.config.rules,
    suppressed: (f) => {
      const file = byPath.get(f.file);
      return Boolean(file && isSuppressed(sup(file), file, f));
    },
    ...(input.onRuleError ? { onRuleError: input.onRuleError } : {}),
  });
}

type Ids = 'all' | Set<string>;
interface Suppressions {
  file?: Ids;
  /** Line → ids of the `dbe-ignore` comments directly above it. */
  lines: Map<number, Ids>;
}

const IGNORE = /^\s*\/\/\/?\s*dbe-ignore(-file)?(?![\w-])(.*)$/;

function parseIds(rest: string): Ids {
  const ids = rest.split(/[\s,]+/).filter((s) => /^[a-z][\w-]*$/.test(s));
  return ids.length ? new Set(ids) : 'all';
}

const merge = (a: Ids | undefined, b: Ids): Ids => (a === 'all' || b === 'all' ? 'all' : new Set([...(a ?? []), ...b]));

/** Reads the file's suppression comments: each `// dbe-ignore` applies to the next line that is not a comment. */
export function suppressionsOf(file: PrismaFile): Suppressions {
  const lines = file.text.split('\n');
  const out: Suppressions = { lines: new Map() };
  let pending: Ids | undefined;
  lines.forEach((raw, i) => {
    const m = IGNORE.exec(raw);
    if (m) {
      if (m[1]) out.file = merge(out.file, parseIds(m[2]!));
      else pending = merge(pending, parseIds(m[2]!));
      return;
    }
    if (/^\s*\/\//.test(raw)) return; // doc comments between the suppression and its target
    if (pending && raw.trim() !== '') {
      out.lines.set(i, pending);
      pending = undefined;
    }
  });
  return out;
}

const has = (ids: Ids | undefined, rule: string) => ids === 'all' || Boolean(ids?.has(rule));

/** A finding is suppressed by the file, by a comment above its own line, or by one above its model's header. */
function isSuppressed(s: Suppressions, file: PrismaFile, f: Finding): boolean {
  if (has(s.file, f.rule) || has(s.lines.get(f.range.start.line), f.rule)) return true;
  const model = modelAt(file, f.range.start.line);
  return Boolean(model && has(s.lines.get(model.range.start.line), f.rule));
}

export function modelAt(file: PrismaFile, line: number): PrismaModel | undefined {
  return file.models.find((m) => m.range.start.line <= line && line <= m.range.end.line);
}
