import type { ParsedFile } from '../sql/parse';
import { statementAt } from '../sql/cursor';
import type { Position } from '../sql/positions';
import type { Finding, TextEdit } from '../findings/types';
import type { PrismaFile } from '../prisma/parse';

/**
 * The one builder of suppression edits, for SQL (`--`) and Prisma (`//`) files alike: the quick fixes
 * "Suppress <rule> for this statement/model/field" and "Suppress <rule> in this file".
 */
type Comment = '--' | '//';

/**
 * A `<comment> dbe-ignore <rule>` line right above `at`, indented like it; an existing directive on the line above
 * is extended instead. When code precedes `at` on its line, the directive goes on its own line just before `at`,
 * so it cannot attach to that earlier code.
 */
export function suppressAboveEdit(text: string, at: Position, rule: string, comment: Comment): TextEdit {
  const before = lineOf(text, at.line).slice(0, at.column);
  if (!/^\s*$/.test(before)) return { range: { start: at, end: at }, newText: `\n${comment} dbe-ignore ${rule}\n` };
  if (at.line > 0) {
    const prev = lineOf(text, at.line - 1).replace(/\r$/, '');
    const m = new RegExp(`^(\\s*${escape(comment)}\\s*dbe-ignore)\\s+([\\w-]+(?:\\s*,\\s*[\\w-]+)*)\\s*$`).exec(prev);
    if (m) {
      const ids = m[2]!.split(/\s*,\s*/);
      if (ids.includes(rule)) return insertAt({ line: at.line, column: 0 }, '');
      return { range: { start: { line: at.line - 1, column: 0 }, end: { line: at.line - 1, column: prev.length } }, newText: `${m[1]} ${[...ids, rule].join(', ')}` };
    }
  }
  return insertAt({ line: at.line, column: 0 }, `${before}${comment} dbe-ignore ${rule}\n`);
}

/** `<comment> dbe-ignore-file <rule>` as the first line, or the rule appended to such a line that already leads the file. */
export function suppressFileDirectiveEdit(text: string, rule: string, comment: Comment): TextEdit {
  const first = lineOf(text, 0).replace(/\r$/, '');
  const m = new RegExp(`^(${escape(comment)}\\s*dbe-ignore-file\\s+)([\\w-]+(?:\\s*,\\s*[\\w-]+)*)\\s*$`).exec(first);
  if (m) {
    const ids = m[2]!.split(/\s*,\s*/);
    if (ids.includes(rule)) return insertAt({ line: 0, column: 0 }, '');
    return { range: { start: { line: 0, column: m[1]!.length }, end: { line: 0, column: m[0].length } }, newText: [...ids, rule].join(', ') };
  }
  return insertAt({ line: 0, column: 0 }, `${comment} dbe-ignore-file ${rule}\n`);
}

/**
 * "Suppress for this statement": above the statement that holds the finding, not the finding's own line (the
 * analyzer matches suppressions by statement; inside a multi-line statement the comment would apply to the next one).
 */
export function suppressStatementEdit(file: ParsedFile, finding: Pick<Finding, 'rule' | 'range'>): TextEdit {
  const at = statementAt(file, finding.range.start)?.range.start ?? finding.range.start;
  return suppressAboveEdit(file.text, at, finding.rule, '--');
}

/** "Suppress in this file" for a SQL file. */
export function suppressFileEdit(file: ParsedFile, rule: string): TextEdit {
  return suppressFileDirectiveEdit(file.text, rule, '--');
}

/** "Suppress for this model/field" in a .prisma file: above the finding's line, indented like it. */
export function suppressPrismaLineEdit(file: PrismaFile, finding: Pick<Finding, 'rule' | 'range'>): TextEdit {
  const line = finding.range.start.line;
  const indent = /^\s*/.exec(lineOf(file.text, line))![0].length;
  return suppressAboveEdit(file.text, { line, column: indent }, finding.rule, '//');
}

/** "Suppress in this file" for a .prisma file. */
export function suppressPrismaFileEdit(file: PrismaFile, rule: string): TextEdit {
  return suppressFileDirectiveEdit(file.text, rule, '//');
}

const insertAt = (at: Position, newText: string): TextEdit => ({ range: { start: at, end: at }, newText });
const escape = (s: string) => s.replace(/[/\\-]/g, '\\$&');

function lineOf(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end);
}
