/**
 * The RLS simulator: on a private copy of the embedded database (built from the migrations, Supabase roles and
 * `auth` functions present), seed synthetic tenants, run every command as every role on every exposed table, and
 * report who reached what, which policy decided, and the leaks — with file:line from the migrations.
 *
 * ```ts
 * const { report } = await simulateRls({ root, folders, exposedSchemas, model, findings, expectations });
 * ```
 * `simulateOn(db, …)` runs on a PGlite the caller opened (it empties and seeds the exposed tables: never pass a
 * database anyone else uses).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEmbedded, type EmbeddedBuildOptions, type MigrationIssue } from '../db/embedded';
import type { PGlite } from '../db/pgliteRuntime';
import { SUPABASE_BOOTSTRAP_SQL } from '../db/supabaseBootstrap';
import type { Finding } from '../findings/types';
import type { SchemaModel } from '../schema/model';
import { displayPath } from '../workspace/migrations';
import { bootstrapRoles, createdRoles, readCatalog } from './catalog';
import { checkExpectations, type Expectation } from './expectations';
import { findLeaks } from './leaks';
import { probeTable, type RoleSpec } from './probe';
import { analyzeOwnership, seedWorld, USER_A } from './world';
import type { PolicyInfo, RlsCommand, RlsReport, TableReport } from './types';

export interface SimulateOptions {
  /** Project root: file paths in the report are relative to it. */
  root: string;
  /** Schemas reachable through the API; `public` by default. Supabase's `[api] schemas` are added. */
  exposedSchemas?: string[];
  /** Only these tables (`schema.name` or `name` for public). */
  tables?: string[];
  /** The schema model of the migrations (the analyzer's): policy and table file:line. */
  model?: SchemaModel;
  /** The analyzer's findings: policies they flag are tagged (`analyzer`). */
  findings?: Finding[];
  expectations?: Expectation[];
}

export interface SimulateResult {
  report: RlsReport;
  /** Migration statements the embedded database could not apply. */
  issues: MigrationIssue[];
}

/** A table as `--table` or `tables` name it (`name` means `public.name`), as reports key it. */
export const tableKey = (table: string): string => (table.includes('.') ? table : `public.${table}`);

/** A whole report narrowed to some tables (and their expectations), as if only those had been simulated. */
export function narrowReport(report: RlsReport, tables: string[]): RlsReport {
  const wanted = new Set(tables.map(tableKey));
  const missing = [...wanted].filter((w) => !report.tables.some((t) => t.table === w));
  return {
    ...report,
    tables: report.tables.filter((t) => wanted.has(t.table)),
    warnings: [...report.warnings, ...missing.map((w) => `--table ${w}: no such table in the exposed schemas`)],
    ...(report.expectations ? { expectations: report.expectations.filter((e) => wanted.has(e.table)) } : {}),
  };
}

/** Opens a fresh in-memory copy of the embedded database (from the snapshot cache, else built) and simulates. */
export async function simulateRls(options: SimulateOptions & Pick<EmbeddedBuildOptions, 'folders' | 'cacheDir' | 'onProgress' | 'log'>): Promise<SimulateResult> {
  const embedded = await openEmbedded({ root: options.root, folders: options.folders, cacheDir: options.cacheDir, onProgress: options.onProgress, log: options.log });
  try {
    const report = await simulateOn(embedded.db, options);
    for (const i of embedded.issues) report.warnings.push(`${i.file}${i.line ? `:${i.line}` : ''}: the embedded database could not apply this statement (${i.message}); what it creates is missing from the simulation`);
    return { report, issues: embedded.issues };
  } finally {
    await embedded.close();
  }
}

/** Simulates on an open database it may change (see the file comment). */
export async function simulateOn(db: PGlite, options: SimulateOptions): Promise<RlsReport> {
  const warnings: string[] = [];
  const schemas = [...new Set([...(options.exposedSchemas ?? ['public']), ...supabaseApiSchemas(options.root)])];
  const known = bootstrapRoles(SUPABASE_BOOTSTRAP_SQL);
  const existing = new Set((await db.query<{ r: string }>(`select rolname::text as r from pg_roles`)).rows.map((x) => x.r));
  const roles: RoleSpec[] = [
    { name: 'anon', claims: { role: 'anon', aud: 'anon' }, identity: false },
    { name: 'authenticated', claims: { sub: USER_A, role: 'authenticated', aud: 'authenticated', email: 'a@example.test', app_metadata: { provider: 'email' }, user_metadata: {} }, identity: true },
    { name: 'service_role', claims: { role: 'service_role' }, identity: false },
    ...(await createdRoles(db, known)).map((name) => ({ name, claims: { role: name }, identity: false })),
  ].filter((r) => existing.has(r.name));
  if (roles.length < 3) warnings.push(`Supabase roles missing from the database (found ${roles.map((r) => r.name).join(', ') || 'none'}): only those were simulated.`);

  const started = Date.now();
  const cat = await readCatalog(db, schemas, roles.map((r) => r.name));
  const ownership = analyzeOwnership(cat);
  const world = await seedWorld(db, cat, ownership);
  const seedMs = Date.now() - started;

  let targets = cat.exposed;
  if (options.tables?.length) {
    const wanted = options.tables.map(tableKey);
    for (const w of wanted) if (!cat.exposed.some((t) => t.key === w)) warnings.push(`--table ${w}: no such table in the exposed schemas (${schemas.join(', ')})`);
    targets = targets.filter((t) => wanted.includes(t.key));
  }
  const policyAt = (table: string, name: string) => {
    const p = options.model?.policies.get(table)?.find((x) => x.name === name);
    const o = p ? p.changedIn ?? p.origin : undefined;
    return o ? { file: displayPath(options.root, o.file), line: o.range.start.line + 1 } : undefined;
  };
  const flagged = (file: string, line: number) => (options.findings ?? [])
    .filter((f) => displayPath(options.root, f.file) === file && f.range.start.line + 1 === line).map((f) => f.rule);

  const tables: TableReport[] = [];
  for (const table of targets) {
    const probe = await probeTable(db, cat, world, table, roles);
    const o = ownership.get(table.oid)!;
    const origin = options.model?.tables.get(table.key)?.origin;
    const tableAt = origin ? { file: displayPath(options.root, origin.file), line: origin.range.start.line + 1 } : undefined;
    const leaks = findLeaks({ cat, table, ownership, probe, policyAt: (n) => policyAt(table.key, n), ...(tableAt ? { tableAt } : {}) });
    const policies: PolicyInfo[] = [];
    cat.policies.forEach((p, i) => {
      if (p.table !== table.oid) return;
      const where = policyAt(table.key, p.name);
      const rules = where ? flagged(where.file, where.line) : [];
      const lets = [...(probe.lets.get(i) ?? new Map()).entries()].map(([k, rows]) => {
        const [role, command] = k.split('\0') as [string, RlsCommand];
        return { role, command, rows: [...rows] };
      });
      policies.push({
        name: p.name, command: p.command, roles: p.roles, permissive: p.permissive,
        ...(p.using ? { using: p.using } : {}), ...(p.withCheck ? { withCheck: p.withCheck } : {}),
        ...(where ?? {}), ...(rules.length ? { analyzer: rules } : {}), lets,
      });
    });
    tables.push({
      table: table.key, rls: table.rls, access: probe.cells, leaks,
      ownership: { userColumns: o.userColumns, ...(o.tenantPath ? { tenantPath: o.tenantPath } : {}), ...(o.tenantRoot ? { tenantRoot: true } : {}) },
      policies,
    });
  }
  // With --table, only the expectations of the tables simulated.
  const expectations = (options.expectations ?? []).filter((e) => !options.tables?.length || targets.some((t) => t.key === e.table));
  const results = expectations.length ? checkExpectations(expectations, tables) : undefined;
  const views = (await db.query<{ v: string }>(`select n.nspname || '.' || c.relname as v from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('v', 'm') and n.nspname = any($1::text[]) order by 1`, [schemas])).rows;
  if (views.length) warnings.push(`Views are not simulated (${views.map((v) => v.v).join(', ')}): a view without security_invoker reads its tables with its owner's rights.`);
  return { tables, seeded: world.report, warnings, ...(results ? { expectations: results } : {}), timings: { seedMs, probeMs: Date.now() - started - seedMs } };
}

/** `[api] schemas = [...]` of supabase/config.toml (the schemas PostgREST serves). */
export function supabaseApiSchemas(root: string): string[] {
  const file = join(root, 'supabase', 'config.toml');
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const api = /^\[api\][^\n]*\n([\s\S]*?)(?=^\[|$(?![\s\S]))/m.exec(text)?.[1] ?? '';
  const list = /^\s*schemas\s*=\s*\[([^\]]*)\]/m.exec(api)?.[1] ?? '';
  return [...list.matchAll(/"([^"]+)"|'([^']+)'/g)].map((m) => m[1] ?? m[2]!);
}
