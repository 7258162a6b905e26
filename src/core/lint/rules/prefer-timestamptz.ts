import type { Rule } from '../rule';
import { checkColumnTypes } from '../helpers';

export const rule: Rule = {
  id: 'prefer-timestamptz',
  severity: 'warning',
  category: 'schema',
  summary: 'timestamp without time zone: use timestamptz',
  docs: `## prefer-timestamptz

**What it finds:** a column declared \`timestamp\` (\`timestamp without time zone\`).

**Why it matters:** \`timestamp\` stores a wall-clock reading with no zone. Values written from sessions or
servers in different zones silently disagree, and comparisons with \`now()\` shift with the session's
TimeZone. \`timestamptz\` stores an absolute instant (same 8 bytes) and converts on display.

**How to fix:**
\`\`\`sql
created_at timestamptz not null default now()
\`\`\`

**Peers:** squawk \`prefer-timestamptz\`, Postgres Language Server \`preferTimestamptz\`.`,
  check(ctx) {
    return checkColumnTypes(ctx, rule, (type) =>
      type.name === 'timestamp' && !type.schema
        ? {
            message: 'Column {column} is timestamp without time zone; use timestamptz so instants stay unambiguous across time zones.',
            written: /(pg_catalog\.)?timestamp(\s*\(\s*\d+\s*\))?(\s+without\s+time\s+zone)?/i,
            replacement: (m) => `timestamptz${m[2] ? m[2].replace(/\s+/g, '') : ''}`,
          }
        : undefined,
    );
  },
};
