import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureParser, parseFile, ParseCache } from '../../../src/core/sql/parse';
import { buildModel } from '../../../src/core/schema/build';

before(() => ensureParser());

const model = (...files: string[]) => {
  const cache = new ParseCache();
  return buildModel(files.map((t, i) => parseFile(`/m/${i}.sql`, t, cache)));
};

test('tables, columns, constraints and implicit indexes; quoted and qualified names resolve', () => {
  const m = model(`
    create schema app;
    create table "App Users" (id bigint generated always as identity primary key, email text not null unique);
    create table app.orders (id uuid primary key default gen_random_uuid(), user_id bigint references "App Users"(id) on delete cascade, note varchar(20));
  `);
  const users = m.tables.get('public.App Users')!;
  assert.ok(users);
  assert.equal(users.columns.get('id')!.identity, 'always');
  assert.equal(users.columns.get('email')!.notNull, true);
  const orders = m.tables.get('app.orders')!;
  assert.equal(orders.columns.get('note')!.type.name, 'varchar');
  assert.deepEqual(orders.columns.get('note')!.type.mods, [20]);
  const fk = orders.constraints.find((c) => c.kind === 'foreign')!;
  assert.equal(fk.refTable, 'public.App Users');
  assert.deepEqual(fk.columns, ['user_id']);
  assert.ok(m.indexes.get('public.App Users_pkey'));
  assert.ok(m.schemas.has('app'));
});

test('later migrations alter, rename and drop; each object remembers its file', () => {
  const m = model(
    'create table t (id int primary key, a text, b text); create index t_a_idx on t (a);',
    'alter table t add column c int not null default 0, drop column b; alter table t rename column a to aa; alter table t rename to t2; alter table t2 alter column c type bigint;',
    'drop index t_a_idx; create table gone (id int); drop table gone;',
  );
  const t = m.tables.get('public.t2')!;
  assert.deepEqual([...t.columns.keys()], ['id', 'aa', 'c']);
  assert.equal(t.columns.get('c')!.type.name, 'int8');
  assert.equal(t.origin.file, '/m/0.sql');
  assert.equal(t.changes.length, 4);
  assert.equal(m.indexes.has('public.t_a_idx'), false);
  assert.equal(m.tables.has('public.gone'), false);
  // Facts record the state before each statement.
  const renameFact = m.facts.find((f) => f.stmt.kind === 'RenameStmt' && f.stmt.node.renameType === 'OBJECT_TABLE')!;
  assert.equal(renameFact.tableState, 'existing');
  const dropFact = m.facts.find((f) => f.stmt.kind === 'DropStmt' && f.table === 'public.gone')!;
  assert.equal(dropFact.tableState, 'new');
});

test('RLS, policies (create, alter, drop), partitions', () => {
  const m = model(
    `create table p (id int, tenant int) partition by list (tenant);
     create table p1 partition of p for values in (1);
     create policy sel on p for select to authenticated using (tenant = 1);
     create policy ins on p as restrictive for insert with check (true);`,
    `alter table p enable row level security; alter table p force row level security;
     alter policy sel on p to anon, authenticated using (tenant = 2);
     drop policy ins on p;`,
  );
  const p = m.tables.get('public.p')!;
  assert.equal(p.rlsEnabled, true);
  assert.equal(p.rlsForced, true);
  assert.equal(p.partitioned, true);
  assert.equal(m.tables.get('public.p1')!.partitionOf, 'public.p');
  const pols = m.policies.get('public.p')!;
  assert.deepEqual(pols.map((x) => x.name), ['sel']);
  assert.deepEqual(pols[0]!.roles, ['anon', 'authenticated']);
  assert.equal(pols[0]!.using!.A_Expr.rexpr.A_Const.ival.ival, 2);
  assert.equal(pols[0]!.changedIn!.file, '/m/1.sql');
});

test('functions, views, grants', () => {
  const m = model(`
    create table d (id int primary key);
    create function public.f(x uuid) returns int language sql security definer as $$ select 1 $$;
    create or replace function g() returns trigger language plpgsql security definer set search_path = '' as $$ begin return new; end $$;
    create view v as select * from d join other.e on true;
    create view w with (security_invoker = true) as select 1;
    alter view v set (security_invoker = on);
    grant select on d to anon, authenticated;
  `);
  const f = m.functions.get('public.f(uuid)')!;
  assert.equal(f.securityDefiner, true);
  assert.equal(f.searchPath, undefined);
  const g = m.functions.get('public.g()')!;
  assert.equal(g.searchPath, '');
  assert.equal(g.returnsTrigger, true);
  assert.deepEqual(m.views.get('public.v')!.reads.sort(), ['other.e', 'public.d']);
  assert.equal(m.views.get('public.v')!.securityInvoker, true);
  assert.equal(m.views.get('public.w')!.securityInvoker, true);
  assert.deepEqual(m.grants[0]!.grantees, ['anon', 'authenticated']);
  assert.deepEqual(m.grants[0]!.objects, ['public.d']);
});

test('user-defined types: enums (with added values), composites, domains', () => {
  const m = model("create type public.status as enum ('draft', 'live'); alter type status add value 'archived'; create type pair as (a int, b text); create domain email as text check (value like '%@%');");
  assert.deepEqual(m.types.get('public.status')!.values, ['draft', 'live', 'archived']);
  assert.equal(m.types.get('public.pair')!.kind, 'composite');
  assert.equal(m.types.get('public.email')!.base!.name, 'text');
});
