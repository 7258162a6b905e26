import type { CstNodeLocation, PrismaParser, VisitorClassFactory as VisitorFactory } from '@mrleebo/prisma-ast';
import type { AttributeArgument, Block, Field, BlockAttribute, Attribute, Value } from '@mrleebo/prisma-ast';
import { LineMap } from '../sql/positions';
import type { Position, Range } from '../sql/positions';

/**
 * schema.prisma → models, fields and attributes with editor ranges.
 *
 * `@mrleebo/prisma-ast` (chevrotain) reports `startOffset`/`endOffset` as 0-based UTF-16 indexes into the
 * JavaScript string, with `endOffset` inclusive (lines and columns are 1-based). `toRange` is the one place
 * that turns them into our 0-based line / UTF-16 column ranges. Its locations cover names only (a field's
 * name, `@@index` without its arguments, `model Post` without the body), so the body's closing brace and a
 * field's type are found by scanning the text here.
 */

export interface PrismaAttribute {
  /** `id`, `index`, `relation`, `map`; `db.Uuid` is name `Uuid` with group `db`. */
  name: string;
  group?: string;
  /** As parsed (shared with the parse cache: never mutate); locations inside are `delta` off file offsets. */
  args: AttributeArgument[];
  /** `@name` / `@@name` (without arguments). */
  range: Range;
  delta: number;
}

export interface PrismaField {
  name: string;
  nameRange: Range;
  /** Type name as written (`Int`, `Post`, `Unsupported`). */
  type: string;
  typeRange: Range;
  array: boolean;
  optional: boolean;
  attributes: PrismaAttribute[];
}

export interface PrismaModel {
  kind: 'model' | 'view';
  name: string;
  nameRange: Range;
  /** From `model` to the closing brace (inclusive). */
  range: Range;
  /** Position of the closing `}`. */
  closeBrace: Position;
  fields: PrismaField[];
  /** `@@index`, `@@map`, … */
  blockAttributes: PrismaAttribute[];
  file: string;
}

export interface PrismaDatasource {
  provider?: string;
  /** `schemas = [...]` (multiSchema). */
  schemas: string[];
  range: Range;
}

export interface PrismaFile {
  path: string;
  text: string;
  lines: LineMap;
  models: PrismaModel[];
  enums: string[];
  datasource?: PrismaDatasource;
  previewFeatures: string[];
  /** Set when the file does not parse; models are then empty. */
  parseError?: { message: string; range: Range };
}

type PrismaAst = typeof import('@mrleebo/prisma-ast');
let lib: PrismaAst | undefined;
let parser: { parser: PrismaParser; visitor: InstanceType<ReturnType<typeof VisitorFactory>> } | undefined;

/**
 * Loads the parser library once (call before the first `parsePrismaFile`; `Analyzer.create` does). Its ESM
 * build is imported: its CommonJS entry `require`s chevrotain 11, which ships ESM only, and that fails under
 * loaders that compile ESM to CommonJS (tsx in the tests). Bundles inline it either way.
 */
export async function ensurePrismaParser(): Promise<void> {
  lib ??= (await import('@mrleebo/prisma-ast/dist/prisma-ast.esm.js' as string)) as PrismaAst;
}

function prismaParser() {
  if (!lib) throw new Error('the Prisma parser is not loaded: call ensurePrismaParser() first');
  if (!parser) {
    // Full location tracking: without it the parser's locations are missing or wrong.
    const p = new lib.PrismaParser({ nodeLocationTracking: 'full' });
    parser = { parser: p, visitor: new (lib.VisitorClassFactory(p))(p) };
  }
  return parser;
}

/**
 * The one conversion from prisma-ast locations (UTF-16 offsets, inclusive end) to our ranges. `delta` is the
 * file offset of the block the location was parsed in (blocks are parsed, and cached, on their own).
 */
export function toRange(lines: LineMap, loc: CstNodeLocation | undefined, delta = 0): Range {
  if (!loc || Number.isNaN(loc.startOffset)) return { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
  const end = loc.endOffset === undefined || Number.isNaN(loc.endOffset) ? loc.startOffset : loc.endOffset + 1;
  return lines.range(loc.startOffset + delta, end + delta);
}

export const isPrismaPath = (path: string): boolean => path.toLowerCase().endsWith('.prisma');

/** Parses one .prisma file. Never throws: a syntax error becomes `parseError`. */
export function parsePrismaFile(path: string, text: string): PrismaFile {
  const lines = new LineMap(text);
  const file: PrismaFile = { path, text, lines, models: [], enums: [], previewFeatures: [] };
  let blocks: { block: Block; delta: number }[];
  try {
    blocks = parseBlocks(text);
  } catch (err) {
    file.parseError = parseErrorOf(lines, text, err);
    return file;
  }
  for (const { block, delta } of blocks) {
    if (block.type === 'model' || block.type === 'view') file.models.push(modelOf(file, block.type, block.name, block.properties, block.location, delta));
    else if (block.type === 'enum') file.enums.push(block.name);
    else if (block.type === 'datasource') {
      const get = (key: string) => block.assignments.find((a) => a.type === 'assignment' && a.key === key);
      const provider = get('provider');
      const schemas = get('schemas');
      file.datasource = {
        provider: provider?.type === 'assignment' && typeof provider.value === 'string' ? unquote(provider.value) : undefined,
        schemas: schemas?.type === 'assignment' ? names(schemas.value) : [],
        range: toRange(lines, block.location, delta),
      };
    } else if (block.type === 'generator') {
      const pf = block.assignments.find((a) => a.type === 'assignment' && a.key === 'previewFeatures');
      if (pf?.type === 'assignment') file.previewFeatures.push(...names(pf.value));
    }
  }
  return file;
}

function modelOf(file: PrismaFile, kind: 'model' | 'view', name: string, props: readonly { type: string }[], loc: CstNodeLocation | undefined, delta: number): PrismaModel {
  const { lines, text } = file;
  const header = toRange(lines, loc, delta);
  const headerEnd = loc ? (loc.endOffset ?? loc.startOffset) + 1 + delta : 0;
  const nameStart = text.indexOf(name, loc ? loc.startOffset + delta + kind.length : 0);
  const close = closingBrace(text, headerEnd);
  const model: PrismaModel = {
    kind,
    name,
    nameRange: lines.range(nameStart, nameStart + name.length),
    range: { start: header.start, end: lines.positionAt(close + 1) },
    closeBrace: lines.positionAt(close),
    fields: [],
    blockAttributes: [],
    file: file.path,
  };
  for (const p of props) {
    if (p.type === 'field') {
      const f = p as Field;
      // The parser's field location can run past the name (`tags Tag[` for list fields): keep the name only.
      const start = (f.location?.startOffset ?? 0) + delta;
      const nameRange = lines.range(start, start + f.name.length);
      const typeRange = typeRangeAfter(file, start + f.name.length);
      model.fields.push({
        name: f.name,
        nameRange,
        type: typeof f.fieldType === 'string' ? f.fieldType : f.fieldType.name,
        typeRange,
        array: Boolean(f.array),
        optional: Boolean(f.optional),
        attributes: (f.attributes ?? []).map((a: Attribute) => attrOf(lines, a, delta)),
      });
    } else if (p.type === 'attribute') {
      model.blockAttributes.push(attrOf(lines, p as BlockAttribute, delta));
    }
  }
  return model;
}

function attrOf(lines: LineMap, a: Attribute | BlockAttribute, delta: number): PrismaAttribute {
  return { name: a.name, ...(a.group ? { group: a.group } : {}), args: a.args ?? [], range: toRange(lines, a.location, delta), delta };
}

/** The field type written after the field name: `String`, `Post[]`, `Int?`, `Unsupported("x")`. */
function typeRangeAfter(file: PrismaFile, nameEnd: number): Range {
  const re = /[ \t]+([A-Za-z][\w.]*(?:\("(?:[^"\\]|\\.)*"\))?)/y;
  re.lastIndex = nameEnd;
  const m = re.exec(file.text);
  if (!m) return file.lines.range(nameEnd, nameEnd);
  const start = m.index + m[0].length - m[1]!.length;
  return file.lines.range(start, start + m[1]!.length);
}

/** Offset of the `}` closing the block whose `{` follows `from` (strings and comments skipped). */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return Math.max(0, text.length - 1);
}

/**
 * Top-level blocks (`model X { … }`, `enum`, `datasource`, …) as [start, end) offsets, or undefined when
 * anything else stands between them (then the whole file goes to the parser, which reports it).
 */
export function splitBlocks(text: string): { start: number; end: number }[] | undefined {
  const out: { start: number; end: number }[] = [];
  const head = /(?:model|view|type|enum|datasource|generator)[ \t]+[A-Za-z][\w-]*[ \t]*\{/y;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else {
      head.lastIndex = i;
      if (!head.test(text)) return undefined;
      const close = closingBrace(text, i);
      if (text[close] !== '}') return undefined;
      out.push({ start: i, end: close + 1 });
      i = close + 1;
    }
  }
  return out;
}

/** Parsed blocks by their text: editing one model re-parses that model only (the parser is slow on big files). */
const blockCache = new Map<string, Block[] | { error: unknown }>();
const BLOCK_CACHE_MAX = 4000;

function parseText(src: string): Block[] {
  const { parser: p, visitor } = prismaParser(); // throws when not loaded: reported as the file's parse error
  return lib!.getSchema(src, { parser: p, visitor }).list;
}

/**
 * Every block of the file with the file offset its locations are relative to, parsed block by block through
 * the cache. A block's error is rethrown with `delta` so its position lands in the file.
 */
function parseBlocks(text: string): { block: Block; delta: number }[] {
  const spans = splitBlocks(text);
  if (!spans) return parseText(text).map((block) => ({ block, delta: 0 }));
  const out: { block: Block; delta: number }[] = [];
  for (const { start, end } of spans) {
    const src = text.slice(start, end);
    let hit = blockCache.get(src);
    if (!hit) {
      try {
        hit = parseText(src);
      } catch (error) {
        if (!lib) throw error;
        hit = { error };
      }
      if (blockCache.size >= BLOCK_CACHE_MAX) blockCache.clear();
      blockCache.set(src, hit);
    }
    if (!Array.isArray(hit)) throw new BlockError(hit.error, start);
    for (const block of hit) out.push({ block, delta: start });
  }
  return out;
}

class BlockError {
  constructor(readonly error: unknown, readonly delta: number) {}
}

function parseErrorOf(lines: LineMap, text: string, thrown: unknown): { message: string; range: Range } {
  const delta = thrown instanceof BlockError ? thrown.delta : 0;
  const err = thrown instanceof BlockError ? thrown.error : thrown;
  const e = err as { message?: string; token?: { startOffset?: number; endOffset?: number; image?: string } };
  const tok = e.token;
  const start = tok && typeof tok.startOffset === 'number' && !Number.isNaN(tok.startOffset) ? tok.startOffset + delta : text.length;
  const end = tok && typeof tok.endOffset === 'number' && !Number.isNaN(tok.endOffset) ? tok.endOffset + 1 + delta : start;
  const first = (e.message ?? String(err)).split('\n')[0]!.trim();
  const message = tok?.image ? `unexpected '${tok.image}'` : first;
  return { message, range: lines.range(start, end) };
}

/** `"x"` → `x`; other values as written. */
export function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}

/** Names in a list value: `[a, b(sort: Desc), "c"]` → a, b, c. */
export function names(v: Value | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [unquote(v)];
  if (Array.isArray(v)) return v.flatMap(names);
  if (typeof v === 'object' && v.type === 'array') return v.args.flatMap(names);
  if (typeof v === 'object' && v.type === 'function') return [v.name];
  return [];
}

/** The value of a named argument (`fields: [...]`), or of the first positional one when `key` is undefined. */
export function argValue(attr: PrismaAttribute, key?: string): Value | undefined {
  for (const a of attr.args) {
    const v = a.value;
    const isKv = typeof v === 'object' && v !== null && !Array.isArray(v) && v.type === 'keyValue';
    if (key === undefined && !isKv) return v as Value;
    if (key !== undefined && isKv && v.key === key) return v.value;
  }
  return undefined;
}

/** The argument's location (a `key: value` pair), when the parser recorded one. */
export function argRange(file: PrismaFile, attr: PrismaAttribute, key: string): Range | undefined {
  for (const a of attr.args) {
    const v = a.value as { type?: string; key?: string; location?: CstNodeLocation };
    if (v && typeof v === 'object' && v.type === 'keyValue' && v.key === key && v.location) {
      // The location covers the key only; extend it over `: value`.
      const re = /[A-Za-z_]\w*\s*:\s*(?:"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[\w.]+)/y;
      re.lastIndex = v.location.startOffset + attr.delta;
      const m = re.exec(file.text);
      return m ? file.lines.range(m.index, m.index + m[0].length) : toRange(file.lines, v.location, attr.delta);
    }
  }
  return undefined;
}

export const attr = (owner: { attributes?: PrismaAttribute[]; blockAttributes?: PrismaAttribute[] }, name: string, group?: string): PrismaAttribute | undefined =>
  (owner.attributes ?? owner.blockAttributes ?? []).find((a) => a.name === name && a.group === group);
