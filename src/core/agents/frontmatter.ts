import matter from 'gray-matter';
import type { AgentWarning } from './types';
import { readLooseYaml } from './loose-yaml';

export interface Frontmatter {
  /** The parsed frontmatter (empty when the file has none). */
  data: Record<string, unknown>;
  /** The markdown after the frontmatter. */
  body: string;
  warnings: AgentWarning[];
}

interface Split {
  /** Frontmatter lines, without the `---` delimiters. */
  matter: string[];
  /** 1-based file line of the first frontmatter line. */
  firstLine: number;
  body: string;
  closed: boolean;
}

/** Finds the `---` … `---` block at the top of a file (BOM and CRLF tolerated). */
export function splitFrontmatter(text: string): Split | null {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!/^---\s*$/.test(lines[0] ?? '')) return null;
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (end < 0) return { matter: lines.slice(1), firstLine: 2, body: '', closed: false };
  return { matter: lines.slice(1, end), firstLine: 2, body: lines.slice(end + 1).join('\n'), closed: true };
}

/**
 * Parses an agent file's frontmatter with gray-matter (strict YAML). Files that Claude Code accepts but
 * YAML rejects — typically an unquoted `description:` with `: ` and `\n` inside — are read again line by
 * line, with a warning that carries the 1-based line of the YAML error.
 */
export function parseFrontmatter(text: string): Frontmatter {
  const split = splitFrontmatter(text);
  if (!split) {
    return { data: {}, body: text.replace(/^\uFEFF/, ''), warnings: [{ message: 'no frontmatter (--- block at the top); the whole file is the prompt', line: 1 }] };
  }
  const warnings: AgentWarning[] = [];
  if (!split.closed) warnings.push({ message: 'frontmatter is never closed with a `---` line', line: 1 });
  const yamlText = split.matter.join('\n');
  try {
    // Options object always passed: without one gray-matter caches by input text and hands back shared objects.
    // The text is re-wrapped in a plain `---` so gray-matter never picks its JavaScript engine (`---js` evals).
    const parsed = matter(`---\n${yamlText}\n---\n`, { excerpt: false });
    const data = parsed.data;
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      return { data: data as Record<string, unknown>, body: split.body, warnings };
    }
    throw Object.assign(new Error('frontmatter is not a mapping of keys to values'), { mark: { line: 0 } });
  } catch (err) {
    const e = err as { reason?: string; message?: string; mark?: { line?: number } };
    // gray-matter hands js-yaml the text after the opening `---`, starting with that line's newline,
    // so mark.line 0 is the `---` line itself: the file line is mark.line + 1.
    const line = typeof e.mark?.line === 'number' ? Math.max(split.firstLine, e.mark.line + 1) : split.firstLine;
    const reason = e.reason ?? (e.message ?? String(err)).split('\n')[0];
    warnings.push({ message: `frontmatter is not valid YAML (${reason}); read it line by line instead, as Claude Code does`, line });
    const loose = readLooseYaml(split.matter, split.firstLine);
    warnings.push(...loose.warnings);
    return { data: loose.data, body: split.body, warnings };
  }
}
