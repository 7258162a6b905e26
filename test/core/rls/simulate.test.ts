// The RLS simulator on the example Supabase project (through `dbe rls`, in-process) and on a small hand-made project:
// real embedded PostgreSQL (PGlite) built from the migrations, real policies, real probes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { main } from '../../../src/cli/main';
import { startPostgres } from '../support/postgres';
import { Analyzer } from '../../../src/core/analysis';
import { findMigrationFiles, displayPath } from '../../../src/core/workspace/migrations';
import { parseExpectations, renderHtml, simulateRls, type RlsReport, type TableReport } from '../../../src/core/rls';
import { runTool, checkRls } from '../../../src/core/tools';
import { createChatClient } from '../../../src/core/chat/client';
import { runAgentTurn } from '../../../src/core/chat/agentTurn';
import { Project } from '../../../src/core/workspace/project';
import { startFakeAnthropic, reply } from '../../support/fake-anthropic';
import { makeAgent } from '../../support/hand-made-agents';

const repo = join(__dirname, '../../..');
const example = join(repo, 'examples', 'supabase-app');
let xdg: string;
let cache: string;
let scratch: string;
let report: RlsReport;

async function dbe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { cwd: repo, env: {}, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false });
  return { code, stdout, stderr };
}

const table = (name: string): TableReport => {
  const t = report.tables.find((x) => x.table === name);
  assert.ok(t, `${name} in the report (${report.tables.map((x) => x.table).join(', ')})`);
  return t;
};
const cell = (t: TableReport, role: string, command: string) => t.access.find((c) => c.role === role && c.command === command)!;

before(async () => {
  // The agent tool uses the default snapshot cache: point it (XDG_CACHE_HOME) at the one the CLI runs use.
  xdg = mkdtempSync(join(tmpdir(), 'dbe-rls-cache-'));
  cache = join(xdg, 'database-engineer', 'embedded');
  process.env.XDG_CACHE_HOME = xdg;
  scratch = mkdtempSync(join(tmpdir(), 'dbe-rls-'));
  const r = await dbe(['rls', example, '--format', 'json', '--cache-dir', cache]);
  assert.equal(r.code, 0, r.stderr);
  report = JSON.parse(r.stdout) as RlsReport;
});
after(() => {
  rmSync(xdg, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

test('dbe rls --format json: the documented shape, one matrix per exposed table', () => {
  assert.deepEqual(Object.keys(report).slice(0, 3), ['tables', 'seeded', 'warnings']);
  assert.ok(report.tables.length >= 12);
  for (const t of report.tables) {
    assert.equal(typeof t.table, 'string');
    assert.equal(typeof t.rls, 'boolean');
    assert.deepEqual([...new Set(t.access.map((c) => c.role))], ['anon', 'authenticated', 'service_role'], t.table);
    for (const c of t.access) {
      assert.ok(['select', 'insert', 'update', 'delete'].includes(c.command));
      assert.ok(['none', 'own', 'tenant', 'all', 'denied'].includes(c.rows), `${t.table} ${c.role} ${c.command}: ${c.rows}`);
      assert.ok(Array.isArray(c.policies));
    }
    for (const l of t.leaks) {
      assert.ok(['cross-tenant', 'anon-access', 'rls-disabled', 'user-metadata'].includes(l.kind));
      assert.ok(l.message.length > 0 && l.fix.length > 0, JSON.stringify(l));
    }
  }
  assert.equal(report.seeded.users.a, 'aaaaaaaa-0000-4000-8000-00000000000a');
  assert.equal(report.seeded.tenants?.table, 'public.organizations');
});

test('a using (true) policy for authenticated is a cross-tenant leak naming the policy and its file:line', () => {
  const notes = table('public.project_notes');
  assert.equal(cell(notes, 'authenticated', 'select').rows, 'all');
  assert.deepEqual(cell(notes, 'authenticated', 'select').policies, ['Signed-in users can read notes']);
  const leak = notes.leaks.find((l) => l.kind === 'cross-tenant');
  assert.deepEqual({ ...leak, message: undefined, fix: undefined }, {
    role: 'authenticated', command: 'select', kind: 'cross-tenant', policy: 'Signed-in users can read notes',
    file: 'supabase/migrations/20240116000000_project_notes.sql', line: 17, message: undefined, fix: undefined,
  });
  // The fix ties the read to A's organizations through the memberships.
  assert.match(leak!.fix, /create policy "Signed-in users can read notes" on public\.project_notes\n {2}for select to authenticated\n {2}using \(project_id in \(select .*public\.memberships m where m\.user_id = \(select auth\.uid\(\)\)/);
  // The author-only insert policy: A's own row accepted, B's refused by its WITH CHECK.
  const insert = cell(notes, 'authenticated', 'insert');
  assert.equal(insert.rows, 'own');
  assert.equal(insert.probes?.find((p) => p.row === 'other')?.outcome, 'rejected');
});

test('a correct tenant policy shows tenant and no leak; RLS off shows anon reading all', () => {
  const projects = table('public.projects');
  assert.equal(cell(projects, 'authenticated', 'select').rows, 'tenant');
  assert.deepEqual(cell(projects, 'authenticated', 'select').policies, ['Members can view projects']);
  assert.equal(cell(projects, 'anon', 'select').rows, 'none');
  assert.deepEqual(projects.leaks, []);
  assert.equal(cell(table('public.organizations'), 'authenticated', 'select').rows, 'tenant');
  assert.equal(cell(table('public.documents'), 'authenticated', 'select').rows, 'own');

  const comments = table('public.document_comments');
  assert.equal(comments.rls, false);
  assert.equal(cell(comments, 'anon', 'select').rows, 'all');
  const off = comments.leaks.find((l) => l.kind === 'rls-disabled');
  assert.equal(off?.file, 'supabase/migrations/20240106000000_comments.sql');
  assert.equal(off?.line, 1);
  assert.match(off!.fix, /^alter table public\.document_comments enable row level security;/);
  // service_role bypasses RLS everywhere.
  assert.ok(comments.access.filter((c) => c.role === 'service_role').every((c) => c.rows === 'all'));
});

test('user_metadata trust is proven by forging the claim; WITH CHECK (true) on insert lets A write into B\'s tenant', () => {
  const inv = table('public.invitations');
  const meta = inv.leaks.find((l) => l.kind === 'user-metadata');
  assert.equal(meta?.policy, 'Admins see all invitations');
  assert.match(meta!.message, /user_metadata \{"role":"admin"\}.*B's included/);
  assert.match(meta!.fix, /'app_metadata'/);
  const cross = inv.leaks.find((l) => l.kind === 'cross-tenant');
  assert.equal(cross?.command, 'insert');
  assert.equal(cross?.policy, 'Anyone signed in can invite');
});

test('the analyzer and the simulator agree: every policy-always-true policy lets rows through in the simulation', async () => {
  const set = findMigrationFiles(example);
  const a = await Analyzer.create();
  a.setOrder(set.files);
  for (const f of set.files) a.setFile(f, readFileSync(f, 'utf8'));
  const flagged = a.findings().filter((f) => f.rule === 'policy-always-true');
  assert.ok(flagged.length > 0);
  for (const f of flagged) {
    const file = displayPath(example, f.file);
    const line = f.range.start.line + 1;
    const policy = report.tables.flatMap((t) => t.policies ?? []).find((p) => p.file === file && p.line === line);
    assert.ok(policy, `a simulated policy at ${file}:${line}`);
    assert.deepEqual(policy.analyzer, ['policy-always-true']);
    const through = (policy.lets ?? []).flatMap((l) => l.rows);
    assert.ok(through.includes('other'), `${policy.name} lets B's row through: ${JSON.stringify(policy.lets)}`);
  }
});

test('dbe rls --check: exit 1 with a clear message when an expectation is contradicted, 0 when all hold', async () => {
  const dir = join(scratch, 'app');
  cpSync(example, dir, { recursive: true });
  writeFileSync(join(dir, '.dbe.json'), JSON.stringify({ rls: { project_notes: { anon: 'none', authenticated: { select: 'tenant' } }, 'public.projects': { authenticated: { select: 'tenant', delete: 'none' } } } }));
  const bad = await dbe(['rls', dir, '--check', '--cache-dir', cache, '--table', 'project_notes', '--table', 'projects']);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /✗ public\.project_notes: authenticated select is expected to be tenant, but the simulation gives all \(policies: "Signed-in users can read notes"\)/);
  assert.doesNotMatch(bad.stderr, /public\.projects/);
  assert.match(bad.stdout, /FAIL public\.project_notes: authenticated select/);

  writeFileSync(join(dir, '.dbe.json'), JSON.stringify({ rls: { 'public.projects': { anon: 'none', authenticated: { select: 'tenant', delete: 'none' } } } }));
  const good = await dbe(['rls', dir, '--check', '--cache-dir', cache, '--table', 'projects']);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stderr, /✓ 6 RLS expectations hold/);

  writeFileSync(join(dir, '.dbe.json'), JSON.stringify({ rls: { 'public.projects': { anon: 'nobody' } } }));
  const invalid = await dbe(['rls', dir, '--check', '--cache-dir', cache]);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /"rls"\["public\.projects"\]\["anon"\] is "nobody"; use one of "none", "own", "tenant", "all", "denied"/);
});

test('dbe rls --db copies a live schema read-only and simulates it; the password never shows', async () => {
  const server = await startPostgres();
  const client = new pg.Client({ connectionString: server.url });
  try {
    await client.connect();
    await client.query(`
create role anon nologin; create role authenticated nologin; create role service_role nologin bypassrls;
create schema auth;
create table auth.users (id uuid primary key);
create function auth.uid() returns uuid language sql stable as $$ select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
create table public.teams (id uuid primary key default gen_random_uuid(), name text not null);
create table public.team_members (team_id uuid not null references public.teams(id), user_id uuid not null references auth.users(id), primary key (team_id, user_id));
create table public.docs (id bigint generated always as identity primary key, team_id uuid not null references public.teams(id), author uuid not null references auth.users(id), body text not null);
create table public.open_notes (id bigint generated always as identity primary key, author uuid references auth.users(id), body text);
alter table public.teams enable row level security;
alter table public.team_members enable row level security;
alter table public.docs enable row level security;
create policy "members read docs" on public.docs for select to authenticated
  using (team_id in (select m.team_id from public.team_members m where m.user_id = auth.uid()));
create policy "members see memberships" on public.team_members for select to authenticated using (user_id = auth.uid());
create policy "anyone reads teams" on public.teams for select to authenticated using (true);
grant usage on schema public, auth to anon, authenticated, service_role;
grant select on all tables in schema public to anon, authenticated, service_role;
grant insert on public.docs to authenticated;
grant execute on function auth.uid() to anon, authenticated;`);
    const url = server.url.replace('postgres@', 'postgres:s3cret-pw@');
    const r = await dbe(['rls', scratch, '--db', url, '--format', 'json', '--cache-dir', cache]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /s3cret-pw/);
    const live = JSON.parse(r.stdout) as RlsReport;
    const at = (t: string, role: string, command: string) => live.tables.find((x) => x.table === t)?.access.find((c) => c.role === role && c.command === command)?.rows;
    assert.equal(at('public.docs', 'authenticated', 'select'), 'tenant');
    // The live grants were copied, not the embedded bootstrap's defaults: no UPDATE privilege on docs.
    assert.equal(at('public.docs', 'authenticated', 'update'), 'denied');
    assert.equal(at('public.docs', 'authenticated', 'insert'), 'denied');
    // using (true) on the tenant table: A sees B's team, and the leak names the policy (no file:line from a live copy).
    assert.equal(at('public.teams', 'authenticated', 'select'), 'all');
    const teamLeak = live.tables.find((x) => x.table === 'public.teams')!.leaks.find((l) => l.kind === 'cross-tenant');
    assert.equal(teamLeak?.policy, 'anyone reads teams');
    assert.equal(teamLeak?.file, undefined);
    assert.equal(at('public.open_notes', 'anon', 'select'), 'all');
    assert.ok(live.tables.find((x) => x.table === 'public.open_notes')!.leaks.some((l) => l.kind === 'rls-disabled'));
    // Nothing was written to the live database.
    assert.equal((await client.query('select count(*)::int as n from public.docs')).rows[0].n, 0);
    assert.equal((await client.query('select count(*)::int as n from auth.users')).rows[0].n, 0);
  } finally {
    await client.end();
    await server.stop();
  }
});

test('--format html is a static page: strict CSP, no script, every value escaped', () => {
  const hostile: RlsReport = structuredClone(report);
  hostile.tables[0]!.access[0]!.policies = ['<img src=x onerror=alert(1)>'];
  const html = renderHtml(hostile);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-[0-9a-f]+'; base-uri 'none'; form-action 'none'">/);
  assert.doesNotMatch(html, /<script|<img/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /public\.project_notes/);
});

test('expectations: levels per role or per command, table names default to public', () => {
  assert.deepEqual(parseExpectations({ patients: { anon: 'none' } }).map((e) => `${e.table} ${e.role} ${e.command} ${e.expected}`),
    ['public.patients anon select none', 'public.patients anon insert none', 'public.patients anon update none', 'public.patients anon delete none']);
  assert.throws(() => parseExpectations({ 'x.t': { authenticated: { read: 'own' } } }), /has command "read"; use select, insert, update or delete/);
  assert.throws(() => parseExpectations([]), /must be an object/);
});

test('restrictive policies, a rejected WITH CHECK, and a migration-created role on a hand-made project', async () => {
  const root = join(scratch, 'handmade');
  mkdirSync(join(root, 'migrations'), { recursive: true });
  writeFileSync(join(root, 'migrations', '001_init.sql'), `
create role auditor nologin;
grant usage on schema public to auditor;
create table public.notes (
  id bigint generated always as identity primary key,
  owner uuid references auth.users (id),
  archived boolean not null default false,
  body text not null check (length(body) > 0)
);
alter table public.notes enable row level security;
create policy "own notes" on public.notes for all to authenticated
  using (owner = (select auth.uid()));
create policy "not archived" on public.notes as restrictive for select to authenticated
  using (not archived);
create policy "auditors read" on public.notes for select to auditor using (true);
grant select on public.notes to auditor;

create table public.tags (id int primary key, label text not null);
alter table public.tags enable row level security;
create policy "only short tags" on public.tags for insert to authenticated with check (length(label) < 3);
`);
  const { report: r } = await simulateRls({ root, folders: ['migrations'], cacheDir: cache });
  const notes = r.tables.find((t) => t.table === 'public.notes')!;
  const sel = notes.access.find((c) => c.role === 'authenticated' && c.command === 'select')!;
  assert.equal(sel.rows, 'own');
  // The deciding set names the permissive policy and the restrictive one that also had to pass.
  assert.deepEqual(sel.policies.sort(), ['not archived', 'own notes']);
  assert.deepEqual(notes.access.filter((c) => c.role === 'auditor').map((c) => `${c.command}:${c.rows}`), ['select:all', 'insert:denied', 'update:denied', 'delete:denied']);
  assert.equal(notes.leaks.length, 0, JSON.stringify(notes.leaks));
  // An unowned row exists (owner is nullable) and is A's to neither read nor change.
  assert.equal(r.seeded.tables['public.notes']?.nobody, 1);

  const tags = r.tables.find((t) => t.table === 'public.tags')!;
  const ins = tags.access.find((c) => c.role === 'authenticated' && c.command === 'insert')!;
  // Tags have no owner: two unowned rows, both refused by the WITH CHECK, which is named as the refusing policy.
  assert.equal(ins.rows, 'denied');
  assert.deepEqual(ins.probes!.map((p) => `${p.row}:${p.outcome}:${p.policies?.join(',')}`), ['nobody:rejected:only short tags', 'nobody:rejected:only short tags']);
  assert.deepEqual(ins.policies, ['only short tags']);
});

test('check_rls answers through the fake Messages server: the matrix and the leak reach the model', async () => {
  const KEY = 'sk-ant-rls-tool-test-KEY';
  const fake = await startFakeAnthropic({ apiKey: KEY });
  try {
    fake.enqueue(
      reply.toolUse([{ id: 'rls1', name: 'check_rls', input: { tables: ['project_notes'] } }]),
      reply.text('Every signed-in user can read every note.'),
    );
    const events: string[] = [];
    const result = await runAgentTurn({
      client: createChatClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 }),
      agent: makeAgent({ id: 'rls-security', prompt: 'RLS PROMPT', tools: ['Read', 'Bash(psql:*)', 'Bash(supabase:*)'] }),
      prompt: 'who can see project notes?',
      tools: { project: new Project({ root: example }) },
      projectContext: '',
      onToolCall: (e) => events.push(`${e.name}:${e.status}:${e.summary}`),
    });
    assert.equal(result.stopReason, 'end_turn', result.error?.message);
    assert.ok(fake.requests[0]!.body.tools.some((t: { name: string }) => t.name === 'check_rls'));
    const last = fake.requests[1]!.body.messages.at(-1);
    const block = last.content.find((b: { type: string }) => b.type === 'tool_result');
    assert.notEqual(block.is_error, true, block.content);
    const text = typeof block.content === 'string' ? block.content : block.content.map((c: { text: string }) => c.text).join('');
    assert.match(text, /public\.project_notes — RLS on/);
    assert.match(text, /authenticated +ALL +own/);
    assert.match(text, /LEAK cross-tenant — authenticated select, policy "Signed-in users can read notes" \(supabase\/migrations\/20240116000000_project_notes\.sql:17\)/);
    assert.doesNotMatch(text, /public\.projects —/);
    assert.deepEqual(events, ['check_rls:start:Simulating row level security on project_notes…', 'check_rls:end:1 table, 1 leak']);
  } finally {
    await fake.close();
  }
});

test('check_rls with a report the face computed elsewhere (the editor\'s child process): narrowed to the tables asked, the same text as a simulation of them here', async () => {
  const project = new Project({ root: example });
  let asked = 0;
  const given = await runTool(checkRls, { tables: ['project_notes', 'no_such_table'] }, { project, rlsReport: async () => { asked++; return report; } }, new AbortController().signal);
  assert.equal(asked, 1);
  const here = await runTool(checkRls, { tables: ['project_notes', 'no_such_table'] }, { project }, new AbortController().signal);
  assert.equal(given.summary, '1 table, 1 leak');
  assert.equal(given.summary, here.summary);
  const table = (text: string) => text.slice(text.indexOf('public.project_notes —'), text.indexOf('LEAK cross-tenant'));
  assert.equal(table(given.content), table(here.content));
  assert.match(given.content, /no_such_table: no such table/);
  // The face's simulation failing is the tool's error, said plainly.
  const failed = await runTool(checkRls, {}, { project, rlsReport: async () => { throw new Error('dbe rls exited with code 1'); } }, new AbortController().signal);
  assert.equal(failed.isError, true);
  assert.match(failed.content, /The RLS simulation failed: dbe rls exited with code 1/);
});

test('Prisma projects: the same simulation from prisma/migrations, reported on the models of schema.prisma', async () => {
  const r = await dbe(['rls', join(repo, 'examples', 'prisma-supabase-app'), '--format', 'json', '--cache-dir', cache]);
  assert.equal(r.code, 0, r.stderr);
  const prisma = JSON.parse(r.stdout) as RlsReport;
  const users = prisma.tables.find((t) => t.table === 'public.users')!;
  assert.deepEqual(users.model, { name: 'User', file: 'prisma/schema.prisma', line: 15 });
  assert.equal(users.access.find((c) => c.role === 'authenticated' && c.command === 'select')?.rows, 'own');
  const post = prisma.tables.find((t) => t.table === 'public.Post')!;
  const off = post.leaks.find((l) => l.kind === 'rls-disabled');
  assert.deepEqual(off?.model, { name: 'Post', file: 'prisma/schema.prisma', line: 27 });
  assert.equal(post.access.find((c) => c.role === 'anon' && c.command === 'select')?.rows, 'all');
});
