import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFindings, lint, applyEdits } from './lint-helpers';

const M = (name: string) => `supabase/migrations/${name}.sql`;

test('rls-disabled fires for an exposed table without RLS, and points at its name', async () => {
  const f = await ruleFindings('rls-disabled', 'create table public.notes (id bigint primary key, user_id uuid);');
  assert.equal(f.length, 1);
  assert.deepEqual(f[0]!.range, { start: { line: 0, column: 13 }, end: { line: 0, column: 25 } });
  assert.equal(f[0]!.severity, 'error');
});

test('rls-disabled stays quiet: RLS enabled in a later migration, other schemas, quoted/qualified names, partitions', async () => {
  assert.equal((await ruleFindings('rls-disabled', {
    [M('001')]: 'create table "Notes" (id bigint primary key);',
    [M('002')]: 'alter table public."Notes" enable row level security;',
  })).length, 0);
  assert.equal((await ruleFindings('rls-disabled', 'create schema private; create table private.jobs (id bigint primary key);')).length, 0);
  assert.equal((await ruleFindings('rls-disabled', `
    create table events (id bigint, at date) partition by range (at);
    create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
    alter table events enable row level security;`)).length, 0);
});

test('rls-disabled follows configured exposed schemas and offers enable + starter policy', async () => {
  const f = await ruleFindings('rls-disabled', 'create schema api; create table api.todos (id bigint primary key, user_id uuid);', { exposedSchemas: ['api'] });
  assert.equal(f.length, 1);
  const fix = f[0]!.fixes[0]!;
  const text = 'create schema api; create table api.todos (id bigint primary key, user_id uuid);';
  const fixed = applyEdits(text, fix.edits[0]!.edits);
  assert.match(fixed, /alter table api\.todos enable row level security;/);
  assert.match(fixed, /using \(\(select auth\.uid\(\)\) = user_id\)/);
  const after = await lint(fixed, { exposedSchemas: ['api'] });
  assert.deepEqual(after.findings.filter((x) => x.rule.startsWith('rls') || x.rule === 'policy-without-rls'), []);
});

test('rls-disabled fix goes to a new timestamped migration when the table is in an older one', async () => {
  const f = await ruleFindings('rls-disabled', {
    [M('20240101000000_init')]: 'create table notes (id bigint primary key);',
    [M('20240102000000_more')]: 'create table other (id bigint primary key); alter table other enable row level security;',
  });
  assert.equal(f.length, 1);
  const create = f[0]!.fixes[0]!.create![0]!;
  assert.equal(create.file, '/ws/supabase/migrations/20250102030405_enable_rls_notes.sql');
  assert.match(create.content, /alter table notes enable row level security;/);
});

test('rls-disabled names a renamed table as its CREATE wrote it, and its fix qualifies names the way the project does', async () => {
  const f = await ruleFindings('rls-disabled', {
    [M('20240106000000_comments')]: 'create table public.comments (id bigint primary key, author_id uuid);',
    [M('20240115000000_cleanup')]: 'alter table public.comments rename to document_comments;',
  });
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /^Table public\.comments \(renamed to document_comments in 20240115000000_cleanup\.sql\) is exposed/);
  const create = f[0]!.fixes[0]!.create![0]!;
  assert.match(f[0]!.fixes[0]!.title, /^Enable row level security on public\.document_comments/);
  assert.match(create.content, /^alter table public\.document_comments enable row level security;/, 'qualified like the CREATE, and the name it has when the new migration runs');
  assert.match(create.content, /on public\.document_comments\n/);

  const unqualified = await ruleFindings('rls-disabled', 'create table notes (id bigint primary key);');
  assert.match(unqualified[0]!.message, /^Table notes is exposed/);
  assert.match(unqualified[0]!.fixes[0]!.edits[0]!.edits[0]!.newText, /alter table notes enable/, 'an unqualified file gets unqualified names');

  const p = await ruleFindings('policy-without-rls', 'create table public.d (id bigint primary key); create policy p on public.d for select using (true);');
  assert.match(p[0]!.fixes[0]!.edits[0]!.edits[0]!.newText, /alter table public\.d enable row level security;/);
});

test('policy-without-rls fires when policies exist but RLS is off; rls-without-policy when the reverse', async () => {
  const a = await lint('create table d (id bigint primary key); create policy p on d for select using (true);');
  assert.deepEqual(a.findings.filter((f) => f.rule.includes('rls')).map((f) => f.rule), ['policy-without-rls']);
  const b = await lint('create table d (id bigint primary key); alter table d enable row level security;');
  assert.deepEqual(b.findings.filter((f) => f.rule.includes('rls') || f.rule.includes('polic')).map((f) => f.rule), ['rls-without-policy']);
  const c = await lint('create table d (id bigint primary key); alter table d enable row level security; create policy p on d for select to authenticated using (true);');
  assert.deepEqual(c.findings.filter((f) => f.rule.includes('rls')), []);
});

test('policy-always-true: open writes for API roles fire; reads, owners, restrictive and service_role do not', async () => {
  const base = 'create table d (id bigint primary key, user_id uuid); alter table d enable row level security;\n';
  const fires = [
    'create policy p on d for insert to anon with check (true);',
    'create policy p on d for insert to authenticated;',
    'create policy p on d for update to authenticated using (1 = 1);',
    'create policy p on d for delete using (true);',
    'create policy p on d for all to anon, authenticated using (true);',
    // USING (true) on ALL lets anyone delete every row, whatever WITH CHECK says.
    'create policy p on d for all to authenticated using (true) with check ((select auth.uid()) = user_id);',
    // The user picks only their rows, but may rewrite them to any owner.
    'create policy p on d for update to authenticated using ((select auth.uid()) = user_id) with check (true);',
  ];
  for (const sql of fires) assert.equal((await ruleFindings('policy-always-true', base + sql)).length, 1, sql);
  const quiet = [
    'create policy p on d for select to anon using (true);',
    'create policy p on d for insert to authenticated with check ((select auth.uid()) = user_id);',
    'create policy p on d for update to service_role using (true);',
    'create policy p on d as restrictive for delete to authenticated using (true);',
    'create policy p on d for update to authenticated using ((select auth.uid()) = user_id);',
  ];
  for (const sql of quiet) assert.equal((await ruleFindings('policy-always-true', base + sql)).length, 0, sql);
});

test('policy-user-metadata fires on user_metadata and raw_user_meta_data, not on app_metadata', async () => {
  const base = 'create table d (id bigint primary key); alter table d enable row level security;\n';
  assert.equal((await ruleFindings('policy-user-metadata', base + "create policy p on d for select using ((auth.jwt() -> 'user_metadata' ->> 'role') = 'admin');")).length, 1);
  assert.equal((await ruleFindings('policy-user-metadata', base + "create policy p on d for select using (exists (select 1 from auth.users u where u.id = auth.uid() and u.raw_user_meta_data ->> 'admin' = 'true'));")).length, 1);
  assert.equal((await ruleFindings('policy-user-metadata', base + "create policy p on d for select using (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');")).length, 0);
});

test('auth-function-per-row fires on bare calls with an exact range and a fix; wrapped calls stay quiet', async () => {
  const sql = 'create table d (id bigint primary key, user_id uuid); alter table d enable row level security;\n' +
    "create policy p on d for select using (auth.uid() = user_id and current_setting('app.x', true) = 'y');";
  const f = await ruleFindings('auth-function-per-row', sql);
  assert.equal(f.length, 2);
  assert.deepEqual(f[0]!.range, { start: { line: 1, column: 39 }, end: { line: 1, column: 49 } });
  const fixed = applyEdits(sql, [...f[0]!.fixes[0]!.edits[0]!.edits, ...f[1]!.fixes[0]!.edits[0]!.edits]);
  assert.match(fixed, /using \(\(select auth\.uid\(\)\) = user_id and \(select current_setting\('app\.x', true\)\) = 'y'\)/);
  assert.equal((await ruleFindings('auth-function-per-row', fixed)).length, 0);
});

test('auth-function-per-row reads the expression an ALTER POLICY wrote', async () => {
  const f = await ruleFindings('auth-function-per-row', {
    [M('001')]: 'create table d (id bigint primary key, user_id uuid); alter table d enable row level security; create policy p on d using ((select auth.uid()) = user_id);',
    [M('002')]: 'alter policy p on d using (auth.uid() = user_id);',
  });
  assert.equal(f.length, 1);
  assert.equal(f[0]!.file, '/ws/supabase/migrations/002.sql');
});

test('multiple-permissive-policies: same role and command fires; different commands or restrictive do not', async () => {
  const base = 'create table d (id bigint primary key, user_id uuid, public boolean); alter table d enable row level security;\n';
  assert.equal((await ruleFindings('multiple-permissive-policies', base +
    'create policy a on d for select to authenticated using (public); create policy b on d for all to authenticated using ((select auth.uid()) = user_id);')).length, 1);
  assert.equal((await ruleFindings('multiple-permissive-policies', base +
    'create policy a on d for select to authenticated using (public); create policy b on d for insert to authenticated with check ((select auth.uid()) = user_id);')).length, 0);
  assert.equal((await ruleFindings('multiple-permissive-policies', base +
    'create policy a on d for select to authenticated using (public); create policy b on d as restrictive for select to authenticated using (true);')).length, 0);
  assert.equal((await ruleFindings('multiple-permissive-policies', base +
    'create policy a on d for select to anon using (public); create policy b on d for select to authenticated using (true);')).length, 0);
});

test('security-definer-search-path fires without SET search_path, with a fix; quiet when set (also via ALTER FUNCTION)', async () => {
  const sql = 'create function public.is_admin() returns boolean language sql security definer as $$ select true $$;';
  const f = await ruleFindings('security-definer-search-path', sql);
  assert.equal(f.length, 1);
  const fixed = applyEdits(sql, f[0]!.fixes[0]!.edits[0]!.edits);
  assert.match(fixed, /security definer\nset search_path = ''/);
  assert.equal((await ruleFindings('security-definer-search-path', fixed)).length, 0);
  assert.equal((await ruleFindings('security-definer-search-path', sql + "\nalter function public.is_admin() set search_path = '';")).length, 0);
  assert.equal((await ruleFindings('security-definer-search-path', 'create function f() returns int language sql as $$ select 1 $$;')).length, 0);
});

test('security-definer-view fires for an exposed view over an RLS table; quiet with security_invoker or no RLS', async () => {
  const base = 'create table d (id bigint primary key); alter table d enable row level security; create policy p on d for select to authenticated using (true);\n';
  const f = await ruleFindings('security-definer-view', base + 'create view public.v as select * from d;');
  assert.equal(f.length, 1);
  assert.match(f[0]!.fixes[0]!.edits[0]!.edits[0]!.newText, /alter view v set \(security_invoker = on\);/);
  assert.equal((await ruleFindings('security-definer-view', base + 'create view v with (security_invoker = on) as select * from d;')).length, 0);
  assert.equal((await ruleFindings('security-definer-view', base + 'create view v as select * from d; alter view v set (security_invoker = true);')).length, 0);
  assert.equal((await ruleFindings('security-definer-view', 'create table e (id bigint primary key); create view v as select * from e;')).length, 0);
  assert.equal((await ruleFindings('security-definer-view', base + 'create schema private; create view private.v as select * from d;')).length, 0);
});

test('policy-column-unindexed fires for a filtered column without index; quiet with an index or a primary key', async () => {
  const base = 'create table d (id bigint primary key, user_id uuid, org_id uuid); alter table d enable row level security;\n';
  const f = await ruleFindings('policy-column-unindexed', base + 'create policy p on d for select to authenticated using ((select auth.uid()) = user_id);');
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /"user_id"/);
  assert.match(f[0]!.fixes[0]!.edits[0]!.edits[0]!.newText, /create index if not exists d_user_id_idx on d \(user_id\);/);
  assert.equal((await ruleFindings('policy-column-unindexed', base + 'create index on d (user_id, org_id); create policy p on d for select using ((select auth.uid()) = user_id);')).length, 0);
  assert.equal((await ruleFindings('policy-column-unindexed', base + 'create policy p on d for select using (id = 1);')).length, 0);
  // Columns of other tables inside a subquery are not this table's.
  assert.equal((await ruleFindings('policy-column-unindexed', base + 'create index on d (org_id); create policy p on d for select using (org_id in (select org_id from m where user_id = (select auth.uid())));')).length, 0);
});

test('policy-column-unindexed on a table an earlier migration made: CONCURRENTLY goes into a migration of its own when the file runs in one transaction', async () => {
  const files = {
    'supabase/migrations/20250101000000_d.sql': 'create table d (id bigint primary key, user_id uuid);\n',
    'supabase/migrations/20250102000000_rls.sql': 'alter table d enable row level security;\ncreate policy p on d for select to authenticated using ((select auth.uid()) = user_id);\n',
  };
  const [f] = await ruleFindings('policy-column-unindexed', files);
  const fix = f!.fixes[0]!;
  assert.equal(fix.title, 'Create an index on d (user_id) (in its own migration 20250102000001_index_d_user_id.sql)');
  assert.deepEqual(fix.edits, [], 'the newest migration, run by the Supabase CLI in one transaction, is left alone');
  assert.equal(fix.create![0]!.content, 'create index concurrently if not exists d_user_id_idx on d (user_id);\n');
  // Run statement by statement (psql, no transaction), the index may join the newest file.
  const [plain] = await ruleFindings('policy-column-unindexed', files, { migrationTool: 'psql' });
  assert.match(plain!.fixes[0]!.edits[0]!.edits[0]!.newText, /create index concurrently if not exists d_user_id_idx on d \(user_id\);/);
});

test('security-definer-search-path reads PL/pgSQL bodies and calls out dynamic SQL', async () => {
  const f = await ruleFindings('security-definer-search-path',
    "create function public.purge(t text) returns void language plpgsql security definer as $$ begin execute 'delete from ' || t; end $$;");
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /It also runs dynamic SQL \(EXECUTE\)/);
  const g = await ruleFindings('security-definer-search-path',
    'create function public.touch() returns trigger language plpgsql security definer as $$ begin new.updated_at := now(); return new; end $$;');
  assert.equal(g.length, 1);
  assert.doesNotMatch(g[0]!.message, /dynamic SQL/);
});

test('finding ranges count UTF-16 units after multi-byte text on the same line and lines above', async () => {
  const sql = '-- Politique « privée » 😀\ncreate table d (id bigint primary key, user_id uuid); alter table d enable row level security;\n' +
    'create policy "Accès 😀 privé" on d for select using (auth.uid() = user_id);';
  const f = await ruleFindings('auth-function-per-row', sql);
  assert.equal(f.length, 1);
  const line = sql.split('\n')[2]!;
  assert.deepEqual(f[0]!.range, { start: { line: 2, column: line.indexOf('auth.uid()') }, end: { line: 2, column: line.indexOf('auth.uid()') + 10 } });
  assert.equal(applyEdits(sql, f[0]!.fixes[0]!.edits[0]!.edits).split('\n')[2], line.replace('auth.uid()', '(select auth.uid())'));
});

test('COPY data and psql meta-commands are never analysed as SQL', async () => {
  const { findings } = await lint('\\set ON_ERROR_STOP on\ncreate schema s;\ncreate table s.t (id bigint primary key, v text);\ncopy s.t (id, v) from stdin;\n1\tcreate table public.x (a int);\n2\tdrop table s.t;\n\\.\n\\i more.sql\n');
  assert.deepEqual(findings.map((f) => f.rule), []);
});
