import { parseArgs } from 'node:util';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError, type CliIO, type Command } from '../io';
import { Analyzer, allRuleIds, allRuleMetas, ruleMeta, type Finding } from '../../core/analysis';
import { listSqlFiles } from '../../core/workspace/migrations';
import { Project } from '../../core/workspace/project';
import { findPrismaSchemaFiles, prismaMigrationFolders } from '../../core/prisma/files';
import { lintCacheFor, loadParseCache, saveParseCache } from '../lintCache';
import { detectMigrationTool } from '../../core/workspace/migrationTool';
import { ensureParser } from '../../core/sql/parse';
import { ensurePrismaParser, isPrismaPath } from '../../core/prisma/parse';
import { mark } from '../timing';

const HELP = `usage: dbe lint [PATH]... [--format text|json|sarif] [--config FILE]

Lints SQL migrations (row level security, security, performance, migration safety) and Prisma schemas
(RLS coverage of each model's table, relation indexes, ids, money types).
PATH is a file or a folder (default: the current folder); in a folder the migrations are detected
(supabase/migrations, prisma/migrations, db/migrations, migrations …) or taken from "migrationFolders",
and the Prisma schema is picked up (schema.prisma, prisma/schema.prisma, prisma/schema/*.prisma).
The folder's other .sql files (queries, seeds), and the SQL literals in its TypeScript/JavaScript files
(sql\`…\` and friends, db.query('…')), are checked against the schema the migrations build: syntax
($1, :name and \${…} placeholders accepted) and unknown tables, columns and functions, offline.
Files apply in the order given; a folder's migrations in their own order. The migration tool (Supabase CLI,
Prisma, Flyway, node-pg-migrate …) is detected, or set with "migrationTool" in .dbe.json, to know which
statements share a transaction.

options:
  --format FMT    text (default), json, or sarif (SARIF 2.1.0, for code scanning)
  --config FILE   a .dbe.json config (default: .dbe.json in the first folder PATH, else the current folder)
  --cache         keep statement parse results in .dbe-cache/ (in the first folder PATH) between runs
                  (by default they are kept in ~/.cache/database-engineer/lint/, or $DBE_CACHE/lint/)
  --no-cache      neither read nor write parse results
  --rules         list the rules and their default severities
  -h, --help      this help

exit status: 0 no error-severity findings, 1 some, 2 usage or config error
`;

declare const VERSION: string;
const version = () => (typeof VERSION !== 'undefined' ? VERSION : '0.0.0-dev');

export const lintCommand: Command = {
  summary: 'lint SQL migrations and Prisma schemas (RLS, security, performance, migration safety)',
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        config: { type: 'string' },
        rules: { type: 'boolean', default: false },
        cache: { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (values.rules) {
      for (const id of allRuleIds) {
        const m = ruleMeta(id)!;
        io.stdout(`${id.padEnd(32)} ${m.severity.padEnd(8)} ${m.summary}\n`);
      }
      return 0;
    }
    const format = values.format as string;
    if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown --format '${format}'; use text, json or sarif`);

    const paths = (positionals.length > 0 ? positionals : ['.']).map((p) => ({ given: p, abs: resolve(io.cwd, p) }));
    for (const p of paths) if (!existsSync(p.abs)) throw new UsageError(`path not found: ${p.given}`);
    const firstDir = paths.map((p) => (statSync(p.abs).isDirectory() ? p.abs : dirname(p.abs)))[0]!;

    // The config's project: --config, else .dbe.json of the first folder, else of the current one.
    const explicit = values.config ? resolve(io.cwd, values.config) : undefined;
    const configProject = new Project({ root: explicit || existsSync(resolve(firstDir, '.dbe.json')) ? firstDir : io.cwd, ...(explicit ? { configFile: explicit } : {}) });
    const refuse = (project: Project) => {
      const problem = project.problems()[0];
      if (problem) throw new UsageError(problem.kind === 'config' ? `bad config: ${problem.message}` : problem.message);
    };
    refuse(configProject);
    let config = configProject.getConfig();

    const files: string[] = [];
    // The project's other SQL files (queries, seeds): checked against the schema the migrations build.
    const others: string[] = [];
    for (const p of paths) {
      if (statSync(p.abs).isDirectory()) {
        // Each folder is a project with the config's folders, confined to it like any project's.
        const folderProject = new Project({ root: p.abs, overlay: { migrationFolders: config.migrationFolders ?? [] } });
        if (folderProject.problems().some((x) => x.kind === 'folders')) refuse(folderProject);
        files.push(...folderProject.migrations().files);
        // Prisma schemas, and the migrations Prisma Migrate keeps next to them (prisma/schema/migrations).
        const schemas = findPrismaSchemaFiles(p.abs);
        for (const dir of prismaMigrationFolders(schemas)) files.push(...listSqlFiles(dir).filter((f) => !files.includes(f)).sort());
        files.push(...schemas);
        const found = folderProject.files();
        others.push(...found.otherSql, ...found.code);
      } else {
        // A schema file alone says nothing about RLS: read the migrations Prisma keeps next to it too.
        if (p.abs.endsWith('.prisma')) for (const dir of prismaMigrationFolders([p.abs])) files.push(...listSqlFiles(dir).filter((f) => !files.includes(f)).sort());
        files.push(p.abs);
      }
    }
    const ordered = [...new Set(files)];
    // How the project's migration tool runs each file decides the transaction rules; a project-level signal
    // (supabase/, package.json, flyway.conf …) wins over each file's layout, which the rules read otherwise.
    // The first folder linted is the project whose tool counts (the config's folder may be the working one).
    if (!configProject.migrationTool().configured && statSync(paths[0]!.abs).isDirectory() && paths[0]!.abs !== configProject.root) {
      const detected = detectMigrationTool(paths[0]!.abs, {}, ordered).tool;
      const { migrationTool: _, ...rest } = config;
      config = detected !== 'psql' ? { ...rest, migrationTool: detected } : rest;
    }

    mark('files found');
    // The Prisma parser (a bundle of its own) only when there is a schema to read.
    await Promise.all([ensureParser(), ordered.some(isPrismaPath) ? ensurePrismaParser() : undefined]);
    mark('parser loaded (wasm)');
    const analyzer = new Analyzer({ config });
    analyzer.setOrder(ordered);
    const queryFiles = [...new Set(others)].filter((f) => !ordered.includes(f));
    analyzer.setQueryFiles(queryFiles);
    const cache = lintCacheFor({ cache: values.cache, noCache: values['no-cache'] }, firstDir, io);
    if (cache) loadParseCache(analyzer, cache);
    if (io.isTTY && format === 'text' && ordered.length > 50) io.stderr(`linting ${ordered.length} files…\r`);
    for (const f of [...ordered, ...queryFiles]) analyzer.setFile(f, readFileSync(f, 'utf8'));
    mark('files read and parsed');
    analyzer.model();
    mark('schema model built');
    const findings = analyzer.findings();
    mark('rules run');
    // Rewrite the cache only when something had to be parsed.
    if (cache && analyzer.parses > 0) saveParseCache(analyzer, cache, io);
    mark('cache saved');

    // Once per file, not per finding: thousands of findings share a few hundred paths.
    const relPaths = new Map<string, string>();
    const rel = (f: string) => {
      let p = relPaths.get(f);
      if (p === undefined) {
        const r = relative(io.cwd, f);
        relPaths.set(f, (p = (isAbsolute(r) ? f : r).split(sep).join('/')));
      }
      return p;
    };
    if (format === 'json') io.stdout(JSON.stringify(toJson(findings, rel), null, 2) + '\n');
    else if (format === 'sarif') io.stdout(JSON.stringify(toSarif(findings, rel), null, 2) + '\n');
    else io.stdout(toText(findings, rel, ordered.length + queryFiles.length));
    mark('output written');
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
};

function toText(findings: Finding[], rel: (f: string) => string, fileCount: number): string {
  const lines = findings.map((f) => `${rel(f.file)}:${f.range.start.line + 1}:${f.range.start.column + 1} ${f.severity} ${f.rule} ${f.message}`);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  const summary =
    findings.length === 0
      ? `No problems found in ${files}.`
      : `${findings.length} problem${findings.length === 1 ? '' : 's'} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info) in ${files}.`;
  return [...lines, ...(lines.length ? [''] : []), summary, ''].join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `{"findings":[…]}` with 1-based lines and columns (UTF-16 columns, as editors count). */
export function toJson(findings: Finding[], rel: (f: string) => string) {
  return {
    findings: findings.map((f) => ({
      file: rel(f.file),
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      line: f.range.start.line + 1,
      column: f.range.start.column + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.column + 1,
    })),
  };
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0: every rule with its docs as help, results with regions relative to the working folder. */
export function toSarif(findings: Finding[], rel: (f: string) => string) {
  const metas = allRuleMetas;
  const index = new Map(metas.map((m, i) => [m.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dbe',
            fullName: 'Database Engineer SQL linter',
            version: version(),
            rules: metas.map((m) => ({
              id: m.id,
              name: m.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: m.summary },
              fullDescription: { text: m.summary },
              help: { text: m.docs.replace(/[`*#]/g, ''), markdown: m.docs },
              defaultConfiguration: { level: SARIF_LEVEL[m.severity] },
              properties: { category: m.category, tags: [m.category] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule) ?? -1,
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: rel(f.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.column + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.column + 1,
                },
              },
            },
          ],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, i) => ({
                  id: i + 1,
                  message: { text: r.message },
                  physicalLocation: {
                    artifactLocation: { uri: rel(r.file), uriBaseId: '%SRCROOT%' },
                    region: { startLine: r.range.start.line + 1, startColumn: r.range.start.column + 1, endLine: r.range.end.line + 1, endColumn: r.range.end.column + 1 },
                  },
                })),
              }
            : {}),
        })),
      },
    ],
  };
}
