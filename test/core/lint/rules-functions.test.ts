import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, ruleFindings } from './lint-helpers';
import { mayHaveReferenceProblems } from '../../../src/core/lint/references';

const M = (name: string) => `supabase/migrations/${name}.sql`;
const TABLES = `create table public.profiles (id uuid primary key, name text, email text);
create table public.documents (id bigint primary key, owner_id uuid, title text);`;
const fn = (body: string, opts = 'security definer') =>
  ({ [M('001_tables')]: TABLES, [M('002_fn')]: `create function public.f(tbl text, id_value text) returns void language plpgsql ${opts} as $$\ndeclare q text;\nbegin\n${body}\nend $$;` });

test('security-definer-dynamic-sql: a parameter concatenated into EXECUTE is flagged at the parameter; format %I and USING are not', async () => {
  const f = await ruleFindings('security-definer-dynamic-sql', fn("  execute 'delete from ' || tbl || ' where id = ' || id_value;"));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'error');
  assert.deepEqual(f[0]!.range.start, { line: 3, column: 28 });
  assert.match(f[0]!.message, /parameter "tbl"/);
  // Through a variable.
  const via = await ruleFindings('security-definer-dynamic-sql', fn("  q := 'select * from ' || tbl;\n  execute q;"));
  assert.equal(via.length, 1);
  assert.match(via[0]!.message, /"q" \(from parameter "tbl"\)/);
  assert.equal(via[0]!.range.start.line, 4);
  for (const quiet of [
    "  execute format('delete from %I where id = $1', tbl) using id_value;",
    "  q := format('select * from %I', tbl);\n  execute q using id_value;",
    "  execute 'select * from ' || quote_ident(tbl) || ' where id = ' || quote_literal(id_value);",
    "  execute 'select count(*) from public.documents';",
  ]) assert.equal((await ruleFindings('security-definer-dynamic-sql', fn(quiet))).length, 0, quiet);
  assert.equal((await ruleFindings('security-definer-dynamic-sql', fn("  execute format('delete from %s', tbl);"))).length, 1);
  // SECURITY INVOKER functions run with the caller's rights: not this rule's business.
  assert.equal((await ruleFindings('security-definer-dynamic-sql', fn("  execute 'delete from ' || tbl;", ''))).length, 0);
});

test('security-definer-unqualified-reference: names without a schema in a definer body with a mutable search_path', async () => {
  const f = await ruleFindings('security-definer-unqualified-reference', fn('  perform count(*) from documents where owner_id = auth.uid();'));
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /"documents"/);
  assert.deepEqual(f[0]!.range.start, { line: 3, column: 24 });
  assert.equal((await ruleFindings('security-definer-unqualified-reference', fn('  perform count(*) from documents;', "security definer set search_path = ''"))).length, 0);
  assert.equal((await ruleFindings('security-definer-unqualified-reference', fn('  perform count(*) from public.documents;'))).length, 0);
  const sql = { [M('001_tables')]: TABLES, [M('002_fn')]: 'create function public.n() returns bigint language sql security definer as $$ select count(*) from documents $$;' };
  assert.equal((await ruleFindings('security-definer-unqualified-reference', sql)).length, 1);
});

test('function-body-unknown-reference: tables and columns the migrations never create, with did-you-mean', async () => {
  const f = await ruleFindings('function-body-unknown-reference', fn(
    "  update profiles set nam = 'x' where id = id_value::uuid;\n  insert into public.profile (id) values (null);\n  select d.titel into q from public.documents d;",
    "security definer set search_path = ''"));
  assert.deepEqual(f.map((x) => [x.range.start.line, x.message.replace(/^In function public\.f: /, '')]), [
    [3, 'Column "nam" does not exist in "profiles"; did you mean "name"?'],
    [4, 'Relation "public.profile" does not exist in the schema the migrations build; did you mean "profiles"?'],
    [5, 'Column "titel" does not exist in "d"; did you mean "title"?'],
  ]);
  // Variables, CTEs, auth.* and columns of a later migration's rename are fine.
  const ok = await ruleFindings('function-body-unknown-reference', { ...fn(
    "  with x as (select 1 as n) select n into q from x;\n  perform 1 from auth.users;\n  update public.documents set title = tbl where owner_id = auth.uid() and id = id_value::bigint;"), [M('003_rename')]: 'select 1;' });
  assert.deepEqual(ok.map((x) => x.message), []);
  const after = await lint({ ...fn('  update public.documents set heading = tbl;'), [M('003_rename')]: 'alter table public.documents rename column title to heading;' });
  assert.deepEqual(after.findings.filter((x) => x.rule === 'function-body-unknown-reference'), []);
});

test('function-body-unknown-reference: bodies that name no table and no schema of ours are not parsed, and nothing they hold is missed', async () => {
  const model = { schemas: new Set(['public', 'Billing']) };
  for (const quiet of ['begin new.updated_at := now(); return new; end', 'begin raise notice \'%\', auth.uid(); end', 'select 1'])
    assert.equal(mayHaveReferenceProblems(quiet, model), false, quiet);
  for (const names of ['perform 1 FROM t', 'insert into t values (1)', 'update t set a = 1', 'table t', 'begin perform public.f(); end', 'select "billing".f()', 'select U&"\\0070ublic".f()'])
    assert.equal(mayHaveReferenceProblems(names, model), true, names);
  // A call into a schema the migrations own, in a statement with no FROM: still parsed and checked.
  const f = await ruleFindings('function-body-unknown-reference', fn('  for q in select public.no_such_fn() loop end loop;'));
  assert.deepEqual(f.map((x) => x.message), ['In function public.f: Function public.no_such_fn() is not created by any migration.']);
});
