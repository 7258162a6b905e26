import type { Rule } from '../rule';
import { finding } from '../rule';
import { alterationsOfExistingTables } from '../helpers';
import { identRange, typeRefOf } from '../../schema/build';
import { sqlName, strings } from '../../schema/names';
import { walk } from '../../schema/walk';
import type { AstNode } from '../../sql/parse';
import type { SchemaModel } from '../../schema/model';
import type { Finding } from '../types';

/** Built-in volatile functions commonly used as defaults: each row needs its own value. */
const VOLATILE_BUILTINS = new Set(['random', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current', 'gen_random_bytes', 'random_normal', 'setval']);

/**
 * Built-in functions that are IMMUTABLE or STABLE (evaluated once for ADD COLUMN, stored in the catalog).
 * A function outside this list and not created by the migrations is assumed VOLATILE, as PostgreSQL
 * assumes for any function declared without a volatility.
 */
const NON_VOLATILE_BUILTINS = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_setting', 'to_timestamp', 'to_date', 'to_char', 'date_trunc',
  'make_date', 'make_interval', 'make_timestamp', 'make_timestamptz', 'timezone', 'lower', 'upper', 'length', 'concat', 'concat_ws',
  'replace', 'trim', 'btrim', 'ltrim', 'rtrim', 'substr', 'substring', 'left', 'right', 'format', 'md5', 'abs', 'round', 'floor', 'ceil',
  'to_json', 'to_jsonb', 'json_build_object', 'jsonb_build_object', 'json_build_array', 'jsonb_build_array', 'jsonb_object', 'array_to_string',
  'string_to_array', 'array_fill', 'to_tsvector', 'to_tsquery', 'int4range', 'int8range', 'tstzrange', 'daterange', 'numrange', 'point',
  'inet', 'uid', 'jwt', 'role', 'email', 'current_database', 'current_schema', 'pg_backend_pid', 'version', 'date_part', 'extract', 'age',
  'gen_salt', 'digest', 'encode', 'decode', 'jsonb_set', 'row_to_json', 'array_length', 'cardinality', 'coalesce', 'nullif', 'greatest', 'least',
]);

/** The volatility PostgreSQL gives a function created by the migrations (VOLATILE when not declared). */
function declaredVolatility(model: SchemaModel, name: string[]): 'immutable' | 'stable' | 'volatile' | undefined {
  const fn = name[name.length - 1]!;
  const schema = name.length > 1 ? name[name.length - 2] : undefined;
  let found: 'immutable' | 'stable' | 'volatile' | undefined;
  for (const f of model.functions.values()) {
    if (f.name !== fn || (schema && f.schema !== schema)) continue;
    const opt = (f.origin.stmt.node.options ?? []).find((o: AstNode) => o.DefElem?.defname === 'volatility');
    const v = (opt?.DefElem?.arg?.String?.sval ?? 'volatile') as 'immutable' | 'stable' | 'volatile';
    // Overloads: the most volatile one decides (we do not resolve argument types).
    if (!found || v === 'volatile' || (v === 'stable' && found === 'immutable')) found = v;
  }
  return found;
}

/** The first volatile function call in a default expression, by name. */
function volatileCall(model: SchemaModel, expr: AstNode | undefined): string | undefined {
  let found: string | undefined;
  walk(expr, (node) => {
    if (found) return false;
    if (node.FuncCall) {
      const name = strings(node.FuncCall.funcname);
      const fn = name[name.length - 1]!;
      const declared = declaredVolatility(model, name);
      if (declared) {
        if (declared === 'volatile') found = name.join('.');
      } else if (VOLATILE_BUILTINS.has(fn) || (!NON_VOLATILE_BUILTINS.has(fn) && !(name.length > 1 && name[0] === 'pg_catalog'))) {
        found = name.join('.');
      }
    }
    return undefined;
  });
  return found;
}

const SERIAL = /^(small|big)?serial[248]?$/;

export const rule: Rule = {
  id: 'volatile-default-rewrite',
  severity: 'warning',
  category: 'migration',
  summary: 'Adding a column with a volatile default, a serial type or a stored generated column rewrites the table',
  docs: `## volatile-default-rewrite

**What it finds:** \`ADD COLUMN\` on an existing table whose value must be computed per row:
- a volatile default: \`gen_random_uuid()\`, \`random()\`, \`clock_timestamp()\`, \`nextval()\` …, or a function the
  migrations created without \`IMMUTABLE\`/\`STABLE\` (PostgreSQL makes every function VOLATILE unless declared
  otherwise). A function neither built in nor created by the migrations is assumed volatile too;
- a \`serial\`/\`bigserial\`/\`smallserial\` column (an implicit \`nextval()\` default);
- \`GENERATED ALWAYS AS (…) STORED\`.

**Why it matters:** since PostgreSQL 11 a constant (or stable, like \`now()\`) default is stored once in the
catalog. A volatile one must be computed per row, so PostgreSQL rewrites the whole table under an
ACCESS EXCLUSIVE lock: no reads or writes until it finishes.

**How to fix:** add the column without the default, set the default for new rows, backfill in batches.
\`\`\`sql
alter table public.documents add column public_id uuid;
alter table public.documents alter column public_id set default gen_random_uuid();
update public.documents set public_id = gen_random_uuid() where public_id is null; -- in batches
\`\`\`
Declare your own default functions \`stable\` or \`immutable\` when they are.

**Peers:** squawk \`adding-field-with-default\` and \`adding-serial-primary-key-field\`, Postgres Language Server
\`addingFieldWithDefault\` and \`addSerialColumn\`. Now agrees with them on serial columns and on unknown or
user-defined functions (\`DEFAULT myjsonb()\`, \`uuid()\`). Differs deliberately: a user-defined function the
migrations declare \`STABLE\` or \`IMMUTABLE\` is not reported (the peers cannot see the declaration), and tables
created in the same migration are not reported (no rows to rewrite).`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { facts, stmt, file, cmd } of alterationsOfExistingTables(ctx, 'AT_AddColumn')) {
      const def = cmd.def?.ColumnDef;
      if (!def) continue;
      const cons: AstNode[] = (def.constraints ?? []).map((c: AstNode) => c.Constraint ?? {});
      const dflt = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
      const fn = volatileCall(ctx.model, dflt?.raw_expr);
      const generated = cons.some((c) => c.contype === 'CONSTR_GENERATED');
      const type = def.typeName ? typeRefOf(def.typeName) : undefined;
      const serial = type && !type.schema && SERIAL.test(type.name) ? type.name : undefined;
      if (!fn && !generated && !serial) continue;
      const why = fn ? `its default ${fn}() is volatile` : serial ? `${serial} fills every row from a sequence (an implicit nextval() default)` : 'it is a stored generated column';
      out.push(
        finding(rule, file.path, identRange(file, stmt, def.location),
          `Adding column "${def.colname}" to ${sqlName(facts.table!)} rewrites the whole table under an exclusive lock because ${why}.`),
      );
    }
    return out;
  },
};
