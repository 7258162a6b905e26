import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { connect } from '../../core/db/connect';
import { ConnectError } from '../../core/db/errors';
import { SUPABASE_BOOTSTRAP_SQL } from '../../core/db/supabaseBootstrap';
import { bootstrapRoles } from '../../core/rls/catalog';
import { liveSchemaSql } from '../../core/rls/liveCopy';
import { UsageError, type CliIO, type Command } from '../io';
import { openProject } from '../project';
import { parseExpectations, renderHtml, renderText, simulateRls, type RlsReport } from '../../core/rls';
import { attachModels, prismaModels } from '../../core/rls/prisma';

const HELP = `usage: dbe rls [PATH] [options]

Simulates row level security: builds the embedded database from PATH's migrations (default: .), seeds two
users (A and B) in two tenants, runs SELECT/INSERT/UPDATE/DELETE on every table of the exposed schemas as
anon, authenticated (user A), service_role and the roles the migrations create, and reports what each
reached (none / own / tenant / all / denied), the policy that decided (file:line), and the leaks with fixes.

where:
  --migrations DIR      the migration folder, inside PATH (default: .dbe.json "migrationFolders", else detected)
  --db URL              copy a live database's schema (read-only, no data) into the embedded database and
                        simulate that: postgres://user[:password]@host:port/db (password also from PGPASSWORD)
  --table NAME          only this table (schema.name, or name for public); repeatable

output:
  --format text|json|html   text (default): one matrix per table and the leaks; json: the report (docs/rls.md)
  --out FILE            write to FILE instead of stdout
  --check               exit 1 when the simulation contradicts an expectation in .dbe.json "rls"
  --cache-dir DIR       where embedded database snapshots are kept

exit codes: 0 done (and, with --check, every expectation holds), 1 an expectation failed or the simulation
could not run, 2 usage error
`;

/** `dbe rls`: the RLS simulator's matrix, leaks and expectation check. */
export const rlsCommand: Command = {
  summary: 'simulate row level security: who reads and writes what, the deciding policy, the leaks',
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true,
      options: {
        help: { type: 'boolean', short: 'h' }, migrations: { type: 'string' }, db: { type: 'string' },
        table: { type: 'string', multiple: true }, format: { type: 'string' }, out: { type: 'string', short: 'o' },
        check: { type: 'boolean' }, 'cache-dir': { type: 'string' },
      },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const format = values.format ?? 'text';
    if (!['text', 'json', 'html'].includes(format)) throw new UsageError(`--format takes text, json or html, not "${format}"`);
    if (positionals.length > 1) throw new UsageError(`give one project folder, not ${positionals.length}`);
    if (values.db !== undefined && values.migrations !== undefined) throw new UsageError('give --migrations or --db, not both');
    const root = resolve(io.cwd, positionals[0] ?? '.');
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`no such folder: ${positionals[0]}`);
    if (values.db !== undefined && !/^postgres(ql)?:\/\//.test(values.db)) {
      // Never echo the value: it may hold a password.
      throw new UsageError(`--db takes a postgres:// URL${values.db === '' ? ' (is the environment variable empty?)' : ''}`);
    }
    let folders: string[] | undefined;
    if (values.migrations !== undefined) {
      const abs = resolve(io.cwd, values.migrations);
      const rel = relative(root, abs);
      if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UsageError(`--migrations: no such folder: ${values.migrations}`);
      if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`--migrations ${values.migrations} is outside the project ${positionals[0] ?? '.'}; give the project folder as PATH`);
      folders = [rel.split('\\').join('/') || '.'];
    }

    // No database from the project: the simulator opens its own private copy of the embedded one.
    const { project } = await openProject({ root, ...(folders ? { overlay: { migrationFolders: folders } } : {}) }, io);
    const ws = await project.analysis();
    if (ws.configProblem) {
      io.stderr(`dbe rls: ${ws.configProblem}\n`);
      return 1;
    }
    let expectations;
    try {
      expectations = parseExpectations(ws.config.rls);
    } catch (err) {
      io.stderr(`dbe rls: ${(err as Error).message}\n`);
      return 1;
    }
    let simRoot = root;
    let simFolders = ws.folders;
    let scratch: string | undefined;
    if (values.db !== undefined) {
      let sql: string;
      try {
        const conn = await connect({ id: 'cli', name: 'cli', url: values.db }, { ...(io.env.PGPASSWORD ? { password: io.env.PGPASSWORD } : {}), readOnlyPolicy: 'always' });
        try {
          sql = await liveSchemaSql(conn.client, bootstrapRoles(SUPABASE_BOOTSTRAP_SQL));
        } finally {
          await conn.close();
        }
      } catch (err) {
        io.stderr(`dbe rls: ${err instanceof ConnectError ? err.message : `reading the live schema failed: ${(err as Error).message}`}\n`);
        return 1;
      }
      const tables = (sql.match(/^create table /gm) ?? []).length;
      if (tables > LIVE_TABLE_LIMIT) {
        io.stderr(`dbe rls: the live database has ${tables} tables; copying more than ${LIVE_TABLE_LIMIT} into the embedded database is too slow to be useful. Simulate its migrations instead (dbe rls PATH), or narrow the schemas with .dbe.json "exposedSchemas".\n`);
        return 1;
      }
      scratch = mkdtempSync(join(tmpdir(), 'dbe-rls-live-'));
      mkdirSync(join(scratch, 'migrations'));
      writeFileSync(join(scratch, 'migrations', LIVE_FILE), sql);
      simRoot = scratch;
      simFolders = ['migrations'];
    } else if (ws.files.length === 0) {
      io.stderr(`dbe rls: no migrations found under ${positionals[0] ?? '.'} (looked in ${ws.folders.join(', ') || 'supabase/migrations, prisma/migrations, migrations, …'}); give --migrations DIR\n`);
      return 1;
    }
    const progress = (p: { index: number; total: number; file: string }) => {
      if (io.isTTY) io.stderr(`\r\x1b[KBuilding the embedded database… ${p.index}/${p.total} ${p.file}${p.index === p.total ? '\r\x1b[K' : ''}`);
    };
    let report: RlsReport;
    try {
      ({ report } = await simulateRls({
        root: simRoot, ...(simFolders.length ? { folders: simFolders } : {}),
        exposedSchemas: ws.config.exposedSchemas, tables: values.table,
        // A live copy has no migration files: no file:line, no analyzer findings.
        ...(scratch ? {} : { model: ws.analyzer.model(), findings: ws.analyzer.findings() }),
        expectations, cacheDir: values['cache-dir'], onProgress: progress,
      }));
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }
    if (scratch) report.warnings = report.warnings.map((w) => w.replace(`migrations/${LIVE_FILE}`, 'the live schema copy'));
    else attachModels(report.tables, await prismaModels(root));

    const output = format === 'json' ? JSON.stringify(report, null, 2) + '\n' : format === 'html' ? renderHtml(report) : renderText(report);
    if (values.out !== undefined) writeFileSync(resolve(io.cwd, values.out), output);
    else io.stdout(output);
    if (format !== 'text') for (const w of report.warnings) io.stderr(`warning: ${w}\n`);
    return values.check ? checkExit(report, io) : 0;
  },
};

/** More tables than this in a live database: refused (the copy and the matrix would take minutes). */
const LIVE_TABLE_LIMIT = 300;
const LIVE_FILE = '0001_live_schema.sql';

function checkExit(report: RlsReport, io: CliIO): number {
  const results = report.expectations ?? [];
  if (results.length === 0) {
    io.stderr('dbe rls --check: .dbe.json has no "rls" expectations for these tables, so nothing was checked (e.g. "rls": {"public.notes": {"anon": "none"}})\n');
    return 0;
  }
  const failed = results.filter((e) => !e.ok);
  for (const e of failed) io.stderr(`✗ ${e.message}\n`);
  if (failed.length === 0) io.stderr(`✓ ${results.length} RLS expectation${results.length === 1 ? '' : 's'} hold\n`);
  return failed.length === 0 ? 0 : 1;
}
