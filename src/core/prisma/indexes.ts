import type { SchemaModel } from '../schema/model';
import { hasLeadingIndex } from '../schema/queries';
import { argValue, attr, names, type PrismaField, type PrismaModel } from './parse';
import { columnOf, relationScalars, type PrismaSchema, type ResolvedModel } from './schema';

/** Field lists of every index the model declares: `@id`, `@unique`, `@@id`, `@@unique`, `@@index`. */
export function declaredIndexes(model: PrismaModel): string[][] {
  const out: string[][] = [];
  for (const f of model.fields) if (attr(f, 'id') || attr(f, 'unique')) out.push([f.name]);
  for (const a of model.blockAttributes) {
    if (a.group || !['id', 'unique', 'index'].includes(a.name)) continue;
    const list = names(argValue(a) ?? argValue(a, 'fields'));
    if (list.length) out.push(list);
  }
  return out;
}

/**
 * True when some index leads with exactly `fields` (in any order), so a lookup by the foreign key — and the
 * delete of a referenced row — uses it. Indexes written in migration SQL (the analyzer's model) count too.
 */
export function isIndexed(m: ResolvedModel, fields: string[], sql: SchemaModel): boolean {
  const want = new Set(fields);
  const declared = declaredIndexes(m.model).some((ix) => ix.length >= fields.length && ix.slice(0, fields.length).every((f) => want.has(f)) && new Set(ix.slice(0, fields.length)).size === want.size);
  if (declared) return true;
  const byName = new Map(m.model.fields.map((f) => [f.name, f]));
  const columns = fields.map((f) => (byName.get(f) ? columnOf(byName.get(f)!) : f));
  return sql.tables.has(m.table.key) && hasLeadingIndex(sql, m.table.key, columns);
}

/** Relation fields holding a foreign key (`@relation(fields: [...])`), with their scalar fields. */
export function* foreignKeys(schema: PrismaSchema, m: ResolvedModel): Generator<{ relation: PrismaField; fields: string[]; scalar: PrismaField | undefined }> {
  if (m.model.kind !== 'model' || isIgnored(m.model)) return;
  for (const f of m.model.fields) {
    const fields = relationScalars(f);
    if (!fields.length || !schema.models.has(f.type)) continue;
    yield { relation: f, fields, scalar: m.model.fields.find((x) => x.name === fields[0]) };
  }
}

/** `@@ignore`d models are not part of the client; leave them alone. */
export const isIgnored = (model: PrismaModel): boolean => Boolean(attr(model, 'ignore'));
