import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer, defaultConfig, type DbeConfig } from '../../../src/core/analysis';
import { ensureParser } from '../../../src/core/sql/parse';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project } from '../../../src/core/workspace/project';

const SCHEMA = {
  '/ws/supabase/migrations/001.sql': `create table public.orgs (id bigint primary key, name text);
create table public.members (org_id bigint references public.orgs (id), user_id uuid, role text);
create function public.is_admin(org bigint) returns boolean language sql stable as $$ select true $$;`,
};

/** The findings of one query file (or TypeScript file) next to the migrations, as `rule line:column message`. */
async function check(sql: string, config: DbeConfig = defaultConfig(), path = '/ws/queries/q.sql', schema: Record<string, string> = SCHEMA) {
  await ensureParser();
  const analyzer = new Analyzer({ config });
  for (const [p, text] of Object.entries(schema)) analyzer.setFile(p, text);
  analyzer.setOrder(Object.keys(schema));
  analyzer.setQueryFiles([path]);
  analyzer.setFile(path, sql);
  const shown = (f: { rule: string; range: { start: { line: number; column: number } }; message: string }) => `${f.rule} ${f.range.start.line}:${f.range.start.column} ${f.message}`;
  const all = analyzer.findings().filter((f) => f.file === path).map(shown);
  // The keystroke path (one file's findings before the whole set) gives the same answer.
  const fresh = new Analyzer({ config });
  for (const [p, text] of Object.entries(schema)) fresh.setFile(p, text);
  fresh.setOrder(Object.keys(schema));
  fresh.setQueryFiles([path]);
  fresh.setFile(path, sql);
  assert.deepEqual(fresh.findingsFor(path).map(shown), all, 'findingsFor agrees with findings');
  return all;
}

test('query files: unknown relations, columns and functions with did-you-mean and positions', async () => {
  assert.deepEqual(await check('select nme from orgs;'), ['unknown-reference 0:7 Column "nme" does not exist in "orgs"; did you mean "name"?']);
  assert.deepEqual(await check('select * from public.org;'), ['unknown-reference 0:14 Relation "public.org" does not exist in the schema the migrations build; did you mean "orgs"?']);
  assert.deepEqual(await check('select public.is_admn(1);'), ['unknown-reference 0:7 Function public.is_admn() is not created by any migration; did you mean public.is_admin()?']);
  assert.deepEqual(await check("insert into members (org_id, usr_id) values (1, null);"), ['unknown-reference 0:29 Column "usr_id" does not exist in "members"; did you mean "user_id"?']);
  assert.deepEqual(await check("update members m set role = 'x' where m.rol = 'y';"), ['unknown-reference 0:38 Column "rol" does not exist in "m"; did you mean "role"?']);
});

test('query files: correct queries, placeholders, aliases, CTEs, subqueries and unknown schemas stay quiet', async () => {
  for (const sql of [
    'select o.id, o.name as n from orgs o join members m on m.org_id = o.id where m.user_id = $1 order by n;',
    'select name from orgs where id = :org_id and name <> :name;',
    'with counts as (select org_id, count(*) as c from members group by org_id) select c from counts;',
    'select id from orgs where exists (select 1 from members where org_id = orgs.id);',
    'select * from auth.users where id = $1;',
    'select x.a from (select 1 as a) x;',
    'select id::text from orgs;',
  ]) assert.deepEqual(await check(sql), [], sql);
  assert.deepEqual(await check('selec 1;'), ['syntax-error 0:0 syntax error at or near "selec"']);
  assert.deepEqual(await check('-- dbe-ignore unknown-reference\nselect nme from orgs;'), []);
  assert.deepEqual(await check('select nme from orgs;', { ...defaultConfig(), rules: { 'unknown-reference': 'off' } }), []);
});

test('query files: unqualified functions are judged against PostgreSQL\'s built-ins, the migrations\' functions and known extensions', async () => {
  assert.deepEqual(await check('select lenght(name) from orgs;'), ['unknown-reference 0:7 Function lenght() is neither built into PostgreSQL nor created by any migration or extension; did you mean length()?']);
  assert.deepEqual(await check('select is_admn(id) from orgs;'), ['unknown-reference 0:7 Function is_admn() is neither built into PostgreSQL nor created by any migration or extension; did you mean is_admin()?']);
  assert.deepEqual(await check('select pg_catalog.nw();'), ['unknown-reference 0:7 Function pg_catalog.nw() is not built into PostgreSQL; did you mean pg_catalog.now()?']);
  for (const sql of [
    'select count(*), max(id), string_agg(name, \',\' order by name), row_number() over () from orgs group by name;',
    'select now(), gen_random_uuid(), coalesce(name, \'x\'), greatest(1, 2), extract(year from now()), now() at time zone \'utc\' from orgs;',
    'select is_admin(id), public.is_admin(id), text(id), int4(\'1\'), jsonb_build_object(\'a\', 1), any_value(id) from orgs group by id;',
    'select auth.uid(), auth.jwt(), storage.foldername(\'a/b\');',
    'select * from generate_series(1, 3) g, lateral unnest(array[1]) u;',
  ]) assert.deepEqual(await check(sql), [], sql);
  // An extension's functions: known once a migration creates it, unknown before.
  assert.deepEqual(await check('select uuid_generate_v4();'), ['unknown-reference 0:7 Function uuid_generate_v4() is neither built into PostgreSQL nor created by any migration or extension.']);
  const withExt = { ...SCHEMA, '/ws/supabase/migrations/002.sql': 'create extension if not exists "uuid-ossp" with schema extensions;\ncreate schema extensions;' };
  assert.deepEqual(await check('select uuid_generate_v4(), extensions.uuid_generate_v1();', defaultConfig(), '/ws/queries/q.sql', withExt), []);
  // A function the migrations call exists in the database they ran on, created there or not.
  const called = { ...SCHEMA, '/ws/supabase/migrations/002.sql': 'create table public.t (id uuid default uuid_generate_v4(), at timestamptz default app.clock());' };
  assert.deepEqual(await check('select uuid_generate_v4(), clock();', defaultConfig(), '/ws/queries/q.sql', called), []);
  // Supabase projects have uuid-ossp and pgcrypto without a migration creating them.
  assert.deepEqual(await check('select uuid_generate_v4(), crypt(\'a\', gen_salt(\'bf\'));', { ...defaultConfig(), migrationTool: 'supabase' }), []);
  // An extension whose functions are not known: unqualified calls are not judged at all.
  const unknownExt = { ...SCHEMA, '/ws/supabase/migrations/002.sql': 'create extension postgis;' };
  assert.deepEqual(await check('select st_makepoint(1, 2), lenght(\'x\');', defaultConfig(), '/ws/queries/q.sql', unknownExt), []);
  // An aggregate is a function too; a function created inside a DO block cannot be seen: unqualified calls not judged.
  const aggregate = { ...SCHEMA, '/ws/supabase/migrations/002.sql': 'create aggregate public.array_accum (anyelement) (sfunc = array_append, stype = anyarray);' };
  assert.deepEqual(await check('select array_accum(id) from orgs;', defaultConfig(), '/ws/queries/q.sql', aggregate), []);
  const dynamic = { ...SCHEMA, '/ws/supabase/migrations/002.sql': "do $$ begin if true then create function public.hidden() returns int language sql as 'select 1'; end if; end $$;" };
  assert.deepEqual(await check('select hidden(), lenght(\'x\');', defaultConfig(), '/ws/queries/q.sql', dynamic), []);
});

test('query files: what other SQL files create is known, the rules judge them as before, SQL in code never changes the model', async () => {
  await ensureParser();
  const analyzer = new Analyzer({ config: defaultConfig() });
  const files: Record<string, string> = {
    ...SCHEMA,
    '/ws/views/active.sql': 'create view public.active_orgs as select * from public.orgs;\ncreate function public.org_count() returns bigint language sql as $$ select count(*) from public.orgs $$;\ncreate table public.kept_apart (id int);\n',
    '/ws/queries/q.sql': 'select * from active_orgs where org_count() > 0 and exists (select 1 from kept_apart);\nselect nme from orgs;\n',
    '/ws/src/setup.ts': "await db.query('drop table public.orgs');\nawait db.query('create table public.from_code (id int)');\n",
  };
  for (const [p, text] of Object.entries(files)) analyzer.setFile(p, text);
  analyzer.setOrder(['/ws/supabase/migrations/001.sql']);
  analyzer.setQueryFiles(['/ws/views/active.sql', '/ws/queries/q.sql']);
  const rules = (p: string) => analyzer.findings().filter((f) => f.file === p).map((f) => f.rule);
  assert.deepEqual(rules('/ws/queries/q.sql'), ['unknown-reference'], 'only nme');
  assert.ok(rules('/ws/views/active.sql').includes('rls-disabled'), 'a table kept apart is judged like a migration\'s');
  assert.deepEqual(rules('/ws/src/setup.ts'), []);
  assert.ok(analyzer.model().tables.has('public.orgs') && !analyzer.model().tables.has('public.from_code'), 'SQL in code is checked, never applied');
  assert.deepEqual(analyzer.findingsFor('/ws/queries/q.sql').map((f) => f.rule), ['unknown-reference']);

  // A keystroke in code redoes that file's findings only: no model rebuild, the others' findings are the same objects.
  const before = analyzer.findings();
  const rebuilds = analyzer.rebuilds;
  analyzer.setFile('/ws/src/setup.ts', "await db.query('select nme from orgs');\n");
  const after = analyzer.findings();
  assert.equal(analyzer.rebuilds, rebuilds);
  assert.deepEqual(after.filter((f) => f.file === '/ws/src/setup.ts').map((f) => f.message), ['Column "nme" does not exist in "orgs"; did you mean "name"?']);
  assert.deepEqual(after.filter((f) => f.file !== '/ws/src/setup.ts'), before.filter((f) => f.file !== '/ws/src/setup.ts'));
  assert.equal(analyzer.setFile('/ws/src/other.ts', 'export const x = 1;\n'), true);
  assert.equal(analyzer.findings().length, after.length, 'a file without SQL adds nothing');
});

test('SQL in TypeScript: tagged templates and query calls, ${} as placeholders, positions in the .ts file (UTF-16, multi-line)', async () => {
  const ts = [
    "import { sql } from './db';",
    '// pool.query(\'select nme from orgs\') is a comment',
    "const label = 'é😀'; const ratio = a / b; const re = /'/g;",
    'export const byOrg = (id: number) => prisma.$queryRaw<Org[]>`',
    '  SELECT o.id, o.nme',
    '  FROM orgs o WHERE o.id = ${id} AND o.name <> ${`x${1}`}`;',
    "await pool.query('select lenght(name) from orgs where id = $1', [1]);",
    'const t = "é😀"; await db.query(`insert into members (org_id, usr_id) values (${1}, ${2})`);',
    "const fragment = sql`lower(${'x'})`;",
    'const dynamic = sql`select * from ${table} where`;',
    "router.query('selec this is not sql');",
    "await client.query('update orgs set where id = 1');",
  ].join('\n');
  assert.deepEqual(await check(ts, defaultConfig(), '/ws/src/repo.ts'), [
    'unknown-reference 4:15 Column "nme" does not exist in "o"; did you mean "name"?',
    'syntax-error 11:36 syntax error at or near "where"',
    'unknown-reference 6:25 Function lenght() is neither built into PostgreSQL nor created by any migration or extension; did you mean length()?',
    'unknown-reference 7:62 Column "usr_id" does not exist in "members"; did you mean "user_id"?',
  ].sort(byPosition));
  // A .js file is read the same way; a file without SQL has no findings.
  assert.deepEqual(await check("db.query('select * from org')", defaultConfig(), '/ws/lib/a.mjs'), ['unknown-reference 0:24 Relation "org" does not exist in the schema the migrations build; did you mean "orgs"?']);
  assert.deepEqual(await check('export const x = 1;', defaultConfig(), '/ws/lib/b.js'), []);
  // A project without migrations has no schema to judge names by: syntax only.
  assert.deepEqual(await check("db.query('select * from users where lenght(name) > 0'); db.query('select from where')", defaultConfig(), '/ws/lib/c.ts', {}), ['syntax-error 0:78 syntax error at or near "where"']);
});

function byPosition(a: string, b: string): number {
  const pos = (s: string) => s.split(' ')[1]!.split(':').map(Number) as [number, number];
  const [la, ca] = pos(a), [lb, cb] = pos(b);
  return la - lb || ca - cb;
}

test('SQL in code: pg_catalog relations are known, and what code creates is known to the queries (in code and in .sql files)', async () => {
  assert.deepEqual(await check("db.query('select * from pg_stat_activity, pg_indexes where datname = current_database()')", defaultConfig(), '/ws/src/a.ts'), []);
  assert.deepEqual(await check('select relname from pg_class;'), []);
  const setup = '/ws/test/setup.ts';
  await ensureParser();
  const analyzer = new Analyzer({ config: defaultConfig() });
  analyzer.setFile('/ws/supabase/migrations/001.sql', SCHEMA['/ws/supabase/migrations/001.sql']!);
  analyzer.setOrder(['/ws/supabase/migrations/001.sql']);
  analyzer.setQueryFiles(['/ws/queries/audit.sql']);
  analyzer.setFile('/ws/queries/audit.sql', 'select note from audit;\n');
  analyzer.setFile(setup, "await db.query('drop table if exists orgs; create table audit (note text); insert into audit values (1)');\n");
  const unknown = () => analyzer.findings().filter((f) => f.rule === 'unknown-reference').map((f) => `${f.file} ${f.message}`);
  assert.deepEqual(unknown(), []);
  analyzer.setFile(setup, "await db.query('create table audits (note text)');\n");
  assert.deepEqual(unknown(), ['/ws/queries/audit.sql Relation "audit" does not exist in the schema the migrations build; did you mean "audits"?']);
  assert.deepEqual(analyzer.findingsFor('/ws/queries/audit.sql').map((f) => f.rule), ['unknown-reference']);
  assert.ok(analyzer.model().tables.has('public.orgs') && !analyzer.model().tables.has('public.audits'), 'the rules\' model is the SQL files\' alone');
});

test('a Project reads its TypeScript files with the rest: node_modules and dist skipped, an edit on disk seen by the next analysis', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dbe-code-project-'));
  try {
    for (const d of ['supabase/migrations', 'src', 'node_modules/x', 'dist']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'supabase/migrations/001.sql'), SCHEMA['/ws/supabase/migrations/001.sql']!);
    writeFileSync(join(root, 'src/a.ts'), "db.query('select name from orgs')\n");
    writeFileSync(join(root, 'node_modules/x/i.js'), "db.query('select nope from orgs')\n");
    writeFileSync(join(root, 'dist/o.js'), "db.query('select nope from orgs')\n");
    const project = new Project({ root });
    const unknown = async () => (await project.analysis()).analyzer.findings().filter((f) => f.rule === 'unknown-reference').map((f) => `${f.file.slice(root.length + 1)} ${f.message}`);
    assert.deepEqual(project.files().code, [join(root, 'src/a.ts')]);
    assert.deepEqual(await unknown(), []);
    writeFileSync(join(root, 'src/a.ts'), "db.query('select nam from orgs')\n");
    assert.deepEqual(await unknown(), ['src/a.ts Column "nam" does not exist in "orgs"; did you mean "name"?']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
