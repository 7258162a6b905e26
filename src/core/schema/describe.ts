import type { SchemaModel, Table } from './model';
import { indexesOf, policiesOf } from './model';
import { sqlName } from './names';
import { displayPath } from '../workspace/migrations';

const typeText = (t: Table['columns'] extends Map<string, infer C> ? C : never) =>
  `${t.type.schema ? `${t.type.schema}.` : ''}${t.type.name}${t.type.mods.length ? `(${t.type.mods.join(',')})` : ''}${t.type.array ? '[]' : ''}`;

/** A markdown summary of a table for hovers and agent context: columns, then RLS and policies, keys, indexes. */
export function describeTable(model: SchemaModel, table: Table, root?: string): string {
  const where = (file: string) => (root ? displayPath(root, file) : file);
  const pk = table.constraints.find((c) => c.kind === 'primary')?.columns ?? [];
  const lines = [`**${sqlName(table.key)}**${table.partitionOf ? ` (partition of ${sqlName(table.partitionOf)})` : ''}`, ''];
  lines.push('| column | type | |', '|---|---|---|');
  for (const c of table.columns.values()) {
    const notes = [pk.includes(c.name) ? 'PK' : '', c.notNull && !pk.includes(c.name) ? 'not null' : '', c.identity ? 'identity' : '', c.default ? 'default' : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`| ${c.name} | ${typeText(c)} | ${notes} |`);
  }
  // Who may see the rows comes right after the columns: a hover that is cut short still shows the policies.
  const parent = table.partitionOf ? model.tables.get(table.partitionOf) : undefined;
  lines.push('', `Row level security: ${table.rlsEnabled ? 'enabled' : parent?.rlsEnabled ? 'enabled on parent' : '**disabled**'}${table.rlsForced ? ' (forced)' : ''}`);
  for (const p of policiesOf(model, table.key)) {
    lines.push(`- policy "${p.name}": ${p.permissive ? '' : 'restrictive '}${p.command.toUpperCase()} to ${p.roles.join(', ')}`);
  }
  const fks = table.constraints.filter((c) => c.kind === 'foreign');
  if (fks.length) lines.push('', `Foreign keys: ${fks.map((f) => `(${f.columns.join(', ')}) → ${f.refTable ? sqlName(f.refTable) : '?'}`).join('; ')}`);
  const ixs = indexesOf(model, table.key);
  if (ixs.length) lines.push('', `Indexes: ${ixs.map((i) => `${i.name} ${i.method !== 'btree' ? `${i.method} ` : ''}(${i.columns.map((c) => c ?? 'expr').join(', ')})${i.unique ? ' unique' : ''}`).join('; ')}`);
  lines.push('', `Defined in ${where(table.origin.file)}:${table.origin.range.start.line + 1}${table.changes.length ? `, changed in ${[...new Set(table.changes.map((c) => where(c.file)))].join(', ')}` : ''}`);
  return lines.join('\n');
}
