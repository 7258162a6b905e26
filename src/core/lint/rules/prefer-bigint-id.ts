import type { Rule } from '../rule';
import { checkColumnTypes } from '../helpers';
import type { AstNode } from '../../sql/parse';

const SMALL_SERIAL = /^(smallserial|serial[24]?)$/;
const isPrimary = (def: AstNode) => (def.constraints ?? []).some((c: AstNode) => c.Constraint?.contype === 'CONSTR_PRIMARY');

export const rule: Rule = {
  id: 'prefer-bigint-id',
  severity: 'warning',
  category: 'schema',
  summary: 'integer / smallint primary key: use bigint',
  docs: `## prefer-bigint-id

**What it finds:** a primary-key (or \`id\`) column of type \`integer\` or \`smallint\`, or declared \`serial\`,
\`serial4\`, \`smallserial\` or \`serial2\` (a 4- or 2-byte integer behind a sequence).

**Why it matters:** a 4-byte key runs out at 2,147,483,647. Busy tables get there, and widening the key
(plus every foreign key pointing at it) later means rewriting tables under exclusive locks.

**How to fix:**
\`\`\`sql
id bigint generated always as identity primary key
\`\`\`
The quick fix turns \`serial\` into \`bigserial\` (same behaviour, 8 bytes); \`prefer-identity\` then offers the
identity column.

**Peers:** squawk \`prefer-bigint-over-int\`, \`prefer-bigint-over-smallint\` and \`prefer-big-int\`, Postgres Language
Server \`preferBigintOverInt\`, \`preferBigintOverSmallint\` and \`preferBigInt\`. Now agrees with them on
\`serial\`/\`serial4\`/\`smallserial\` keys. Differs deliberately: only key columns (primary key, or named \`id\`) are
reported, since a 4-byte counter or flag column is a legitimate choice and reporting every \`integer\` floods
real schemas.`,
  check(ctx) {
    return checkColumnTypes(ctx, rule, (type, def, table) => {
      if (type.schema || type.array) return undefined;
      const serial = SMALL_SERIAL.test(type.name);
      if (type.name !== 'int4' && type.name !== 'int2' && !serial) return undefined;
      const pk = isPrimary(def) || def.colname === 'id' || Boolean(table?.constraints.some((c) => c.kind === 'primary' && c.columns.includes(def.colname)));
      if (!pk) return undefined;
      if (serial) {
        return {
          message: `Key column {column} is ${type.name} (a ${/^(smallserial|serial2)$/.test(type.name) ? '2' : '4'}-byte integer); use bigserial or bigint generated as identity so it cannot run out.`,
          written: /(smallserial|serial[24]?)\b/i,
          replacement: () => 'bigserial',
          fixTitle: 'Use bigserial',
        };
      }
      return {
        message: `Key column {column} is ${type.name === 'int2' ? 'smallint' : 'integer'}; use bigint so it cannot run out.`,
        written: /(pg_catalog\.)?(integer|int4|int2|smallint|int)\b/i,
        replacement: () => 'bigint',
      };
    });
  },
};
