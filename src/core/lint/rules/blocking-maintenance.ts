import type { Rule } from '../rule';
import { finding } from '../rule';
import { wantedFiles } from '../flow';
import { headRange } from '../../schema/build';
import type { AstNode } from '../../sql/parse';
import type { Finding } from '../types';

const option = (n: AstNode, name: string) => (n.params ?? n.options ?? []).some((o: AstNode) => o.DefElem?.defname === name);

export const rule: Rule = {
  id: 'blocking-maintenance',
  severity: 'warning',
  category: 'migration',
  summary: 'VACUUM FULL, CLUSTER, REINDEX or REFRESH MATERIALIZED VIEW without CONCURRENTLY in a migration',
  docs: `## blocking-maintenance

**What it finds:** \`VACUUM FULL\`, \`CLUSTER\`, \`REINDEX\` without \`CONCURRENTLY\` and \`REFRESH MATERIALIZED VIEW\` without
\`CONCURRENTLY\` in a migration.

**Why it matters:** VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE; a plain REINDEX blocks writes (and
reads that would use the index); a plain REFRESH blocks every read of the view until it finishes.

**How to fix:** \`REINDEX … CONCURRENTLY\` and \`REFRESH MATERIALIZED VIEW CONCURRENTLY\` (needs a unique index on the view),
each in a migration that runs outside a transaction; for bloat, pg_repack instead of VACUUM FULL or CLUSTER.

**Peers:** squawk \`require-concurrent-reindex\`, Postgres Language Server \`banVacuumFull\`, \`requireConcurrentReindex\`,
\`requireConcurrentRefreshMatview\` and \`banBlockingRefreshMatview\`.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const { file } of wantedFiles(ctx)) {
      for (const s of file.statements) {
        const n = s.node;
        let what: string | undefined;
        if (s.kind === 'VacuumStmt' && n.is_vacuumcmd && option(n, 'full')) what = 'VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock';
        else if (s.kind === 'ClusterStmt') what = 'CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock';
        else if (s.kind === 'ReindexStmt' && !option(n, 'concurrently')) what = 'REINDEX without CONCURRENTLY blocks writes while it rebuilds';
        else if (s.kind === 'RefreshMatViewStmt' && !n.concurrent) what = 'REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every read of the view until it finishes';
        if (what) out.push(finding(rule, file.path, headRange(file, s), `${what}; use the CONCURRENTLY form (or pg_repack) outside a transaction.`));
      }
    }
    return out;
  },
};
