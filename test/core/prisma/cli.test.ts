import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../support/build';

const repoRoot = join(__dirname, '..', '..', '..');
const cli = join(repoRoot, 'dist', 'cli.js');
const example = join(repoRoot, 'examples', 'prisma-supabase-app');


before(() => {
  ensureBuilt();
});

const dbe = (args: string[], cwd = repoRoot) => spawnSync('node', [cli, 'lint', ...args], { cwd, encoding: 'utf8' });

/** What each Prisma rule reports on the example: file:line:column rule. */
const EXPECTED = [
  'examples/prisma-supabase-app/prisma/schema.prisma:22:13 prisma-datetime-without-timezone',
  'examples/prisma-supabase-app/prisma/schema.prisma:27:7 prisma-rls-missing',
  'examples/prisma-supabase-app/prisma/schema.prisma:28:13 prisma-int-id',
  'examples/prisma-supabase-app/prisma/schema.prisma:32:3 prisma-unindexed-relation',
  'examples/prisma-supabase-app/prisma/schema.prisma:33:71 prisma-cascade-delete-unindexed',
  'examples/prisma-supabase-app/prisma/schema.prisma:35:3 prisma-implicit-many-to-many',
  'examples/prisma-supabase-app/prisma/schema.prisma:35:3 prisma-rls-missing',
  'examples/prisma-supabase-app/prisma/schema.prisma:36:13 prisma-datetime-without-timezone',
  'examples/prisma-supabase-app/prisma/schema.prisma:40:12 prisma-int-id',
  'examples/prisma-supabase-app/prisma/schema.prisma:53:16 prisma-int-id',
  'examples/prisma-supabase-app/prisma/schema.prisma:57:16 prisma-float-money',
  'examples/prisma-supabase-app/prisma/schema.prisma:61:16 prisma-datetime-without-timezone',
  'examples/prisma-supabase-app/prisma/schema.prisma:68:9 prisma-int-id',
  'examples/prisma-supabase-app/prisma/schema.prisma:75:7 prisma-missing-id',
  'examples/prisma-supabase-app/prisma/schema.prisma:78:14 prisma-datetime-without-timezone',
];

test('dbe lint examples/prisma-supabase-app (text): every Prisma rule fires exactly where the example says; SQL rules too', () => {
  const r = dbe(['examples/prisma-supabase-app']);
  const prisma = r.stdout.split('\n').filter((l) => l.includes(' prisma-')).map((l) => l.replace(/^(\S+) \w+ (\S+) .*$/, '$1 $2'));
  assert.deepEqual(prisma, EXPECTED, r.stdout);
  // Prisma wrote the init migration from schema.prisma: what only schema.prisma can fix is reported there, and
  // the generated file stays quiet (no rls-disabled, unindexed-foreign-key, prefer-timestamptz, serial ids …).
  assert.doesNotMatch(r.stdout, /20250101000000_init\/migration\.sql/);
  assert.doesNotMatch(r.stdout, /prisma-float-money.*estimatedTax|prisma-rls-missing Model (User|Comment|Order|Tag)\b/);
  assert.match(r.stdout, /in 3 files\.\n$/);
  assert.equal(r.status, 1, 'prisma-rls-missing is an error, as rls-disabled is');
});

test('dbe lint prisma/ from inside the project: same Prisma findings, JSON', () => {
  const r = dbe(['prisma/', '--format', 'json'], example);
  const out = JSON.parse(r.stdout) as { findings: { file: string; rule: string; line: number; column: number; severity: string }[] };
  const prisma = out.findings.filter((f) => f.rule.startsWith('prisma-')).map((f) => `examples/prisma-supabase-app/${f.file}:${f.line}:${f.column} ${f.rule}`);
  assert.deepEqual(prisma, EXPECTED);
  assert.ok(out.findings.every((f) => f.severity));
});

test('SARIF lists the Prisma rules and reports their results with UTF-16 regions', () => {
  const r = dbe(['examples/prisma-supabase-app', '--format', 'sarif']);
  const sarif = JSON.parse(r.stdout);
  const run = sarif.runs[0];
  const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
  for (const id of ['prisma-rls-missing', 'prisma-unindexed-relation', 'prisma-cascade-delete-unindexed', 'prisma-missing-id', 'prisma-float-money', 'prisma-datetime-without-timezone', 'prisma-int-id', 'prisma-parse-error']) assert.ok(ids.includes(id), id);
  const res = run.results.filter((x: { ruleId: string }) => x.ruleId.startsWith('prisma-'));
  assert.equal(res.length, EXPECTED.length);
  for (const x of res) assert.equal(run.tool.driver.rules[x.ruleIndex].id, x.ruleId);
  const rls = res.find((x: { ruleId: string }) => x.ruleId === 'prisma-rls-missing');
  assert.deepEqual(rls.locations[0].physicalLocation.region, { startLine: 27, startColumn: 7, endLine: 27, endColumn: 11 });
  assert.equal(rls.locations[0].physicalLocation.artifactLocation.uri, 'examples/prisma-supabase-app/prisma/schema.prisma');
});

test('exit codes: 0 when only warnings remain, 2 for a config naming an unknown prisma rule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-prisma-'));
  cpSync(example, dir, { recursive: true });
  const ok = dbe(['.', '--format', 'json', '--config', join(dir, 'cfg.json')], dir);
  assert.equal(ok.status, 2);
  assert.match(ok.stderr, /config file not found/);
  writeFileSync(join(dir, '.dbe.json'), JSON.stringify({ rules: { 'rls-disabled': 'warning', 'prisma-rls-missing': 'warning', 'prisma-missing-id': 'off' } }));
  const warn = dbe(['.', '--format', 'json'], dir);
  assert.equal(warn.status, 0, warn.stderr);
  assert.ok(!JSON.parse(warn.stdout).findings.some((f: { rule: string }) => f.rule === 'prisma-missing-id'));
  writeFileSync(join(dir, '.dbe.json'), JSON.stringify({ rules: { 'prisma-rls': 'off' } }));
  const bad = dbe(['.'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown rule "prisma-rls".*"prisma-rls-missing"/);
});

test('dbe lint --rules lists the Prisma rules', () => {
  const r = spawnSync('node', [cli, 'lint', '--rules'], { encoding: 'utf8' });
  assert.match(r.stdout, /^prisma-rls-missing\s+error\s+A Prisma model's table has no row level security/m);
  assert.match(r.stdout, /^prisma-unindexed-relation\s+warning/m);
});

test('dbe lint prisma/schema.prisma reads the migrations next to it, so RLS coverage is judged the same', () => {
  const r = dbe(['prisma/schema.prisma', '--format', 'json'], example);
  const out = JSON.parse(r.stdout) as { findings: { file: string; rule: string; line: number; column: number }[] };
  const prisma = out.findings.filter((f) => f.rule.startsWith('prisma-')).map((f) => `examples/prisma-supabase-app/${f.file}:${f.line}:${f.column} ${f.rule}`);
  assert.deepEqual(prisma, EXPECTED);
});
