import { basename, dirname, join } from 'node:path';
import type { Fix, Position, TextEdit } from './types';
import type { ParsedFile, Statement } from '../sql/parse';
import type { RuleContext } from './rule';

/**
 * Building blocks for mechanical fixes. A fix either edits the file where the problem is written (when
 * that migration is the newest, so probably not applied yet) or adds a new migration after the others.
 */

export const insertAt = (pos: Position, newText: string): TextEdit => ({ range: { start: pos, end: pos }, newText });

/** Inserts SQL on new lines right after a statement. */
export function insertAfterStatement(stmt: Statement, sql: string): TextEdit {
  return insertAt(stmt.range.end, `\n\n${sql.trimEnd()}\n`);
}

/** Replaces the UTF-16 range [start, end) of a file. */
export function replaceOffsets(file: ParsedFile, start: number, end: number, newText: string): TextEdit {
  return { range: file.lines.range(start, end), newText };
}

/** True when `path` is the newest file of its folder among the workspace's migrations (likely not applied yet). */
export function isNewestMigration(ctx: RuleContext, path: string): boolean {
  const siblings = filesByFolder(ctx).get(migrationFolder(path)) ?? [];
  return siblings[siblings.length - 1] === path;
}

const folderCache = new WeakMap<object, Map<string, string[]>>();
/** The workspace's files grouped by migration folder, in order; computed once per analysis run. */
function filesByFolder(ctx: RuleContext): Map<string, string[]> {
  let m = folderCache.get(ctx.files);
  if (!m) {
    m = new Map();
    for (const f of ctx.files) {
      const folder = migrationFolder(f.path);
      const list = m.get(folder);
      if (list) list.push(f.path);
      else m.set(folder, [f.path]);
    }
    folderCache.set(ctx.files, m);
  }
  return m;
}

/** The folder migrations are listed in: the parent of Prisma's `<ts>_name/migration.sql` folders. */
function migrationFolder(path: string): string {
  return isPrismaStyle(path) ? dirname(dirname(path)) : dirname(path);
}

const isPrismaStyle = (path: string) => basename(path) === 'migration.sql' && /^\d{8,}_/.test(basename(dirname(path)));

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const stamp = (d: Date) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

/**
 * The path of a new migration placed after `nearFile`'s siblings, named in their convention:
 * Supabase `YYYYMMDDHHMMSS_slug.sql`, Prisma `YYYYMMDDHHMMSS_slug/migration.sql`,
 * numbered `0007_slug.sql`, Flyway `V8__slug.sql`; a timestamp otherwise.
 */
export function newMigrationPath(ctx: RuleContext, nearFile: string, slug: string): string {
  const folder = migrationFolder(nearFile);
  const siblings = filesByFolder(ctx).get(folder) ?? [];
  const lastPath = siblings[siblings.length - 1];
  const last = lastPath ? (isPrismaStyle(lastPath) ? basename(dirname(lastPath)) : basename(lastPath)) : basename(nearFile);
  const safe = slugOf(slug);
  let m: RegExpExecArray | null;
  if ((m = /^(\d{14})_/.exec(last))) {
    let ts = stamp(ctx.now());
    if (ts <= m[1]!) ts = (BigInt(m[1]!) + 1n).toString();
    return isPrismaStyle(nearFile) ? join(folder, `${ts}_${safe}`, 'migration.sql') : join(folder, `${ts}_${safe}.sql`);
  }
  if ((m = /^V(\d+)__/.exec(last))) return join(folder, `V${Number(m[1]) + 1}__${safe}.sql`);
  if ((m = /^(\d+)_/.exec(last))) return join(folder, `${pad(Number(m[1]) + 1, m[1]!.length)}_${safe}.sql`);
  return join(folder, `${stamp(ctx.now())}_${safe}.sql`);
}

/**
 * The path of a new migration that applies right after `file` (before its later siblings): the next second
 * for timestamped names (Supabase, Prisma), a dotted version for Flyway (`V7.1__`). Sequence-numbered
 * folders leave no room between two files, so the new one goes last there.
 */
export function migrationPathAfter(ctx: RuleContext, file: string, slug: string): string {
  const folder = migrationFolder(file);
  const siblings = filesByFolder(ctx).get(folder) ?? [];
  const nameOf = (p: string) => (isPrismaStyle(p) ? basename(dirname(p)) : basename(p));
  const taken = new Set(siblings.map((p) => nameOf(p).slice(0, 14)));
  const safe = slugOf(slug);
  const own = nameOf(file);
  let m: RegExpExecArray | null;
  if ((m = /^(\d{14})_/.exec(own))) {
    let ts = BigInt(m[1]!) + 1n;
    while (taken.has(ts.toString())) ts++;
    const next = siblings[siblings.indexOf(file) + 1];
    if (!next || ts.toString() < nameOf(next).slice(0, 14)) {
      return isPrismaStyle(file) ? join(folder, `${ts}_${safe}`, 'migration.sql') : join(folder, `${ts}_${safe}.sql`);
    }
  }
  if ((m = /^V(\d+(?:[._]\d+)*)__/.exec(own))) {
    const versions = new Set(siblings.map((p) => /^V([\d._]+)__/.exec(nameOf(p))?.[1]));
    let minor = 1;
    while (versions.has(`${m[1]}.${minor}`)) minor++;
    return join(folder, `V${m[1]}.${minor}__${safe}.sql`);
  }
  return newMigrationPath(ctx, file, slug);
}

const slugOf = (slug: string) => slug.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 60);

/** Deletes a statement and the blank space after it, up to the next line. */
export function removeStatement(file: ParsedFile, stmt: Statement): TextEdit {
  const start = stmt.offset;
  let end = stmt.offset + stmt.text.length;
  const rest = /^[ \t]*(?:--[^\n]*)?\r?\n?(?:[ \t]*\r?\n)?/.exec(file.text.slice(end));
  if (rest) end += rest[0].length;
  return replaceOffsets(file, start, end, '');
}

/**
 * A fix that moves a statement (rewritten as `sql`) out of its file into a migration of its own that applies
 * right after it: what a statement needs when it cannot share the file's transaction.
 */
export function moveToOwnMigration(ctx: RuleContext, file: ParsedFile, stmt: Statement, sql: string, title: string, slug: string): Fix {
  const fix = ownMigration(ctx, file.path, sql, title, slug);
  return { ...fix, edits: [{ file: file.path, edits: [removeStatement(file, stmt)] }] };
}

/** A fix that writes `sql` as a migration of its own applying right after `nearFile`. */
export function ownMigration(ctx: RuleContext, nearFile: string, sql: string, title: string, slug: string): Fix {
  const path = migrationPathAfter(ctx, nearFile, slug);
  return {
    title: `${title} (in its own migration ${basename(path) === 'migration.sql' ? basename(dirname(path)) : basename(path)})`,
    edits: [],
    create: [{ file: path, content: `${sql.trimEnd()}\n` }],
    isPreferred: true,
  };
}

/**
 * A fix that adds `sql` where it belongs: after `stmt` when that file is the newest migration,
 * otherwise in a new migration file next to it.
 */
export function placeSql(ctx: RuleContext, stmt: Statement, sql: string, title: string, slug: string, preferred = true): Fix {
  if (isNewestMigration(ctx, stmt.file)) {
    return { title, edits: [{ file: stmt.file, edits: [insertAfterStatement(stmt, sql)] }], isPreferred: preferred };
  }
  const path = newMigrationPath(ctx, stmt.file, slug);
  return {
    title: `${title} (new migration ${basename(path) === 'migration.sql' ? basename(dirname(path)) : basename(path)})`,
    edits: [],
    create: [{ file: path, content: `${sql.trimEnd()}\n` }],
    isPreferred: preferred,
  };
}

/**
 * The statement text with string literals, quoted identifiers, dollar-quoted bodies and comments
 * replaced by spaces (same length), so keyword searches for fixes only see SQL structure.
 */
export function maskLiterals(text: string): string {
  return text.replace(/\$([A-Za-z_][A-Za-z_0-9]*)?\$[\s\S]*?\$\1\$|'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
}

/** Offset just past the `)` that closes the `(` at or after `from` in `text` (literals ignored). */
export function closingParen(text: string, from: number): number {
  const masked = maskLiterals(text);
  let depth = 0;
  for (let i = from; i < masked.length; i++) {
    if (masked[i] === '(') depth++;
    else if (masked[i] === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
