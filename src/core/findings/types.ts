import type { Range } from '../sql/positions';
export type { Position, Range } from '../sql/positions';

/**
 * The vocabulary shared by the SQL and the Prisma rules. A finding is what every analyzer rule produces and every face consumes unchanged:
 * editor diagnostics, CLI output (text/JSON/SARIF) and agent tool results.
 * Positions are 0-based lines and UTF-16 columns (the editor's units); the CLI adds 1 when printing.
 */
export type Severity = 'error' | 'warning' | 'info';
export type RuleCategory = 'syntax' | 'security' | 'performance' | 'schema' | 'migration' | 'prisma';


export interface TextEdit {
  range: Range;
  newText: string;
}

/** A mechanical fix: edits to existing files and/or new files (a new migration). */
export interface Fix {
  title: string;
  edits: { file: string; edits: TextEdit[] }[];
  create?: { file: string; content: string }[];
  isPreferred?: boolean;
}

export interface Finding {
  rule: string;
  severity: Severity;
  category: RuleCategory;
  message: string;
  /** Absolute path. */
  file: string;
  range: Range;
  fixes: Fix[];
  /** Other places that explain the finding (the CREATE TABLE of an unprotected table, ...). */
  related?: { file: string; range: Range; message: string }[];
}

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

