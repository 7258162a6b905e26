import type { AgentWarning } from './types';

/**
 * A forgiving line-based reader for frontmatter that strict YAML rejects. It understands what agent files
 * actually contain: `key: rest of line` (the rest taken literally, `: ` and all), `key:` followed by an
 * indented `- item` list or an indented `sub: value` block (one reader, applied recursively), inline
 * `[a, b]` lists, `|` / `>` block text, indented continuation lines, and quoted values.
 */

/** Keys that start a new entry even after a scalar; any other key-shaped line there continues the text. */
const KNOWN_KEYS = new Set([
  'name', 'description', 'model', 'color', 'tools', 'allowedtools', 'category', 'role', 'tags', 'priority',
  'alloweddirectories', 'systemprompt', 'triggers', 'commands', 'fullname', 'title', 'mode',
]);

interface Line {
  text: string;
  /** 1-based line in the file. */
  no: number;
}

const KEY_LINE = /^([A-Za-z_][\w.-]*)\s*:(?:\s+(.*)|\s*)$/;
const ITEM_LINE = /^-(?:\s+(.*)|\s*)$/;

export function readLooseYaml(lines: string[], firstLine: number): { data: Record<string, unknown>; warnings: AgentWarning[] } {
  const warnings: AgentWarning[] = [];
  const numbered = lines.map((text, i) => ({ text: text.replace(/\t/g, '  '), no: firstLine + i }));
  const data = readMap(numbered, warnings, true);
  return { data, warnings };
}

const indentOf = (s: string) => s.length - s.trimStart().length;
const isBlank = (l: Line) => l.text.trim() === '' || /^\s*#/.test(l.text);
const normKey = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

/** Reads `key: value` entries at the block's base indent; deeper lines belong to the previous key. */
function readMap(lines: Line[], warnings: AgentWarning[], top: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const base = Math.min(...lines.filter((l) => !isBlank(l)).map((l) => indentOf(l.text)), Infinity);
  let i = 0;
  let lastScalarKey: string | undefined;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) { i++; continue; }
    const text = line.text.slice(Math.min(base, indentOf(line.text)));
    const m = indentOf(line.text) <= base ? KEY_LINE.exec(text) : null;
    const startsEntry = m && !(top && lastScalarKey && !KNOWN_KEYS.has(normKey(m[1]!)));
    if (!m || !startsEntry) {
      // Not a new key: text that belongs to the previous scalar (Claude Code keeps reading it).
      if (lastScalarKey !== undefined) {
        out[lastScalarKey] = `${out[lastScalarKey] as string}\n${line.text.trim()}`;
      } else {
        warnings.push({ message: `frontmatter line ignored: it is neither \`key: value\` nor part of a value`, line: line.no });
      }
      i++;
      continue;
    }
    const key = m[1]!;
    const rest = (m[2] ?? '').trim();
    // Everything indented deeper than the key, up to the next line at the key's level.
    let j = i + 1;
    while (j < lines.length && (isBlank(lines[j]!) || indentOf(lines[j]!.text) > base)) j++;
    let child = lines.slice(i + 1, j);
    while (child.length && isBlank(child[child.length - 1]!)) child.pop();
    i = j;
    lastScalarKey = undefined;
    if (/^[|>][+-]?\d*$/.test(rest)) {
      out[key] = blockText(child, rest.startsWith('>'));
    } else if (rest === '') {
      out[key] = readNested(child, warnings);
      if (typeof out[key] === 'string') lastScalarKey = key;
    } else if (/^\[.*\]$/.test(rest)) {
      out[key] = splitTopLevel(rest.slice(1, -1)).map(unquote);
    } else if (rest.startsWith('[') && !rest.includes(']')) {
      // An inline list that was never closed: keep its items rather than one text with a stray bracket.
      out[key] = splitTopLevel(rest.slice(1)).map(unquote);
    } else {
      const cont = child.filter((l) => !isBlank(l)).map((l) => l.text.trim());
      out[key] = [unquote(rest), ...cont].join('\n');
      lastScalarKey = key;
    }
  }
  return out;
}

/** The block under `key:` — a list, a map, or plain text, judged by its first line. */
function readNested(lines: Line[], warnings: AgentWarning[]): unknown {
  const first = lines.find((l) => !isBlank(l));
  if (!first) return '';
  const text = first.text.trim();
  if (ITEM_LINE.test(text)) return readList(lines, warnings);
  if (KEY_LINE.test(text)) return readMap(lines, warnings, false);
  return lines.filter((l) => !isBlank(l)).map((l) => l.text.trim()).join('\n');
}

function readList(lines: Line[], warnings: AgentWarning[]): unknown[] {
  const items: string[] = [];
  const base = Math.min(...lines.filter((l) => !isBlank(l)).map((l) => indentOf(l.text)));
  for (const line of lines) {
    if (isBlank(line)) continue;
    const m = indentOf(line.text) === base ? ITEM_LINE.exec(line.text.trim()) : null;
    if (m) items.push(unquote((m[1] ?? '').trim()));
    else if (items.length) items[items.length - 1] += ` ${line.text.trim()}`;
    else warnings.push({ message: 'frontmatter line ignored: expected a `- item`', line: line.no });
  }
  return items;
}

function blockText(lines: Line[], folded: boolean): string {
  const body = lines.filter((l) => !isBlank(l) || l.text.trim() === '');
  const indent = Math.min(...body.filter((l) => l.text.trim()).map((l) => indentOf(l.text)), Infinity);
  const text = body.map((l) => l.text.slice(Math.min(indent, l.text.length))).join('\n');
  return folded ? text.replace(/([^\n])\n(?=[^\n])/g, '$1 ') : text;
}

/** Strips one pair of matching quotes; double quotes also decode the usual escapes. */
export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    return v.slice(1, -1).replace(/\\(["\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  return v;
}

/**
 * Splits on commas that are not inside (), [], {} or quotes — so `Bash(psql:*), Read` is two tools and
 * `**\/*.{sql,prisma}` stays one pattern.
 */
export function splitTopLevel(text: string, separator = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = current.trim() === '' ? ch : null;
    } else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    else if (ch === separator && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}
