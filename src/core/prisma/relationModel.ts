import type { Fix, TextEdit } from '../findings/types';
import { lineText } from './fixes';
import { attr, type PrismaField } from './parse';
import { relationName, type JoinTable, type PrismaSchema, type ResolvedModel } from './schema';

/**
 * The explicit model that takes over an implicit many-to-many table without moving a row: same table (`@@map`),
 * same columns (`@map("A")`, `@map("B")`), the primary key and index names Prisma 6 gives the implicit table,
 * and the foreign keys' default names, which already match. So `prisma migrate dev` afterwards only adds the
 * primary key (replacing the old unique index).
 */
export function explicitRelationModel(j: JoinTable, name: string): string | undefined {
  const sides = [side(j.a.model, 'A'), side(j.b.model, 'B')];
  if (sides.some((s) => !s) || sides[0]!.field === sides[1]!.field) return undefined;
  const [a, b] = sides as Side[];
  const table = j.table.name;
  const rows: [string, string, string][] = [];
  for (const s of [a, b]) {
    rows.push([s.field, s.model, `@relation(fields: [${s.field}Id], references: [${s.id.name}], onDelete: Cascade)`]);
    rows.push([`${s.field}Id`, s.id.type, `@map("${s.column}")${s.native ? ` ${s.native}` : ''}`]);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const schemaAttr = attr(j.a.model.model, 'schema') ? [`  @@schema("${j.table.schema}")`] : [];
  return [
    `/// The table Prisma made for ${j.a.model.model.name}.${j.a.field.name} ↔ ${j.b.model.model.name}.${j.b.field.name}, as a model of its own.`,
    `model ${name} {`,
    ...rows.map(([n, t, rest]) => `  ${n.padEnd(w0)} ${t.padEnd(w1)} ${rest}`),
    '',
    `  @@id([${a.field}Id, ${b.field}Id], map: "${table}_AB_pkey")`,
    `  @@index([${b.field}Id], map: "${table}_B_index")`,
    `  @@map("${table}")`,
    ...schemaAttr,
    '}',
  ].join('\n');
}

interface Side { model: string; field: string; id: PrismaField; column: 'A' | 'B'; native: string | undefined }

/** One end of the relation: the model, the field name the relation model gives it, its single @id field. */
function side(m: ResolvedModel, column: 'A' | 'B'): Side | undefined {
  const ids = m.model.fields.filter((f) => attr(f, 'id'));
  if (ids.length !== 1) return undefined;
  const id = ids[0]!;
  // The id's native type (`@db.Uuid`, `@db.VarChar(36)`) must be the foreign key's too.
  const native = /@db\.\w+(?:\([^)]*\))?/.exec(lineText(m.file, id.nameRange.start.line).slice(id.typeRange.end.column))?.[0];
  return { model: m.model.name, field: m.model.name[0]!.toLowerCase() + m.model.name.slice(1), id, column, native };
}

/**
 * The quick fix: the relation model inserted after the later of the two models (in A's file), and both list
 * fields pointed at it. Only for the plain case: unnamed relation, two different models, single-field ids,
 * and the model name `<A>To<B>` still free.
 */
export function explicitRelationFix(schema: PrismaSchema, j: JoinTable): Fix | undefined {
  if (relationName(j.a.field) || relationName(j.b.field)) return undefined;
  const name = j.table.name.replace(/^_/, '');
  if (schema.models.has(name)) return undefined;
  const block = explicitRelationModel(j, name);
  if (!block) return undefined;
  const file = j.a.model.file;
  const last = [j.a.model, j.b.model].filter((m) => m.file.path === file.path)
    .map((m) => m.model.closeBrace).sort((x, y) => x.line - y.line).pop()!;
  const after = { line: last.line, column: last.column + 1 };
  const edits = new Map<string, TextEdit[]>([[file.path, [{ range: { start: after, end: after }, newText: `\n\n${block}` }]]]);
  for (const s of [j.a, j.b]) {
    const list = edits.get(s.model.file.path) ?? [];
    edits.set(s.model.file.path, [...list, { range: s.field.typeRange, newText: name }]);
  }
  return {
    title: `Declare the relation model ${name} (same table ${j.table.name}, with @@id)`,
    edits: [...edits].map(([f, e]) => ({ file: f, edits: e })),
    isPreferred: true,
  };
}
