/**
 * "Where did this plan run?" for the EXPLAIN panel's header: the embedded database (built from which migration
 * folders, with seed data or synthetic rows, or empty tables) or the live connection (name, provider, read-only),
 * and the role and claims it ran as. Without it, "rows 20,000" from generated data reads like production.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ConnectionsApi } from '../db/connections';
import { PROVIDER_LABELS } from '../../core/db';
import type { RunContext } from '../../core/plan/protocol';
import type { Project } from '../../core/workspace/project';

function embeddedWhere(project: Project | undefined, rows: number): string {
  if (!project) return 'Embedded database';
  const root = project.root;
  const set = project.migrations();
  const migrations = set.files.filter((f) => !f.endsWith(join('supabase', 'seed.sql')));
  const from = set.folders.length ? set.folders.join(', ') : 'the workspace\'s .sql files';
  const seed = set.folders.includes('supabase/migrations') && existsSync(join(root, 'supabase', 'seed.sql'));
  const data = [seed ? `seed data from ${relative(root, join(root, 'supabase', 'seed.sql'))}` : '', rows > 0 ? `${rows.toLocaleString('en-US')} synthetic rows per table` : '']
    .filter(Boolean).join(' and ') || 'no seed data and no synthetic rows (empty tables)';
  return `Embedded database built from ${from} (${migrations.length} migration${migrations.length === 1 ? '' : 's'}), with ${data}: sizes are not production's`;
}

/** `rows`: the synthetic rows per table the embedded database was built with (Config's embedded.syntheticRows). */
export function runContext(connections: ConnectionsApi, project: Project | undefined, rows: number, analyzed: boolean, runAs: { role?: string; claims?: Record<string, unknown> } | undefined, notes: string[]): RunContext {
  const live = connections.active();
  const who = runAs && (runAs.role || runAs.claims)
    ? [runAs.role ? `role ${runAs.role}` : '', runAs.claims ? `claims ${JSON.stringify(runAs.claims).slice(0, 160)}` : ''].filter(Boolean).join(', ')
    : null;
  return {
    source: live ? 'connection' : 'embedded',
    where: live
      ? `Connection ${live.profile.name} (${PROVIDER_LABELS[live.provider]}, ${live.display}), ${live.readOnly ? 'read-only' : 'read-write'}`
      : embeddedWhere(project, rows),
    analyzed,
    runAs: who,
    // The header says where it ran; the notes that repeat it are left out.
    notes: notes.filter((n) => !/^Embedded database built from the migrations|^Ran as role|^The statement was executed inside BEGIN … ROLLBACK, so nothing/.test(n)),
  };
}
