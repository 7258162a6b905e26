import type { Rule } from '../rule';
import { checkColumnTypes } from '../helpers';
import type { AstNode } from '../../sql/parse';

const isPrimary = (def: AstNode) => (def.constraints ?? []).some((c: AstNode) => c.Constraint?.contype === 'CONSTR_PRIMARY');

export const rule: Rule = {
  id: 'prefer-bigint-id',
  severity: 'warning',
  category: 'schema',
  summary: 'integer / smallint primary key: use bigint',
  docs: `## prefer-bigint-id

**What it finds:** a primary-key (or \`id\`) column of type \`integer\` or \`smallint\`.

**Why it matters:** a 4-byte key runs out at 2,147,483,647. Busy tables get there, and widening the key
(plus every foreign key pointing at it) later means rewriting tables under exclusive locks.

**How to fix:**
\`\`\`sql
id bigint generated always as identity primary key
\`\`\``,
  check(ctx) {
    return checkColumnTypes(ctx, rule, (type, def, table) => {
      if ((type.name !== 'int4' && type.name !== 'int2') || type.schema || type.array) return undefined;
      const pk = isPrimary(def) || def.colname === 'id' || Boolean(table?.constraints.some((c) => c.kind === 'primary' && c.columns.includes(def.colname)));
      if (!pk) return undefined;
      return {
        message: `Key column {column} is ${type.name === 'int2' ? 'smallint' : 'integer'}; use bigint so it cannot run out.`,
        written: /(pg_catalog\.)?(integer|int4|int2|smallint|int)\b/i,
        replacement: () => 'bigint',
      };
    });
  },
};
