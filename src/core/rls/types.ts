/**
 * The RLS simulator's report: what each role reached with each command on each exposed table, proven by running it
 * on the embedded database, and the leaks that follows from it. `dbe rls --format json` prints `RlsReport` as is; the
 * contract only grows (fields are added, never renamed or dropped).
 */

export type RlsRole = string;
export type RlsCommand = 'select' | 'insert' | 'update' | 'delete';
export const RLS_COMMANDS: readonly RlsCommand[] = ['select', 'insert', 'update', 'delete'];

/**
 * What a command reached:
 * - `none`: no row (filtered out by the policies, or nothing there to reach);
 * - `own`: only rows owned by user A (the caller);
 * - `tenant`: rows of A's tenant (organisation, team …) beyond A's own, and none of user B's;
 * - `all`: user B's rows (another tenant) too, or every row of a table without owners;
 * - `denied`: the command was refused (a WITH CHECK failed, or the role lacks the privilege).
 */
export type RowsReached = 'none' | 'own' | 'tenant' | 'all' | 'denied';

/** The seeded row classes a probe aims at. */
export type RowClass = 'own' | 'team' | 'other' | 'nobody';

/** What happened to one row's probe. */
export type ProbeOutcome =
  /** SELECT saw it; a write changed it (or inserted it). */
  | 'reached'
  /** USING hid it: zero rows affected. */
  | 'hidden'
  /** A WITH CHECK (or an INSERT's missing policy) refused the row. */
  | 'rejected'
  /** No privilege on the table (GRANT missing). */
  | 'no-privilege'
  /** RLS let it through but something else stopped it (a foreign key, a unique key, a trigger). */
  | 'blocked'
  /** There was no such row to aim at. */
  | 'absent';

export interface RowProbe {
  row: RowClass;
  outcome: ProbeOutcome;
  /** Server message for rejected / no-privilege / blocked. */
  message?: string;
  /** Policies that let this row through (reached), or whose condition refused it (hidden/rejected). */
  policies?: string[];
}

export interface AccessCell {
  role: RlsRole;
  command: RlsCommand;
  rows: RowsReached;
  /** The policies that decided: those that let rows through, or (none/denied) those that refused them. */
  policies: string[];
  /** One line: why (e.g. "permissive \"a\" or \"b\", and restrictive \"c\"; WITH CHECK of \"a\" refused B's row"). */
  detail?: string;
  /** Per seeded row class. */
  probes?: RowProbe[];
}

export type LeakKind = 'cross-tenant' | 'anon-access' | 'rls-disabled' | 'user-metadata';

export interface Leak {
  role: RlsRole;
  command: RlsCommand;
  kind: LeakKind;
  /** The responsible policy's name (absent for rls-disabled). */
  policy?: string;
  /** Workspace-relative file of the policy (or of the CREATE TABLE for rls-disabled), and its 1-based line. */
  file?: string;
  line?: number;
  message: string;
  /** The rewritten policy or the migration that enables RLS. */
  fix: string;
  /** Prisma projects: the model of the table, where the leak is reported. */
  model?: { name: string; file: string; line: number };
}

export interface PolicyInfo {
  name: string;
  command: 'all' | RlsCommand;
  roles: string[];
  permissive: boolean;
  using?: string;
  withCheck?: string;
  file?: string;
  line?: number;
  /** Analyzer rules that flag this policy (e.g. policy-always-true). */
  analyzer?: string[];
  /** Per role and command, the row classes this policy let through in the simulation. */
  lets?: { role: RlsRole; command: RlsCommand; rows: RowClass[] }[];
}

export interface TableReport {
  /** schema.name */
  table: string;
  rls: boolean;
  access: AccessCell[];
  leaks: Leak[];
  /** Where user A, the tenant and the owners sit in this table. */
  ownership?: { userColumns: string[]; tenantPath?: string[]; tenantRoot?: boolean };
  policies?: PolicyInfo[];
  /** Prisma projects: the model this table maps to. */
  model?: { name: string; file: string; line: number };
  /** Set when `.dbe.json` "rls" expectations were checked. */
  expectations?: ExpectationResult[];
}

export interface ExpectationResult {
  table: string;
  role: RlsRole;
  command: RlsCommand;
  expected: RowsReached;
  actual: RowsReached | 'missing';
  ok: boolean;
  message: string;
}

export interface SeedReport {
  users: { a: string; b: string; teammate: string };
  tenants?: { table: string; a: string; b: string };
  /** Rows seeded per table, by class. */
  tables: Record<string, Partial<Record<RowClass, number>>>;
  /** What could not be seeded, and why. */
  problems: string[];
  /** Rows the schema rules out by design (an unowned row where the owner is NOT NULL). */
  notes: string[];
}

export interface RlsReport {
  tables: TableReport[];
  seeded: SeedReport;
  warnings: string[];
  /** Every `.dbe.json` "rls" expectation checked (also attached to its table). */
  expectations?: ExpectationResult[];
  /** Milliseconds spent seeding and probing (not opening the database). */
  timings?: { seedMs: number; probeMs: number };
}
