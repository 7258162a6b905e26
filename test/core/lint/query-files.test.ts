import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from './lint-helpers';
import { lintQueryFiles } from '../../../src/core/lint/queryFiles';
import { defaultConfig } from '../../../src/core/analysis';

const SCHEMA = {
  '/ws/supabase/migrations/001.sql': `create table public.orgs (id bigint primary key, name text);
create table public.members (org_id bigint references public.orgs (id), user_id uuid, role text);
create function public.is_admin(org bigint) returns boolean language sql stable as $$ select true $$;`,
};

async function check(sql: string, config = defaultConfig()) {
  const { analyzer } = await lint(SCHEMA);
  return (await lintQueryFiles([{ path: '/ws/queries/q.sql', text: sql }], analyzer.model(), config)).map((f) => `${f.rule} ${f.range.start.line}:${f.range.start.column} ${f.message}`);
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
