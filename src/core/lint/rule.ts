import type { Finding, Fix, Range, RuleCategory, Severity } from './types';
import type { ParsedFile, Statement } from '../sql/parse';
import type { SchemaModel } from '../schema/model';
import type { DbeConfig } from './config';

/** What a rule is, for docs, config validation, SARIF and the editor's hover/code-action titles. */
export interface RuleMeta {
  /** Stable kebab-case id used in config, suppression comments and CI output. */
  id: string;
  severity: Severity;
  category: RuleCategory;
  /** One line, shown in lists and SARIF `shortDescription`. */
  summary: string;
  /** Markdown: what it finds, why it matters, how to fix it (with an example). */
  docs: string;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): Finding[];
}

/** Everything a rule may read. Rules are pure: no file system, no clock except `now`. */
export interface RuleContext {
  model: SchemaModel;
  /** Parsed files in migration order. */
  files: ParsedFile[];
  file(path: string): ParsedFile | undefined;
  config: DbeConfig;
  isExposed(schema: string): boolean;
  /** The clock used to name new migration files (fixed in tests). */
  now(): Date;
}

/** A finding with the rule's defaults filled in; the engine applies configured severities later. */
export function finding(
  rule: RuleMeta,
  file: string,
  range: Range,
  message: string,
  extra: { fixes?: Fix[]; related?: Finding['related'] } = {},
): Finding {
  return {
    rule: rule.id,
    severity: rule.severity,
    category: rule.category,
    message,
    file,
    range,
    fixes: extra.fixes ?? [],
    ...(extra.related && extra.related.length > 0 ? { related: extra.related } : {}),
  };
}

/** Statements of one kind across the workspace, with their file and facts. */
export function* statementsOf(ctx: RuleContext, kind: string) {
  for (const facts of ctx.model.facts) {
    if (facts.stmt.kind === kind) yield { facts, stmt: facts.stmt as Statement, file: ctx.file(facts.stmt.file)! };
  }
}
