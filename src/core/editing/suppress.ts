import type { ParsedFile } from '../sql/parse';
import { statementAt } from '../lint/engine';
import type { Finding, TextEdit } from '../lint/types';

/**
 * The edit behind "Suppress <rule> for this statement": a `-- dbe-ignore <rule>` line right above the
 * statement that holds the finding (the engine matches suppressions by statement, not by line), with the
 * statement's indentation. When the statement shares its first line with earlier code, the comment goes on
 * its own line just before the statement so it cannot attach to the wrong one.
 */
export function suppressStatementEdit(file: ParsedFile, finding: Pick<Finding, 'rule' | 'range'>): TextEdit {
  const stmt = statementAt(file, finding.range.start);
  const at = stmt?.range.start ?? finding.range.start;
  const lineText = lineOf(file.text, at.line);
  const before = lineText.slice(0, at.column);
  if (/^\s*$/.test(before)) {
    const start = { line: at.line, column: 0 };
    return { range: { start, end: start }, newText: `${before}-- dbe-ignore ${finding.rule}\n` };
  }
  return { range: { start: at, end: at }, newText: `\n-- dbe-ignore ${finding.rule}\n` };
}

/**
 * The edit behind "Suppress <rule> in this file": `-- dbe-ignore-file <rule>` as the first line, or the rule
 * appended to a plain `-- dbe-ignore-file a, b` line that already leads the file.
 */
export function suppressFileEdit(file: ParsedFile, rule: string): TextEdit {
  const first = lineOf(file.text, 0);
  const m = /^(--\s*dbe-ignore-file\s+)([\w-]+(?:\s*,\s*[\w-]+)*)\s*$/.exec(first.replace(/\r$/, ''));
  if (m) {
    const ids = m[2]!.split(/\s*,\s*/);
    if (ids.includes(rule)) return { range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }, newText: '' };
    const end = { line: 0, column: m[0].length };
    return { range: { start: { line: 0, column: m[1]!.length }, end }, newText: `${[...ids, rule].join(', ')}` };
  }
  const start = { line: 0, column: 0 };
  return { range: { start, end: start }, newText: `-- dbe-ignore-file ${rule}\n` };
}

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
