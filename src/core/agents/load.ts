import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative } from 'node:path';
import type { Agent, AgentSource, AgentWarning } from './types';
import { parseFrontmatter } from './frontmatter';
import { splitTopLevel } from './loose-yaml';
import { resolveModel, type ModelAliases } from './models';

export interface LoadOptions {
  /** Alias → model id overrides, merged over the SDK-derived defaults. */
  modelAliases?: ModelAliases;
}

/** Agent files larger than this are skipped: a prompt is a few KB, and a link to a device must not be read forever. */
export const MAX_AGENT_FILE_BYTES = 1_000_000;

/**
 * Reads one agent file. Never throws: an unreadable file yields an agent with `loadError` and a warning.
 * Only a regular file whose real path lies inside the folder it was found in is read (a committed symlink to
 * ~/.ssh/id_rsa or /dev/zero is skipped, never read), and at most MAX_AGENT_FILE_BYTES of it.
 */
export function loadAgentFile(file: string, source: AgentSource, options: LoadOptions = {}): Agent {
  const read = readAgentBytes(file);
  if (!read.ok) return unusable(file, source, read.message);
  const bytes = read.bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return unusable(file, source, 'not a UTF-8 text file; an agent file is markdown with a frontmatter block');
  }
  if (text.includes('\u0000')) return unusable(file, source, 'contains NUL bytes, so it is not a text file; an agent file is markdown with a frontmatter block');
  return parseAgent(text, file, source, options);
}

/** Parses agent markdown (Claude Code subagent format and its common variants). */
export function parseAgent(text: string, file: string, source: AgentSource, options: LoadOptions = {}): Agent {
  const fm = parseFrontmatter(text);
  const warnings: AgentWarning[] = [...fm.warnings];
  const get = keyLookup(fm.data);
  const str = (key: string, ...aliases: string[]) => toText(get(key, ...aliases), key, warnings);

  const fileId = idFromFileName(file);
  const writtenName = str('name');
  const id = (writtenName && toKebab(writtenName)) || fileId || 'agent';
  if (writtenName && !toKebab(writtenName)) warnings.push({ message: `name '${writtenName}' has no letters or digits; using '${id}' from the file name` });

  const description = unescapeNewlines(str('description') ?? '');
  if (!description) warnings.push({ message: 'no description: add one (with <example> blocks) so the agent can be chosen' });

  const model = str('model');
  const resolved = resolveModel(model, options.modelAliases);
  if (resolved.warning) warnings.push({ message: resolved.warning, line: lineOfKey(text, 'model') });

  const tools = toList(get('tools', 'allowedTools'), 'tools', warnings);
  const triggersRaw = get('triggers');
  const triggers = keyLookup(isRecord(triggersRaw) ? triggersRaw : {});
  // A bare list (or comma-separated text) under `triggers` is how some variants write keywords.
  const bareKeywords = Array.isArray(triggersRaw) || typeof triggersRaw === 'string' ? triggersRaw : undefined;
  if (triggersRaw !== undefined && triggersRaw !== null && !isRecord(triggersRaw) && bareKeywords === undefined) {
    warnings.push({ message: 'triggers should hold `file_patterns` and `keywords` lists', line: lineOfKey(text, 'triggers') });
  }

  const systemPrompt = str('systemPrompt');
  const prompt = [systemPrompt, fm.body].map((p) => (p ?? '').trim()).filter(Boolean).join('\n\n');
  if (!prompt) warnings.push({ message: 'no system prompt: the file has no body and no `systemPrompt`' });

  const agent: Agent = {
    id,
    name: writtenName ?? id,
    description,
    modelId: resolved.modelId,
    tags: toList(get('tags'), 'tags', warnings) ?? [],
    triggers: {
      filePatterns: toList(triggers('filePatterns', 'files', 'patterns', 'globs'), 'triggers.file_patterns', warnings) ?? [],
      keywords: toList(bareKeywords ?? triggers('keywords', 'words'), 'triggers.keywords', warnings) ?? [],
    },
    prompt,
    examples: extractExamples(description),
    source,
    file,
    warnings,
  };
  if (model) agent.model = model;
  const color = str('color');
  if (color) agent.color = color;
  if (tools && tools.length) agent.tools = tools;
  const category = str('category');
  if (category) agent.category = category;
  const role = str('role');
  if (role) agent.role = role;
  const fullName = str('fullName', 'title');
  if (fullName) agent.fullName = fullName;
  const priority = toPriority(get('priority'));
  if (priority.value !== undefined) agent.priority = priority.value;
  if (priority.warning) warnings.push({ message: priority.warning, line: lineOfKey(text, 'priority') });
  const dirs = toList(get('allowedDirectories'), 'allowedDirectories', warnings);
  if (dirs && dirs.length) agent.allowedDirectories = dirs;
  const commands = toCommands(get('commands'), warnings);
  if (commands.length) agent.commands = commands;
  return agent;
}

function readAgentBytes(file: string): { ok: true; bytes: Buffer } | { ok: false; message: string } {
  let real: string;
  let folder: string;
  try {
    real = realpathSync.native(file);
    folder = realpathSync.native(dirname(file));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, message: `could not read the file (${e.code ?? e.message}); check that it exists and is readable` };
  }
  const rel = relative(folder, real);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return { ok: false, message: 'skipped: it is a link to a file outside its folder; agent files are read only from the folder they sit in' };
  let fd: number | undefined;
  try {
    if (!statSync(real).isFile()) return { ok: false, message: 'skipped: not a regular file (a device, pipe or folder)' };
    // Non-blocking: a FIFO swapped in after the check above must not hang the loader.
    fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, message: 'skipped: not a regular file (a device, pipe or folder)' };
    if (st.size > MAX_AGENT_FILE_BYTES) return { ok: false, message: `skipped: ${Math.round(st.size / 1000)} KB is over the ${MAX_AGENT_FILE_BYTES / 1_000_000} MB limit for an agent file` };
    const bytes = Buffer.alloc(st.size);
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, bytes, n, st.size - n, n);
      if (got === 0) break;
      n += got;
    }
    return { ok: true, bytes: bytes.subarray(0, n) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, message: `could not read the file (${e.code ?? e.message}); check that it exists and is readable` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Warns on each file that repeats an id already defined by another file of the same folder (the later one wins). */
export function warnDuplicateIds(agents: Agent[]): void {
  const first = new Map<string, Agent>();
  for (const a of agents) {
    if (a.loadError) continue;
    const key = `${dirname(a.file)}\0${a.id}`;
    const earlier = first.get(key);
    if (!earlier) first.set(key, a);
    else a.warnings.push({ message: `${basename(earlier.file)} in the same folder also defines the agent '${a.id}'; this file shadows it. Give each agent its own name.` });
  }
}

function unusable(file: string, source: AgentSource, message: string): Agent {
  const id = idFromFileName(file) || 'agent';
  return {
    id, name: id, description: '', modelId: resolveModel(undefined).modelId, tags: [], triggers: { filePatterns: [], keywords: [] },
    prompt: '', examples: [], source, file, warnings: [{ message }], loadError: message,
  };
}

/** Priority as agent files write it: a number, or a word (`low` … `critical`) as Claude Code variants do. */
const PRIORITY_WORDS: Record<string, number> = { lowest: 0, low: 1, normal: 2, medium: 2, default: 2, high: 3, highest: 4, critical: 4, urgent: 4 };

function toPriority(v: unknown): { value?: number; warning?: string } {
  if (v === undefined || v === null || v === '') return {};
  const n = Number(v);
  if (typeof v !== 'boolean' && Number.isFinite(n)) return { value: n };
  const word = typeof v === 'string' ? PRIORITY_WORDS[v.trim().toLowerCase()] : undefined;
  if (word !== undefined) return { value: word };
  return { warning: `priority '${String(v)}' is neither a number nor one of ${Object.keys(PRIORITY_WORDS).join(', ')}; ignored` };
}

/** `foo.agent.md` → `foo`, `bar.chatmode.md` → `bar`, `Baz Qux.md` → `baz-qux`. */
export function idFromFileName(file: string): string {
  return toKebab(basename(file).replace(/(\.(agent|chatmode|prompt|instructions))?\.(md|markdown|mdx)$/i, ''));
}

/** `Database Engineer`, `databaseEngineer`, `database_engineer` → `database-engineer`. */
export function toKebab(text: string): string {
  return text
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The user lines of `<example>` blocks: `user: "…"` (quoted, or up to `assistant:` / `commentary:` / end of line).
 */
export function extractExamples(description: string): string[] {
  const out: string[] = [];
  for (const block of description.matchAll(/<example>([\s\S]*?)(?:<\/example>|$)/gi)) {
    for (const m of block[1]!.matchAll(/(?:^|\s)user:\s*("(?:[^"\\]|\\.)*"|“[^”]*”|'[^'\n]*'|[^\n]*)/gi)) {
      let line = m[1]!.trim();
      if (/^["“']/.test(line)) line = line.slice(1, -1);
      else line = line.split(/\s+(?:assistant|commentary|context):/i)[0]!;
      line = line.replace(/\\"/g, '"').trim();
      if (line) out.push(line);
    }
  }
  return out;
}

/** Literal `\n` written in an unquoted description means a line break (Claude Code reads it so). */
function unescapeNewlines(text: string): string {
  return text.replace(/(?:\\r)?\\n/g, '\n').trim();
}

/** Looks keys up case-insensitively, ignoring `-` and `_` (`file_patterns`, `filePatterns`, `file-patterns`). */
function keyLookup(data: Record<string, unknown>): (...keys: string[]) => unknown {
  const norm = (k: string) => k.toLowerCase().replace(/[-_\s]/g, '');
  const map = new Map<string, unknown>();
  for (const [k, v] of Object.entries(data)) if (!map.has(norm(k))) map.set(norm(k), v);
  return (...keys) => {
    for (const k of keys) if (map.has(norm(k))) return map.get(norm(k));
    return undefined;
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function toText(v: unknown, key: string, warnings: AgentWarning[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  warnings.push({ message: `\`${key}\` should be text; ignored` });
  return undefined;
}

/** A YAML list or a comma-separated string (commas inside parentheses/braces do not split). */
function toList(v: unknown, key: string, warnings: AgentWarning[]): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      if (typeof item === 'string') return item.trim() ? [item.trim()] : [];
      if (typeof item === 'number' || typeof item === 'boolean') return [String(item)];
      warnings.push({ message: `\`${key}\` has an entry that is not text; ignored` });
      return [];
    });
  }
  if (typeof v === 'string') return splitTopLevel(v).map((s) => s.replace(/^["']|["']$/g, ''));
  if (typeof v === 'number') return [String(v)];
  warnings.push({ message: `\`${key}\` should be a list or comma-separated text; ignored` });
  return undefined;
}

/** `commands:` — `[{name, description}]`, or `- name: description` strings. Merged into the manifest. */
function toCommands(v: unknown, warnings: AgentWarning[]): { name: string; description: string }[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    if (isRecord(v)) return Object.entries(v).map(([name, d]) => ({ name, description: String(d ?? '') }));
    warnings.push({ message: '`commands` should be a list of {name, description}; ignored' });
    return [];
  }
  const out: { name: string; description: string }[] = [];
  for (const c of v) {
    if (isRecord(c) && typeof c.name === 'string') out.push({ name: c.name.trim(), description: String(c.description ?? '').trim() });
    else if (typeof c === 'string' && c.trim()) {
      const [name, ...rest] = c.split(':');
      out.push({ name: name!.trim(), description: rest.join(':').trim() });
    } else warnings.push({ message: '`commands` has an entry without a name; ignored' });
  }
  return out;
}

/** 1-based line of a top-level frontmatter key, for warnings about its value. */
function lineOfKey(text: string, key: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => new RegExp(`^${key}\\s*:`, 'i').test(l));
  return i >= 0 ? i + 1 : undefined;
}
