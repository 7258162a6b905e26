import { basename, dirname, join, sep } from 'node:path';
import type { Fix, TextEdit } from '../findings/types';
import { quoteIdent, sqlName } from '../schema/names';
import { attr } from './parse';
import type { PrismaField, PrismaFile, PrismaModel } from './parse';
import { columnOf, type PrismaSchema, type TableName } from './schema';
import type { PrismaRuleContext } from './rule';

/** Text of line `n` (without its newline). */
export function lineText(file: PrismaFile, n: number): string {
  const start = file.lines.offsetAt({ line: n, column: 0 });
  const nl = file.text.indexOf('\n', start);
  return file.text.slice(start, nl === -1 ? file.text.length : nl).replace(/\r$/, '');
}

/** The indentation of the model's fields (two spaces when it has none). */
function bodyIndent(file: PrismaFile, model: PrismaModel): string {
  const first = model.fields[0]?.nameRange.start ?? model.blockAttributes[0]?.range.start;
  return first ? lineText(file, first.line).slice(0, first.column) : '  ';
}

/**
 * Inserts `@@index([a, b])` as the model's last line, before the closing brace, indented like the fields,
 * after a blank line unless other block attributes already end the model.
 */
export function addIndexEdit(file: PrismaFile, model: PrismaModel, fields: string[]): TextEdit {
  const indent = bodyIndent(file, model);
  const line = `${indent}@@index([${fields.join(', ')}])`;
  const brace = model.closeBrace;
  const beforeBrace = lineText(file, brace.line).slice(0, brace.column);
  if (beforeBrace.trim() !== '') return { range: { start: brace, end: brace }, newText: `\n${line}\n` };
  let prev = brace.line - 1;
  while (prev > model.range.start.line && lineText(file, prev).trim() === '') prev--;
  const prevText = lineText(file, prev).trim();
  const blank = prev > model.range.start.line && !prevText.startsWith('@@') && lineText(file, brace.line - 1).trim() !== '' ? '\n' : '';
  const at = { line: brace.line, column: 0 };
  return { range: { start: at, end: at }, newText: `${blank}${line}\n` };
}

/** The "add @@index" quick fix. */
export function addIndexFix(file: PrismaFile, model: PrismaModel, fields: string[]): Fix {
  return { title: `Add @@index([${fields.join(', ')}]) to ${model.name}`, edits: [{ file: file.path, edits: [addIndexEdit(file, model, fields)] }], isPreferred: true };
}

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
const PRISMA_MIGRATION = /^(\d{14})_[^/\\]*$/;

/**
 * The folder Prisma Migrate keeps this schema's migrations in: an existing `migrations` folder of Prisma-style
 * `<timestamp>_<name>/migration.sql` entries next to the schema (or one level up, for prisma/schema/*.prisma),
 * else `migrations` next to the datasource file.
 */
export function migrationsFolder(schema: PrismaSchema, sqlFiles: string[]): string {
  const used = new Set(sqlFiles.filter((p) => basename(p) === 'migration.sql' && PRISMA_MIGRATION.test(basename(dirname(p)))).map((p) => dirname(dirname(p))));
  const near = [join(schema.root, 'migrations'), join(dirname(schema.root), 'migrations')];
  const found = near.find((d) => used.has(d)) ?? [...used].find((d) => d.startsWith(dirname(schema.root) + sep));
  return found ?? join(schema.datasourceFile ? dirname(schema.datasourceFile) : schema.root, 'migrations');
}

/** `<folder>/<YYYYMMDDHHMMSS>_<slug>/migration.sql`, timestamped after every existing migration there. */
export function newPrismaMigrationPath(folder: string, sqlFiles: string[], now: Date, slug: string): string {
  let ts = stamp(now);
  for (const p of sqlFiles) {
    if (dirname(dirname(p)) !== folder) continue;
    const m = PRISMA_MIGRATION.exec(basename(dirname(p)));
    if (m && m[1]! >= ts) ts = (BigInt(m[1]!) + 1n).toString();
  }
  const safe = slug.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 60);
  return join(folder, `${ts}_${safe}`, 'migration.sql');
}

const OWNER_FIELDS = ['user_id', 'owner_id', 'author_id', 'profile_id', 'created_by', 'userid', 'ownerid', 'authorid', 'profileid', 'createdby'];

/** The column that probably names the row's owner, with its Prisma field. */
export function ownerField(model: PrismaModel | undefined): PrismaField | undefined {
  if (!model) return undefined;
  for (const want of OWNER_FIELDS) {
    const f = model.fields.find((x) => !x.array && columnOf(x).toLowerCase() === want);
    if (f) return f;
  }
  return undefined;
}

/**
 * SQL that enables RLS on a table with a starter owner policy. `auth.uid()` is a uuid: compared as is with a
 * `@db.Uuid` column, as text with a String column; any other owner type (or no owner column) gets a policy that
 * denies everything until the TODO is resolved — safe while unedited, since Prisma itself connects as the
 * table owner and is not subject to RLS.
 */
export function enableRlsMigrationSql(table: TableName, model: PrismaModel | undefined, label: string, { enable = true } = {}): string {
  const name = sqlName(table.key);
  const owner = ownerField(model);
  const head = `-- ${enable ? 'Row level security' : 'Policies'} for ${label} (table ${name}${enable ? '' : ', row level security already on'}).\n-- Prisma connects as the table owner and bypasses RLS; these policies guard the Supabase API (anon / authenticated).\n${enable ? `alter table ${name} enable row level security;\n` : ''}\n`;
  if (owner && (owner.type === 'String' || attr(owner, 'Uuid', 'db'))) {
    const col = quoteIdent(columnOf(owner));
    const uid = attr(owner, 'Uuid', 'db') ? '(select auth.uid())' : '(select auth.uid())::text';
    return (
      head +
      `-- Starter policy: each signed-in user manages the rows whose ${col} is their user id. Edit before shipping.\n` +
      `create policy "Owners manage their ${table.name}" on ${name}\n  for all to authenticated\n  using (${uid} = ${col})\n  with check (${uid} = ${col});\n`
    );
  }
  const why = owner
    ? `${quoteIdent(columnOf(owner))} is ${owner.type}, not the Supabase user id (uuid): map it to auth.uid() (e.g. through your users table)`
    : 'no owner column (user_id, owner_id, author_id) was found';
  return (
    head +
    `-- TODO: ${why}, then replace "false" with who may read and write rows.\n` +
    `-- Until then this policy denies everything to API clients.\n` +
    `create policy "TODO access rule for ${table.name}" on ${name}\n  for all to authenticated\n  using (false)\n  with check (false);\n`
  );
}

/** The "Create RLS migration" quick fix: a new Prisma migration folder with the SQL above. */
export function rlsMigrationFix(ctx: PrismaRuleContext, schema: PrismaSchema, table: TableName, model: PrismaModel | undefined, label: string): Fix {
  return migrationFix(ctx, schema, `enable_rls_${table.name}`, (folder) => `Create RLS migration for ${sqlName(table.key)} (${folder})`,
    enableRlsMigrationSql(table, model, label));
}

/** The "Create policy migration" quick fix, for a table whose RLS is on already: the starter policy alone. */
export function policyMigrationFix(ctx: PrismaRuleContext, schema: PrismaSchema, table: TableName, model: PrismaModel | undefined, label: string): Fix {
  return migrationFix(ctx, schema, `policies_${table.name}`, (folder) => `Create policy migration for ${sqlName(table.key)} (${folder})`,
    enableRlsMigrationSql(table, model, label, { enable: false }));
}

function migrationFix(ctx: PrismaRuleContext, schema: PrismaSchema, slug: string, title: (folder: string) => string, content: string): Fix {
  const path = newPrismaMigrationPath(migrationsFolder(schema, ctx.sqlFiles), ctx.sqlFiles, ctx.now(), slug);
  return { title: title(basename(dirname(path))), edits: [], create: [{ file: path, content }], isPreferred: true };
}
