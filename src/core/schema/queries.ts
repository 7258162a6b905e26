import type { Index, SchemaModel, Table } from './model';
import { indexesOf, policiesOf } from './model';

/** Questions about the schema model that both the SQL and the Prisma rules ask. */

/** True when some index's leading columns are exactly `columns` (in any order), or start with them. */
export function hasLeadingIndex(model: SchemaModel, table: string, columns: string[], filter?: (ix: Index) => boolean): boolean {
  if (columns.length === 0) return true;
  const want = new Set(columns);
  return indexesOf(model, table).some((ix) => {
    if (filter && !filter(ix)) return false;
    if (ix.columns.length < columns.length) return false;
    const lead = ix.columns.slice(0, columns.length);
    return lead.every((c) => c !== null && want.has(c)) && new Set(lead).size === want.size;
  });
}

/** True when the table is protected by row level security: its own, or its partition parent's. */
export function rlsCovers(model: SchemaModel, table: Table): boolean {
  if (table.rlsEnabled) return true;
  const parent = table.partitionOf ? model.tables.get(table.partitionOf) : undefined;
  return Boolean(parent?.rlsEnabled);
}

export function hasPolicies(model: SchemaModel, table: Table): boolean {
  return policiesOf(model, table.key).length > 0 || Boolean(table.partitionOf && policiesOf(model, table.partitionOf).length > 0);
}
