import { Analyzer, defaultConfig, type DbeConfig, type Finding } from '../../../src/core/analysis';
import { ensureParser } from '../../../src/core/sql/parse';
import { ensurePrismaParser } from '../../../src/core/prisma';

export const FIXED_NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));

/**
 * Lints in-memory files: `.prisma` ones through the Prisma rules, `.sql` ones as migrations (in path order).
 * Paths are relative to /ws unless absolute.
 */
export async function lintFiles(files: Record<string, string>, config: Partial<DbeConfig> = {}): Promise<{ findings: Finding[]; analyzer: Analyzer }> {
  await Promise.all([ensureParser(), ensurePrismaParser()]);
  const analyzer = new Analyzer({ config: { ...defaultConfig(), ...config }, now: () => FIXED_NOW });
  for (const [path, text] of Object.entries(files)) analyzer.setFile(path.startsWith('/') ? path : `/ws/${path}`, text);
  return { findings: analyzer.findings(), analyzer };
}

export const only = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

export const DATASOURCE = `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n`;

/** A schema.prisma with the datasource block and `body`. */
export const schema = (body: string) => `${DATASOURCE}\n${body}`;

/** The text a range covers (0-based lines, UTF-16 columns). */
export function slice(text: string, r: Finding['range']): string {
  const lines = text.split('\n');
  const off = (p: { line: number; column: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.column;
  return text.slice(off(r.start), off(r.end));
}
