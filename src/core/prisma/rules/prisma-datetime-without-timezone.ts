import { finding } from '../../findings/types';
import type { Finding, TextEdit } from '../../findings/types';
import { postgresSchemas, type PrismaRule } from '../rule';
import type { PrismaField, PrismaFile } from '../parse';

/** Where ` @db.Timestamptz(3)` goes: right after the type and its `?`/`[]`. */
function afterType(file: PrismaFile, f: PrismaField) {
  const end = file.lines.offsetAt(f.typeRange.end);
  const mod = /^(\[\]|\?)?/.exec(file.text.slice(end))![0];
  return file.lines.positionAt(end + mod.length);
}

export const rule: PrismaRule = {
  id: 'prisma-datetime-without-timezone',
  severity: 'warning',
  category: 'prisma',
  summary: 'DateTime stored as timestamp without time zone',
  docs: `## prisma-datetime-without-timezone

**What it finds:** a \`DateTime\` field on PostgreSQL without a native type, or with \`@db.Timestamp\`: Prisma Migrate
creates it as \`timestamp(3)\`, without time zone. The SQL counterpart is \`prefer-timestamptz\`, which stays quiet
on Prisma's generated migration.sql because the fix belongs here.

**Why it matters:** a \`timestamp\` stores the wall-clock reading and forgets the zone; values written from servers or
sessions in different zones cannot be compared, and daylight-saving changes make some instants ambiguous.

**How to fix:** store instants as \`timestamptz\`:
\`\`\`prisma
createdAt DateTime @default(now()) @db.Timestamptz(3)
\`\`\`
The quick fix adds \`@db.Timestamptz(3)\` (or turns \`@db.Timestamp(n)\` into \`@db.Timestamptz(n)\`); the next
\`prisma migrate dev\` writes the ALTER COLUMN.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const schema of postgresSchemas(ctx)) {
      for (const m of schema.models.values()) {
        for (const f of m.model.fields) {
          if (f.type !== 'DateTime') continue;
          const db = f.attributes.find((a) => a.group === 'db');
          if (db && db.name !== 'Timestamp') continue; // Timestamptz, Date, Time, Timetz: a choice already made
          const edit: TextEdit = db
            ? { range: db.range, newText: `@db.Timestamptz` }
            : { range: { start: afterType(m.file, f), end: afterType(m.file, f) }, newText: ' @db.Timestamptz(3)' };
          out.push(finding(rule, m.file.path, f.typeRange,
            `${m.model.name}.${f.name} is stored as timestamp without time zone: instants from different time zones cannot be compared. Add @db.Timestamptz(3).`,
            { fixes: [{ title: db ? `Use @db.Timestamptz for ${f.name}` : `Add @db.Timestamptz(3) to ${f.name}`, edits: [{ file: m.file.path, edits: [edit] }], isPreferred: true }] }));
        }
      }
    }
    return out;
  },
};
