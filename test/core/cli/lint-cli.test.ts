import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../support/build';

const REPO = join(__dirname, '../../..');
const CLI = join(REPO, 'dist/cli.js');


before(() => {
  ensureBuilt(); // the real bundle, as users run it (the wasm must sit beside it)
  assert.ok(existsSync(join(REPO, 'dist/libpg-query.wasm')));
});

const dbe = (args: string[], cwd = REPO) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

test('text output: compiler-style lines with relative paths, a summary, exit 1 on errors', () => {
  const r = dbe(['lint', 'examples/supabase-app']);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.includes('examples/supabase-app/supabase/migrations/20240106000000_comments.sql:1:14 error rls-disabled Table public.comments (renamed to document_comments in 20240115000000_cleanup.sql) is exposed through the API (schema "public") but row level security is never enabled: anyone with the anon key can read and write it.'));
  assert.match(lines[lines.length - 1]!, /^41 problems \(5 errors, 26 warnings, 10 info\) in 20 files\.$/);
  for (const l of lines.slice(0, -2)) assert.match(l, /^examples\/supabase-app\/supabase\/migrations\/\d{14}_\w+\.sql:\d+:\d+ (error|warning|info) [a-z-]+ .+$/);
});

test('json output has exactly the documented shape with 1-based positions', () => {
  const r = dbe(['lint', '--format', 'json', 'examples/supabase-app']);
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['findings']);
  assert.equal(out.findings.length, 41);
  for (const f of out.findings) {
    assert.deepEqual(Object.keys(f), ['file', 'rule', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn']);
    assert.ok(f.line >= 1 && f.column >= 1 && f.endLine >= f.line);
  }
  const auth = out.findings.find((f: { rule: string }) => f.rule === 'auth-function-per-row');
  assert.deepEqual(
    { file: auth.file, line: auth.line, column: auth.column, endLine: auth.endLine, endColumn: auth.endColumn },
    { file: 'examples/supabase-app/supabase/migrations/20240101000100_profiles.sql', line: 20, column: 10, endLine: 20, endColumn: 20 },
  );
});

test('sarif output is SARIF 2.1.0 with rule help and result regions', () => {
  const r = dbe(['lint', '--format', 'sarif'], join(REPO, 'examples/supabase-app'));
  assert.equal(r.status, 1);
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'dbe');
  const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'rls-disabled');
  assert.match(rule.help.markdown, /ENABLE ROW LEVEL SECURITY/);
  assert.equal(rule.defaultConfiguration.level, 'error');
  assert.equal(run.results.length, 41);
  const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'rls-disabled');
  assert.equal(res.level, 'error');
  assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'rls-disabled');
  assert.deepEqual(res.locations[0].physicalLocation.artifactLocation, { uri: 'supabase/migrations/20240106000000_comments.sql', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 1, startColumn: 14, endLine: 1, endColumn: 29 });
  assert.ok(run.results.some((x: { level: string }) => x.level === 'note'));
});

test('exit codes: 0 without errors, 2 for a missing path, a bad flag or a bad config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-cli-'));
  mkdirSync(join(dir, 'migrations'));
  writeFileSync(join(dir, 'migrations/001_init.sql'), 'create table t (id bigint primary key);\nalter table t enable row level security;\ncreate policy p on t for select to authenticated using (true);\n');
  const ok = dbe(['lint'], dir);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /No problems found in 1 file\./);

  const missing = dbe(['lint', 'no/such/dir'], dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /dbe lint: path not found: no\/such\/dir/);

  assert.equal(dbe(['lint', '--format', 'xml'], dir).status, 2);
  assert.equal(dbe(['lint', '--bogus'], dir).status, 2);

  writeFileSync(join(dir, '.dbe.json'), '{"rules": {"no-such-rule": "off"}}');
  const bad = dbe(['lint'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad config: .*\.dbe\.json: unknown rule "no-such-rule"/);

  writeFileSync(join(dir, 'strict.json'), '{"rules": {"rls-without-policy": "error"}}');
  writeFileSync(join(dir, '.dbe.json'), '{}');
  writeFileSync(join(dir, 'migrations/002_more.sql'), 'create table u (id bigint primary key);\nalter table u enable row level security;\n');
  assert.equal(dbe(['lint'], dir).status, 0);
  const strict = dbe(['lint', '--config', 'strict.json', '--format', 'json'], dir);
  assert.equal(strict.status, 1);
  assert.deepEqual(JSON.parse(strict.stdout).findings.map((f: { rule: string; severity: string; file: string }) => [f.rule, f.severity, f.file]), [['rls-without-policy', 'error', 'migrations/002_more.sql']]);
});

test('a single file can be linted on its own', () => {
  const r = dbe(['lint', '--format', 'json', 'examples/prisma-app/prisma/migrations/20240301120000_init/migration.sql']);
  assert.equal(r.status, 1);
  const rules = JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule).sort();
  assert.deepEqual(rules, ['prefer-identity', 'rls-disabled', 'rls-without-policy', 'unindexed-foreign-key']);
});

test('--cache stores statement parses in .dbe-cache and gives the same findings from them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-cli-cache-'));
  mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
  writeFileSync(join(dir, 'supabase/migrations/001_a.sql'), 'create table a (id int);\ncreate index on a (id);\n');
  writeFileSync(join(dir, 'supabase/migrations/002_b.sql'), 'alter table a add column n text not null;\n');
  const first = dbe(['lint', '--cache', '--format', 'json'], dir);
  const cache = join(dir, '.dbe-cache/lint-parses-pg18-v1.json');
  assert.ok(existsSync(cache));
  const entries = JSON.parse(readFileSync(cache, 'utf8'));
  assert.equal(entries.length, 3);
  const second = dbe(['lint', '--cache', '--format', 'json'], dir);
  assert.equal(second.stdout, first.stdout);
  assert.ok(JSON.parse(second.stdout).findings.some((f: { rule: string }) => f.rule === 'adding-required-column'));
  // A corrupt cache is ignored, not fatal.
  writeFileSync(cache, '{not json');
  assert.equal(dbe(['lint', '--cache', '--format', 'json'], dir).stdout, first.stdout);
});

test('a project root: query files outside the migrations are checked against the schema the migrations build, offline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-cli-queries-'));
  mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
  mkdirSync(join(dir, 'queries'));
  writeFileSync(join(dir, 'supabase/migrations/20240101000000_init.sql'),
    'create table public.documents (id bigint primary key, owner_id uuid not null, title text);\nalter table public.documents enable row level security;\ncreate policy p on public.documents for select to authenticated using ((select auth.uid()) = owner_id);\n');
  writeFileSync(join(dir, 'supabase/migrations/20240102000000_rename.sql'), 'alter table public.documents rename column title to heading;\n');
  writeFileSync(join(dir, 'queries/report.sql'), 'select id, title\nfrom public.documents\nwhere owner_id = :owner and id > $1;\n\nselec * from documents;\n');
  writeFileSync(join(dir, 'queries/ok.sql'), 'select d.id, d.heading from documents d where d.owner_id = :owner order by heading;\n');
  const r = dbe(['lint', '--format', 'json', '.'], dir);
  const out = JSON.parse(r.stdout) as { findings: { file: string; rule: string; message: string; line: number; column: number }[] };
  const inQueries = out.findings.filter((f) => f.file.startsWith('queries/')).map((f) => [f.file, f.rule, f.line, f.column, f.message]);
  assert.deepEqual(inQueries, [
    ['queries/report.sql', 'unknown-reference', 1, 12, 'Column "title" does not exist in "documents".'],
    ['queries/report.sql', 'syntax-error', 5, 1, 'syntax error at or near "selec"'],
  ]);
  assert.equal(r.status, 1, 'both are errors');
  const text = dbe(['lint', '.'], dir).stdout;
  assert.match(text, /^queries\/report\.sql:1:12 error unknown-reference Column "title" does not exist/m);
  assert.match(text, /in 4 files\.\n$/);
  const sarif = JSON.parse(dbe(['lint', '--format', 'sarif', '.'], dir).stdout);
  assert.ok(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'unknown-reference'));
});

test('a project root: SQL literals in TypeScript/JavaScript files are checked too, at their .ts positions; node_modules and dist are not read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-cli-code-'));
  for (const d of ['supabase/migrations', 'src', 'node_modules/pkg', 'dist']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'supabase/migrations/20240101000000_init.sql'),
    'create table public.documents (id bigint primary key, owner_id uuid not null, heading text);\nalter table public.documents enable row level security;\ncreate policy p on public.documents for select to authenticated using ((select auth.uid()) = owner_id);\n');
  writeFileSync(join(dir, 'src/repo.ts'), [
    "import { sql } from './db';",
    'export async function titles(ownerId: string) {',
    '  return sql`select id, headng',
    '    from documents where owner_id = ${ownerId} and auth.uid() is not null`;',
    '}',
    "export const mine = () => pool.query('select * from documents where id = gen_random_uuid()');",
  ].join('\n'));
  const broken = "db.query('select nope from documents')";
  writeFileSync(join(dir, 'node_modules/pkg/index.js'), broken);
  writeFileSync(join(dir, 'dist/out.js'), broken);
  const r = dbe(['lint', '--format', 'json', '.'], dir);
  const out = JSON.parse(r.stdout) as { findings: { file: string; rule: string; message: string; line: number; column: number; endColumn: number }[] };
  assert.deepEqual(out.findings.filter((f) => !f.file.startsWith('supabase/')).map((f) => [f.file, f.rule, f.line, f.column, f.endColumn, f.message]), [
    ['src/repo.ts', 'unknown-reference', 3, 25, 31, 'Column "headng" does not exist in "documents"; did you mean "heading"?'],
  ]);
  assert.equal(r.status, 1);
  assert.match(dbe(['lint', '.'], dir).stdout, /^src\/repo\.ts:3:25 error unknown-reference Column "headng"/m);
  const sarif = JSON.parse(dbe(['lint', '--format', 'sarif', '.'], dir).stdout);
  const hit = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'unknown-reference');
  assert.equal(hit.locations[0].physicalLocation.artifactLocation.uri, 'src/repo.ts');
});
