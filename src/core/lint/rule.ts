import type { Finding, Fix, Range, RuleCategory, Severity } from './types';
import type { ParsedFile, Statement } from '../sql/parse';
import type { SchemaModel, StatementFacts } from '../schema/model';
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
  /**
   * False for files whose findings are not wanted in this run (the editor re-checks one file right
   * after an edit). Rules may skip work for those; the engine drops their findings anyway.
   */
  wants(file: string): boolean;
}

/** A finding with the rule's defaults filled in; the engine applies configured severities later. */
export function finding(
  rule: RuleMeta,
  file: string,
  range: Range,
  message: string,
  extra: { fixes?: Fix[] | (() => Fix[]); related?: Finding['related'] } = {},
): Finding {
  const f = {
    rule: rule.id,
    severity: rule.severity,
    category: rule.category,
    message,
    file,
    range,
    ...(extra.related && extra.related.length > 0 ? { related: extra.related } : {}),
  } as Finding;
  const fixes = extra.fixes;
  if (typeof fixes === 'function') {
    // Fixes are built when first read: re-analysis produces thousands of findings and the editor
    // asks for the fixes of the few under the cursor. Enumerable, so JSON and spreads still see them.
    let cached: Fix[] | undefined;
    Object.defineProperty(f, 'fixes', {
      enumerable: true,
      configurable: true,
      get: () => (cached ??= fixes()),
      set: (v: Fix[]) => {
        cached = v;
      },
    });
  } else f.fixes = fixes ?? [];
  return f;
}

/** Statements of one kind across the workspace, with their file and facts. */
export function statementsOf(ctx: RuleContext, kind: string): { facts: StatementFacts; stmt: Statement; file: ParsedFile }[] {
  let byKind = kindIndex.get(ctx.model);
  if (!byKind) {
    byKind = new Map();
    for (const facts of ctx.model.facts) {
      const list = byKind.get(facts.stmt.kind);
      const item = { facts, stmt: facts.stmt, file: ctx.file(facts.stmt.file)! };
      if (list) list.push(item);
      else byKind.set(facts.stmt.kind, [item]);
    }
    kindIndex.set(ctx.model, byKind);
  }
  const all = byKind.get(kind) ?? [];
  return ctx.wants === everything ? all : all.filter((x) => ctx.wants(x.stmt.file));
}

/** The `wants` of a whole-workspace run (compared by identity to skip filtering). */
export const everything = (): boolean => true;

const kindIndex = new WeakMap<SchemaModel, Map<string, { facts: StatementFacts; stmt: Statement; file: ParsedFile }[]>>();
