import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer, describeTable } from '../../../src/core/analysis';
import { ensureParser } from '../../../src/core/sql/parse';

const A = '/ws/supabase/migrations/001_init.sql';
const B = '/ws/supabase/migrations/002_rls.sql';

async function analyzer() {
  await ensureParser();
  const a = new Analyzer();
  const big = Array.from({ length: 50 }, (_, i) => `create table t${i} (id bigint primary key);\nalter table t${i} enable row level security;\ncreate policy p on t${i} for select to authenticated using (true);`).join('\n');
  a.setFile(A, 'create table notes (id bigint primary key, user_id uuid);\n' + big);
  return a;
}

test('editing one file re-parses only the changed statement and the findings follow', async () => {
  const a = await analyzer();
  assert.deepEqual(a.findingsFor(A).map((f) => f.rule), ['rls-disabled']);
  const parsesBefore = a.parses;
  a.setFile(B, 'alter table notes enable row level security;');
  assert.equal(a.parses, parsesBefore + 1);
  assert.deepEqual(a.findingsFor(A).map((f) => f.rule), []);
  assert.deepEqual(a.findingsFor(B).map((f) => f.rule), ['require-lock-timeout', 'rls-without-policy']);

  // A one-line edit in the big file: one statement re-parsed, not 151.
  const p2 = a.parses;
  const text = a.parsed(A)!.text.replace('create table t7 (id bigint primary key);', 'create table t7 (id bigint primary key, v text);');
  a.setFile(A, text);
  assert.equal(a.parses, p2 + 1);
  assert.ok(a.model().tables.get('public.t7')!.columns.has('v'));

  // Setting the same content again does nothing at all.
  const rebuilds = a.rebuilds;
  assert.equal(a.setFile(A, text), false);
  a.findings();
  assert.equal(a.rebuilds, rebuilds);

  a.removeFile(B);
  assert.deepEqual(a.findingsFor(A).map((f) => f.rule), ['rls-disabled']);
  assert.deepEqual(a.findingsFor(B), []);
});

test('tableAt resolves a table name under the cursor (hover) and describeTable summarises it', async () => {
  const a = await analyzer();
  a.setFile(B, 'alter table   public.notes enable row level security;\nselect * from "notes";');
  const t = a.tableAt(B, { line: 0, column: 22 });
  assert.equal(t?.key, 'public.notes');
  assert.equal(a.tableAt(B, { line: 1, column: 16 })?.key, 'public.notes');
  assert.equal(a.tableAt(B, { line: 1, column: 2 }), undefined);
  const md = describeTable(a.model(), t!, '/ws');
  assert.match(md, /\*\*notes\*\*/);
  assert.match(md, /\| user_id \| uuid \|/);
  assert.match(md, /Row level security: enabled/);
  assert.match(md, /Defined in supabase\/migrations\/001_init\.sql:1, changed in supabase\/migrations\/002_rls\.sql/);
});

test('the table summary shows row level security and policies right after the columns, before keys and indexes', async () => {
  await ensureParser();
  const a = new Analyzer();
  a.setFile(A, [
    'create table orgs (id bigint primary key);',
    'create table docs (id bigint primary key, org_id bigint references orgs (id), owner uuid);',
    'create index docs_org_idx on docs (org_id);',
    'alter table docs enable row level security;',
    'create policy "members read" on docs for select to authenticated using (true);',
  ].join('\n'));
  const md = describeTable(a.model(), a.model().tables.get('public.docs')!, '/ws');
  const at = (re: RegExp) => md.search(re);
  assert.ok(at(/\| owner \| uuid/) < at(/Row level security: enabled/), md);
  assert.ok(at(/Row level security/) < at(/- policy "members read": SELECT to authenticated/), md);
  assert.ok(at(/- policy "members read"/) < at(/Foreign keys: \(org_id\) → orgs/), md);
  assert.ok(at(/Foreign keys/) < at(/Indexes: .*docs_org_idx/), md);
});

test('explicit order overrides path order', async () => {
  await ensureParser();
  const a = new Analyzer();
  a.setFile('/ws/b.sql', 'create table t (id bigint primary key);');
  a.setFile('/ws/a.sql', 'alter table t enable row level security; create policy p on t for select to authenticated using (true);');
  // Path order runs a.sql first: its ALTER finds no table yet, so t ends up without RLS.
  assert.deepEqual(a.paths(), ['/ws/a.sql', '/ws/b.sql']);
  assert.equal(a.findings().filter((f) => f.rule === 'policy-without-rls').length, 1);
  a.setOrder(['/ws/b.sql', '/ws/a.sql']);
  assert.deepEqual(a.paths(), ['/ws/b.sql', '/ws/a.sql']);
  assert.equal(a.findings().filter((f) => f.rule === 'policy-without-rls' || f.rule === 'rls-disabled').length, 0);
});

test('findingsFor right after an edit equals that file\'s share of the whole-workspace findings', async () => {
  const a = await analyzer();
  a.setFile(B, 'create table extra (id int); create index on notes (user_id); alter table notes enable row level security;');
  const first = a.findingsFor(B).map((f) => `${f.rule}@${f.range.start.line}:${f.range.start.column}`);
  const whole = a.findings().filter((f) => f.file === B).map((f) => `${f.rule}@${f.range.start.line}:${f.range.start.column}`);
  assert.deepEqual(first, whole);
  assert.ok(first.includes('require-concurrent-index@0:29'));
  assert.deepEqual(a.findingsFor(A).map((f) => f.rule), []);
});

test('the statement cache stays bounded over a long editing session', async () => {
  await ensureParser();
  const a = new Analyzer();
  for (let i = 0; i < 1500; i++) a.setFile('/ws/m/001.sql', `create table t (id bigint primary key, n int default ${i});`);
  assert.ok((a as unknown as { cache: { size: number } }).cache.size <= 1002);
  assert.equal(a.model().tables.get('public.t')!.columns.get('n')!.default!.A_Const.ival.ival, 1499);
});
