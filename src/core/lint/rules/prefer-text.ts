import type { Rule } from '../rule';
import { checkColumnTypes } from '../helpers';

export const rule: Rule = {
  id: 'prefer-text',
  severity: 'info',
  category: 'schema',
  summary: 'varchar(n): prefer text (with a CHECK when a limit matters)',
  docs: `## prefer-text

**What it finds:** a column declared \`varchar(n)\` / \`character varying(n)\` (or \`char(n)\`).

**Why it matters:** in PostgreSQL \`text\` and \`varchar\` are stored the same way; the length limit only adds
a constraint that is expensive to change later (raising it is cheap, lowering or adding one rewrites or
scans the table). \`char(n)\` pads with spaces and surprises comparisons.

**How to fix:** use \`text\`, and a CHECK constraint when a limit is a real business rule.
\`\`\`sql
username text not null check (char_length(username) between 3 and 32)
\`\`\`

**Peers:** squawk \`prefer-text-field\` and \`ban-char-field\`, Postgres Language Server \`preferTextField\` and \`banCharField\`.`,
  check(ctx) {
    return checkColumnTypes(ctx, rule, (type) =>
      (type.name === 'varchar' || type.name === 'bpchar') && !type.schema && type.mods.length > 0
        ? {
            message: `Column {column} is ${type.name === 'bpchar' ? 'char' : 'varchar'}(${type.mods[0]}); use text (with a CHECK if the limit is a real rule).`,
            written: /(pg_catalog\.)?(varchar|character\s+varying|char|character|bpchar)\s*\(\s*\d+\s*\)/i,
            replacement: () => 'text',
          }
        : undefined,
    );
  },
};
