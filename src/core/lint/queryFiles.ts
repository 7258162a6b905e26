import { ParseCache, ensureParser, locRange, parseFile } from '../sql/parse';
import { findPlaceholders } from '../sql/split';
import type { SchemaModel } from '../schema/model';
import type { DbeConfig } from '../findings/config';
import { parseProblemMeta } from './engine';
import { checkReferences } from './references';
import { rule as UNKNOWN_REFERENCE } from './rules/unknown-reference';
import type { Finding } from './types';

/**
 * The project's SQL files that are not migrations (queries, seeds, functions kept apart), checked against the
 * schema the migrations build: syntax (placeholders accepted) and unknown relations, columns and functions.
 * They never change the model, and the migration rules do not apply to them.
 */
export async function lintQueryFiles(files: { path: string; text: string }[], model: SchemaModel, config: DbeConfig): Promise<Finding[]> {
  await ensureParser();
  const cache = new ParseCache();
  const out: Finding[] = [];
  const unknown = config.rules[UNKNOWN_REFERENCE.id] ?? UNKNOWN_REFERENCE.severity;
  for (const { path, text } of files) {
    const start = out.length;
    const file = parseFile(path, withoutNamedPlaceholders(text), cache);
    const off = (rule: string) => file.fileIgnores === 'all' || Boolean(file.fileIgnores?.has(rule));
    for (const e of file.syntaxErrors) {
      const meta = parseProblemMeta(e);
      const level = config.rules[meta.id] ?? meta.severity;
      if (level !== 'off' && !off(meta.id)) out.push({ rule: meta.id, severity: level, category: meta.category, message: e.message, file: path, range: e.range, fixes: [] });
    }
    if (unknown === 'off' || off(UNKNOWN_REFERENCE.id)) continue;
    for (const stmt of file.statements) {
      if (stmt.ignores === 'all' || stmt.ignores?.has(UNKNOWN_REFERENCE.id)) continue;
      for (const p of checkReferences({ [stmt.kind]: stmt.node }, model)) {
        out.push({
          rule: UNKNOWN_REFERENCE.id, severity: unknown, category: UNKNOWN_REFERENCE.category, message: p.message, file: path,
          range: locRange(file, stmt, p.loc, p.name.length), fixes: [],
        });
      }
    }
    // In position order within the file, like the analyzer's findings.
    const mine = out.splice(start).sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
    out.push(...mine);
  }
  return out;
}

/** `:name` placeholders (psql variables, named parameters) as `$n` of the same length, so positions stay put. */
function withoutNamedPlaceholders(text: string): string {
  // Most files have none; the scan is the splitter's own (strings, comments and casts already told apart).
  if (!/:[A-Za-z_]/.test(text)) return text;
  const named = findPlaceholders(text).filter((p) => typeof p.key === 'string');
  if (named.length === 0) return text;
  let out = '';
  let at = 0;
  for (const p of named) {
    out += text.slice(at, p.start) + '$1'.padEnd(p.end - p.start, ' ');
    at = p.end;
  }
  return out + text.slice(at);
}
