import { Analyzer, defaultConfig, type DbeConfig, type Finding } from '../../../src/core/analysis';
import { ensureParser } from '../../../src/core/sql/parse';

export const FIXED_NOW = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));

/** Lints in-memory migration files (named like `supabase/migrations/001_x.sql`), in name order. */
export async function lint(files: Record<string, string> | string, config: Partial<DbeConfig> = {}): Promise<{ findings: Finding[]; analyzer: Analyzer }> {
  await ensureParser();
  const analyzer = new Analyzer({ config: { ...defaultConfig(), ...config }, now: () => FIXED_NOW });
  const map = typeof files === 'string' ? { '/ws/m/001.sql': files } : files;
  for (const [path, text] of Object.entries(map)) analyzer.setFile(path.startsWith('/') ? path : `/ws/${path}`, text);
  return { findings: analyzer.findings(), analyzer };
}

/** The findings of one rule. */
export async function ruleFindings(rule: string, files: Record<string, string> | string, config: Partial<DbeConfig> = {}): Promise<Finding[]> {
  return (await lint(files, config)).findings.filter((f) => f.rule === rule);
}

/** Applies a fix's edits to a text (edits of one file, non-overlapping). */
export function applyEdits(text: string, edits: { range: Finding['range']; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; column: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.column;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
