import { describeLiveTable, isManagedSchema, type LiveTable } from '../db/introspect';
import { describeTable } from '../schema/describe';
import { capText, resultBudget } from './budget';
import { describeDatabase } from '../db/database';
import { toolError, type Tool } from './types';

interface Input { tables?: string[] }

/** `orders` matches public.orders and any schema's orders; `auth.users` only that one. */
export function matchesName(wanted: string, schema: string, name: string): boolean {
  const w = wanted.trim().replace(/"/g, '').toLowerCase();
  return w === `${schema}.${name}`.toLowerCase() || w === name.toLowerCase();
}

export const getSchema: Tool<Input> = {
  name: 'get_schema',
  description: 'The database schema: tables with columns, primary and foreign keys, indexes, row level security and policies. '
    + 'From the connected database when there is one, else from the workspace migrations. Pass `tables` (names or schema.name) to get just those; omit it for every table.',
  inputSchema: {
    type: 'object',
    properties: { tables: { type: 'array', items: { type: 'string' }, description: 'Table names, e.g. ["orders", "auth.users"]. Omit for all.' } },
    additionalProperties: false,
  },
  readOnly: true,
  progress: (input, ctx) => `Reading the schema${input.tables?.length ? ` of ${input.tables.join(', ')}` : ''} from ${ctx.project.databaseInfo() ? `the ${describeDatabase(ctx.project.databaseInfo()!)}` : 'the workspace migrations'}…`,
  async run(input, ctx, signal) {
    // A model sometimes sends one name as a string, or a comma-separated list: take those too.
    const given: unknown[] = Array.isArray(input.tables) ? input.tables : typeof input.tables === 'string' ? String(input.tables).split(',') : [];
    const wanted = given.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim());
    const budget = resultBudget(ctx);
    const database = await ctx.project.database();
    if (database) {
      let tables: LiveTable[];
      try {
        tables = (await database.schema(signal)).tables;
      } catch (err) {
        return toolError(`Could not read the schema of the ${describeDatabase(database)}: ${(err as Error).message}`);
      }
      // Platform schemas (auth, storage …) only when asked for by name.
      const own = tables.filter((t) => !isManagedSchema(t.schema));
      const managed = tables.length - own.length;
      const picked = wanted.length ? tables.filter((t) => wanted.some((w) => matchesName(w, t.schema, t.name))) : own;
      const missing = wanted.filter((w) => !tables.some((t) => matchesName(w, t.schema, t.name)));
      if (!picked.length) {
        return toolError(wanted.length
          ? `No table named ${wanted.join(', ')} in the ${describeDatabase(database)}. Tables there: ${tables.slice(0, 60).map((t) => `${t.schema}.${t.name}`).join(', ') || 'none'}.`
          : `The ${describeDatabase(database)} has no tables outside the system schemas.`);
      }
      const head = `Schema from the ${describeDatabase(database)} (its catalog): ${picked.length} relation${picked.length === 1 ? '' : 's'}.`
        + (missing.length ? ` Not found: ${missing.join(', ')}.` : '')
        + (!wanted.length && managed ? ` ${managed} relation${managed === 1 ? '' : 's'} in platform schemas (auth, storage …) not listed; name them to see them.` : '');
      const { text, cut } = capText([head, ...picked.map(describeLiveTable)].join('\n\n'), budget, 'ask for specific tables');
      return { content: text, summary: `${picked.length} relation${picked.length === 1 ? '' : 's'} from the ${database.kind === 'live' ? 'live' : 'embedded'} catalog${cut ? ' (truncated)' : ''}` };
    }
    const ws = await ctx.project.analysis();
    const model = ws.analyzer.model();
    const all = [...model.tables.values()];
    if (!all.length) {
      return toolError(`No tables found: the workspace has ${ws.files.length} migration file${ws.files.length === 1 ? '' : 's'}${ws.folders.length ? ` (in ${ws.folders.join(', ')})` : ''} and no database is connected.`);
    }
    const picked = wanted.length ? all.filter((t) => wanted.some((w) => matchesName(w, t.schema, t.name))) : all;
    const missing = wanted.filter((w) => !all.some((t) => matchesName(w, t.schema, t.name)));
    if (!picked.length) return toolError(`No table named ${wanted.join(', ')} in the workspace migrations. Tables there: ${all.slice(0, 60).map((t) => `${t.schema}.${t.name}`).join(', ')}.`);
    const head = `Schema from the workspace migrations (${ws.files.length} file${ws.files.length === 1 ? '' : 's'}, no database connected): ${picked.length} table${picked.length === 1 ? '' : 's'}.`
      + (missing.length ? ` Not found: ${missing.join(', ')}.` : '');
    const { text, cut } = capText([head, ...picked.map((t) => describeTable(model, t, ctx.project.root))].join('\n\n'), budget, 'ask for specific tables');
    return { content: text, summary: `${picked.length} table${picked.length === 1 ? '' : 's'} from the migrations${cut ? ' (truncated)' : ''}` };
  },
};
