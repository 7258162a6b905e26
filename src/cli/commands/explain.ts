import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { UsageError, type CliIO, type Command } from '../io';
import { checkDbUrl } from '../project';
import { ConnectError, ExplainError, type ExplainRequest, type ExplainResult, type MigrationIssue, type ParamValue } from '../../core/db';
import { analyzePlan, COMPARE_RUNS, planToJson, renderPlanHtml, renderPlanText, type PlanSource } from '../../core/plan';
import { compareCommand, isPlanFile, readPlanFile, type CompareSide } from '../explainCompare';
import { splitStatements as splitChunks } from '../../core/sql/split';
import { openProject, type OpenedProject } from '../project';

const HELP = `usage: dbe explain [options] "SQL"
       dbe explain [options] -f FILE.sql [--statement N]
       dbe explain --plan PLAN.json|PLAN.txt [--format …]
       dbe explain --compare BEFORE AFTER [--runs N] [options]

Explains one statement and prints its plan with insights. By default it runs on an embedded PostgreSQL
built from the migrations under the current directory (no server needed); --db runs it on a real one.

where:
  --db URL              a live database: postgres://user[:password]@host:port/db (password also from
                        PGPASSWORD). To use an environment variable, write --db "$DATABASE_URL".
  --migrations DIR      build the embedded database from DIR (a project folder, where supabase/migrations,
                        prisma/migrations, migrations/… are detected, or a folder of .sql files); default: .
  --rows N              fill every table of the embedded database with N generated rows (default 0)

what:
  --analyze             run the statement inside BEGIN … ROLLBACK (its row changes are not kept); statements
                        calling what a rollback cannot undo (nextval, advisory locks, dblink …) are refused
  --param VALUE         a value for $1, $2, … in order; repeatable
  --param NAME=VALUE    a value for :NAME (or 2=VALUE for $2); write 1='a=b' when a value holds '='
  --role ROLE           run as this role (Supabase: anon, authenticated, service_role)
  --claims JSON         JWT claims for request.jwt.claims, e.g. '{"sub":"<user uuid>"}' (auth.uid())
  --generic             the generic plan, placeholders unbound (PostgreSQL 16+)
  --timeout MS          statement timeout (default 30000)
  -f, --file FILE.sql   read the statement from a file; --statement N picks the Nth (1-based)

plans and comparisons:
  --plan FILE           show a saved plan instead of running one: EXPLAIN (FORMAT JSON) output or the text
                        psql prints; no database is used
  --compare BEFORE AFTER
                        compare two versions of a query: each is a .sql file (run with ANALYZE, one warm-up run
                        discarded, then --runs N each, interleaved; medians) or a saved plan file. The plan's
                        shape changes come first; a time difference within the runs' spread is reported as
                        "no measurable change"
  --runs N              measured runs per side for --compare (default 3)

output:
  --format text|json|html   text (default): plan tree and insights; json: the dbe-plan document
                            (docs/cli-explain.md); html: a self-contained report
  --out FILE            write to FILE instead of stdout
  --no-color            no ANSI colours in text (also NO_COLOR)
  --cache-dir DIR       where embedded database snapshots are kept

exit codes: 0 plan printed, 1 the statement or the database failed (message on stderr), 2 usage error
`;

/** A `--param` with a key: `name=v`, `:name=v`, `$2=v`, `2=v`. Anything else is the next positional value. */
const KEYED = /^([:$]?[A-Za-z_][A-Za-z0-9_]*|[$]?\d+)=([\s\S]*)$/;

/** `dbe explain`: one statement → plan text / dbe-plan JSON / HTML report, on the embedded or a live database. */
export const explainCommand: Command = {
  summary: 'explain a query (embedded database from the migrations, or --db): text, JSON or HTML',
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      // SQL that starts with a `--` comment is a statement, not an option.
      args: sqlAfterDoubleDash(args), allowPositionals: true, strict: true,
      options: {
        help: { type: 'boolean', short: 'h' }, db: { type: 'string' }, migrations: { type: 'string' },
        analyze: { type: 'boolean' }, format: { type: 'string' }, out: { type: 'string', short: 'o' },
        param: { type: 'string', multiple: true }, role: { type: 'string' }, claims: { type: 'string' },
        rows: { type: 'string' }, timeout: { type: 'string' }, file: { type: 'string', short: 'f' }, statement: { type: 'string' },
        plan: { type: 'string' }, compare: { type: 'boolean' }, runs: { type: 'string' },
        generic: { type: 'boolean' }, 'no-color': { type: 'boolean' }, 'cache-dir': { type: 'string' },
      },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const format = values.format ?? 'text';
    if (!['text', 'json', 'html'].includes(format)) throw new UsageError(`--format takes text, json or html, not "${format}"`);
    const rows = wholeNumber(values.rows, '--rows') ?? 0;
    const timeout = wholeNumber(values.timeout, '--timeout');
    if (values.db !== undefined && (values.migrations !== undefined || values.rows !== undefined)) {
      throw new UsageError('--migrations and --rows are for the embedded database; leave them out with --db');
    }
    if (values.db !== undefined) checkDbUrl(values.db);

    const runs = wholeNumber(values.runs, '--runs') ?? COMPARE_RUNS;
    if (values.runs !== undefined && !values.compare) throw new UsageError('--runs goes with --compare');
    if (runs < 1) throw new UsageError('--runs takes at least 1');
    const emit = (output: string) => {
      if (values.out !== undefined) {
        writeFileSync(resolve(io.cwd, values.out), output);
        if (io.isTTY) io.stderr(`wrote ${values.out}\n`);
      } else {
        io.stdout(output);
      }
    };
    const color = !values['no-color'] && !io.env.NO_COLOR && values.out === undefined && Boolean(io.stdoutIsTTY);

    // A saved plan: no database.
    if (values.plan !== undefined) {
      if (positionals.length || values.file !== undefined || values.compare) throw new UsageError('--plan shows one saved plan: leave out the SQL, --file and --compare');
      const plan = readPlanFile(io.cwd, values.plan);
      if (!plan.ok) { io.stderr(`dbe explain: ${plan.error}\n`); return 1; }
      const analysis = plan.analysis;
      emit(format === 'json' ? planToJson(analysis, { source: 'file' }) + '\n'
        : format === 'html' ? renderPlanHtml(analysis, { title: `EXPLAIN — ${values.plan}` })
        : renderPlanText(analysis, { color }) + `\nread from ${values.plan}\n`);
      return 0;
    }

    // Two versions to compare: the files are read now, SQL ones run once the database is open.
    let sides: [CompareSide, CompareSide] | undefined;
    if (values.compare) {
      if (positionals.length !== 2 || values.file !== undefined) throw new UsageError('--compare takes two files: BEFORE AFTER (.sql statements or saved plans)');
      sides = positionals.map((f) => (isPlanFile(f) ? { kind: 'plan', file: f } : { kind: 'sql', file: f, ...pickStatement(io.cwd, f, values.statement) })) as [CompareSide, CompareSide];
      // Two saved plans: no database to open.
      if (!sides.some((x) => x.kind === 'sql')) {
        return compareCommand({ sides, request: { query: '' }, run: () => Promise.reject(new Error('nothing to run')), runs, format, color, emit, fail: (m) => { io.stderr(`dbe explain: ${m}\n`); return 1; }, cwd: io.cwd });
      }
    }

    // The statement: the positional SQL, or one statement of --file.
    let query: string;
    let where: { file: string; line: number; column: number } | undefined;
    if (sides) {
      query = sides.find((x) => x.kind === 'sql')?.text ?? '';
    } else if (values.file !== undefined) {
      if (positionals.length) throw new UsageError('give the SQL as an argument or with --file, not both');
      const picked = pickStatement(io.cwd, values.file, values.statement);
      query = picked.text;
      where = picked.where;
    } else {
      if (values.statement !== undefined) throw new UsageError('--statement goes with --file');
      query = positionals.join(' ').trim();
      if (!query) throw new UsageError(`explain needs a SQL statement\n\n${HELP}`);
    }

    let claims: Record<string, unknown> | undefined;
    if (values.claims !== undefined) {
      try {
        claims = JSON.parse(values.claims) as Record<string, unknown>;
      } catch (err) {
        throw new UsageError(`--claims takes a JSON object: ${(err as Error).message}`);
      }
      if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new UsageError('--claims takes a JSON object, e.g. \'{"sub":"…"}\'');
    }
    const params = parseParams(values.param ?? []);
    const request: ExplainRequest = {
      query, analyze: values.analyze, genericPlan: values.generic, params, byUser: true,
      runAs: values.role || claims ? { role: values.role, claims } : undefined,
      ...(timeout !== undefined ? { statementTimeoutMs: timeout } : {}),
    };

    // Where it runs.
    const fail = (message: string) => { io.stderr(`dbe explain: ${message}\n`); return 1; };
    let shown = false;
    const progress = (p: { index: number; total: number; file: string }) => {
      if (!io.isTTY) return;
      shown = true;
      io.stderr(`\r\x1b[KBuilding the embedded database from ${p.total} migration file${p.total === 1 ? '' : 's'}… ${p.index}/${p.total} ${p.file}`);
    };
    // One project: its database is the live one (--db) or the embedded one built from its migration folders, the
    // same folders the analyzer reads; the embedded one runs in a worker thread, so the statement timeout holds.
    let opened: OpenedProject;
    try {
      opened = await openProject(values.db !== undefined
        ? { db: values.db, connect: { readOnlyPolicy: 'never' } }
        : { root: resolve(io.cwd, values.migrations ?? '.'), embedded: { rows, evenWithoutMigrations: true, ...(values['cache-dir'] ? { cacheDir: values['cache-dir'] } : {}) } }, io);
    } catch (err) {
      if (err instanceof ConnectError) return fail(err.message);
      throw err;
    }
    const { project } = opened;
    const issues = (): MigrationIssue[] => project.embeddedIssues();
    const close = () => opened.close();
    const run = async (req: ExplainRequest): Promise<ExplainResult> => {
      const db = await project.database();
      if (!db) throw new Error('no database to explain on');
      return db.explain(req, progress).finally(() => { if (shown) io.stderr('\r\x1b[K'); });
    };

    if (sides) {
      try {
        return await compareCommand({ sides, request, run, runs, format, color, emit, fail, cwd: io.cwd });
      } finally {
        await close();
      }
    }

    let result: ExplainResult;
    try {
      result = await run(request);
    } catch (err) {
      // A missing table or function on the embedded database is often a migration it could not apply.
      const broken = issues();
      const hint = broken.length && (!(err instanceof ExplainError) || err.kind === 'server') ? `\n${migrationSummary(broken)}` : '';
      if (err instanceof ExplainError) {
        if (err.kind === 'syntax' && where && err.details.line) {
          const line = where.line + err.details.line - 1;
          const column = err.details.line === 1 ? where.column + (err.details.column ?? 1) - 1 : err.details.column ?? 1;
          return fail(`${where.file}:${line}:${column}: syntax error: ${err.details.reason ?? err.message}`);
        }
        if (err.kind === 'missing-params') return fail(`${err.message.replace(/ Give a value for every placeholder\.$/, '')} Give them with --param VALUE ($1, $2, … in order) or --param NAME=VALUE.`);
        return fail(err.message + hint);
      }
      if (err instanceof ConnectError) return fail(err.message);
      return fail((err as Error).message + hint);
    } finally {
      await close();
    }

    const broken = issues();
    if (broken.length) io.stderr(`warning: ${migrationSummary(broken)}\n`);
    const analysis = analyzePlan(result.plan, { query: result.query });
    const source: PlanSource = result.database === 'live' ? 'connection' : 'embedded';
    let output: string;
    if (format === 'json') output = planToJson(analysis, { source }) + '\n';
    else if (format === 'html') output = renderPlanHtml(analysis, { title: `EXPLAIN${result.analyzed ? ' ANALYZE' : ''} — ${firstLine(result.query)}` });
    else {
      output = renderPlanText(analysis, { color });
      const db = result.database === 'live' ? 'live database' : 'embedded database';
      output += `\n${result.notes.map((n) => `note: ${n}\n`).join('')}ran on the ${db}${result.analyzed ? ' with ANALYZE' : ''}\n`;
    }
    if (format !== 'text' && io.isTTY) for (const n of result.notes) io.stderr(`note: ${n}\n`);
    emit(output);
    return 0;
  },
};

function wholeNumber(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`${flag} takes a whole number, not "${v}"`);
  return n;
}

/** Keeps SQL arguments that begin with a comment (`-- …\nselect …`) from being read as options. */
function sqlAfterDoubleDash(args: string[]): string[] {
  const opts: string[] = [];
  const sql: string[] = [];
  for (const a of args) {
    if (a.startsWith('--') && /\s/.test(a)) sql.push(a);
    else opts.push(a);
  }
  return sql.length ? [...opts.filter((a) => a !== '--'), '--', ...sql] : opts;
}

/** Positional values fill $1, $2, … in order; keyed ones name their placeholder. */
export function parseParams(list: string[]): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  let next = 1;
  for (const p of list) {
    const m = KEYED.exec(p);
    if (m) params[m[1]!.replace(/^[$:]/, '')] = m[2]!;
    else {
      while (Object.prototype.hasOwnProperty.call(params, String(next))) next++;
      params[String(next++)] = p;
    }
  }
  return params;
}

/** The statement `n` (1-based) of a SQL file, with where it starts (for error positions). */
export function pickStatement(cwd: string, file: string, n: string | undefined): { text: string; where: { file: string; line: number; column: number } } {
  const path = resolve(cwd, file);
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const { clean, chunks } = splitChunks(source);
  if (chunks.length === 0) throw new UsageError(`${file} holds no SQL statement`);
  let index = 1;
  if (n !== undefined) {
    index = Number(n);
    if (!Number.isInteger(index) || index < 1 || index > chunks.length) {
      throw new UsageError(`--statement takes 1…${chunks.length} (${file} holds ${chunks.length} statement${chunks.length === 1 ? '' : 's'}), not "${n}"`);
    }
  } else if (chunks.length > 1) {
    throw new UsageError(`${file} holds ${chunks.length} statements; pick one with --statement N (1…${chunks.length})`);
  }
  const chunk = chunks[index - 1]!;
  const before = source.slice(0, chunk.start);
  const line = before.split('\n').length;
  const column = Array.from(before.slice(before.lastIndexOf('\n') + 1)).length + 1;
  return { text: clean.slice(chunk.start, chunk.end), where: { file: relative(cwd, path) || file, line, column } };
}

function migrationSummary(issues: MigrationIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `  ${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}`).join('\n');
  const more = issues.length > 5 ? `\n  … and ${issues.length - 5} more (dbe db build lists them all)` : '';
  return `the embedded database could not apply ${issues.length} migration statement${issues.length === 1 ? '' : 's'}; objects they create are missing there:\n${shown}${more}`;
}

function firstLine(sql: string): string {
  const line = sql.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
