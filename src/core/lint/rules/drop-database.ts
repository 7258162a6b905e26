import type { Rule } from '../rule';
import { finding } from '../rule';
import { wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import type { Finding } from '../types';

export const rule: Rule = {
  id: 'drop-database',
  severity: 'error',
  category: 'migration',
  summary: 'DROP DATABASE in a migration',
  docs: `## drop-database

**What it finds:** \`DROP DATABASE\` in a migration file.

**Why it matters:** it deletes every table, row and role grant of that database at once, and it cannot run inside a
transaction, so a tool that wraps migrations fails on it anyway. A migration is never the place for it.

**How to fix:** remove it; drop databases by hand, deliberately.

**Peers:** squawk \`ban-drop-database\`, Postgres Language Server \`banDropDatabase\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file } of wantedFiles(ctx)) {
      for (const s of file.statements) {
        if (s.kind === 'DropdbStmt') out.push(finding(rule, file.path, headRange(file, s), `DROP DATABASE "${s.node.dbname}" in a migration deletes the whole database.`));
      }
    }
    return out;
  },
};
