/**
 * A finding is what every analyzer rule produces and every face consumes unchanged:
 * editor diagnostics, CLI output (text/JSON/SARIF) and agent tool results.
 * Positions are 0-based lines and UTF-16 columns (the editor's units); the CLI adds 1 when printing.
 */
export type Severity = 'error' | 'warning' | 'info';
export type RuleCategory = 'syntax' | 'security' | 'performance' | 'schema' | 'migration' | 'prisma';

export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

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
