import type { Rule } from '../rule';
import { finding } from '../rule';
import { wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import { qualifiedKey, rangeVarKey, sqlName } from '../../schema/names';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'enum-value-renamed-or-removed',
  severity: 'warning',
  category: 'migration',
  summary: 'Renaming or deleting an enum value breaks clients and rows that still use it',
  docs: `## enum-value-renamed-or-removed

**What it finds:** \`ALTER TYPE … RENAME VALUE\` on an enum created by an earlier migration (or not by the migrations
at all), and \`DELETE FROM pg_enum\` (removing a value by editing the catalog).

**Why it matters:** PostgreSQL has no \`DROP VALUE\`. A renamed value breaks every application version that still
sends or compares the old label the moment the migration lands; deleting from \`pg_enum\` leaves rows holding a
value the type no longer has, which corrupts reads and indexes.

**How to fix:** add the new value, move the rows over in batches, deploy code that stops using the old one, and
keep the old label (or recreate the type in a planned migration: new type, \`ALTER COLUMN … TYPE … USING\`, drop the old).

**Peers:** squawk flags enum changes in general (\`ban-alter-enum-add-value\`-style guidance); the Postgres Language
Server has \`creatingEnum\`. Differs deliberately: creating an enum and adding values are not reported (safe);
renaming and removing, which break running code, are.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file } of wantedFiles(ctx)) {
      for (const s of file.statements) {
        if (s.kind === 'AlterEnumStmt' && s.node.oldVal) {
          const type = qualifiedKey(s.node.typeName);
          const def = type ? ctx.model.types.get(type) : undefined;
          // A type created earlier in this file holds no rows yet.
          if (def && def.origin.file === file.path && def.origin.stmt.index < s.index) continue;
          out.push(finding(rule, file.path, headRange(file, s),
            `Renaming enum value '${s.node.oldVal}' of ${type ? sqlName(type) : 'this type'} to '${s.node.newVal}' breaks clients that still use the old label.`));
        } else if (s.kind === 'DeleteStmt' && /^(pg_catalog\.)?pg_enum$/.test(rangeVarKey(s.node.relation)?.replace(/^public\./, '') ?? '')) {
          out.push(finding(rule, file.path, headRange(file, s),
            'Deleting from pg_enum removes enum values behind PostgreSQL\'s back: rows still holding them become unreadable. Keep the value, or recreate the type in a planned migration.'));
        }
      }
    }
    return out;
  },
};
