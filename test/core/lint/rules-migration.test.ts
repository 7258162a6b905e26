import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFindings, applyEdits } from './lint-helpers';

const M = (name: string) => `supabase/migrations/${name}.sql`;
const INIT = 'create table docs (id bigint primary key, owner_id uuid, title text);';
const later = (sql: string) => ({ [M('001_init')]: INIT, [M('002_change')]: sql });

test('require-concurrent-index: fires on an older table with a fix; quiet right after CREATE TABLE in the same file', async () => {
  const sql = 'create index docs_owner_idx on docs (owner_id);';
  const f = await ruleFindings('require-concurrent-index', later(sql));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.file, '/ws/supabase/migrations/002_change.sql');
  assert.equal(applyEdits(sql, f[0]!.fixes[0]!.edits[0]!.edits), 'create index concurrently docs_owner_idx on docs (owner_id);');
  assert.equal((await ruleFindings('require-concurrent-index', INIT + '\ncreate index on docs (owner_id);')).length, 0);
  assert.equal((await ruleFindings('require-concurrent-index', later('create index concurrently on docs (owner_id);'))).length, 0);
  // A table no migration creates already exists in the database.
  assert.equal((await ruleFindings('require-concurrent-index', 'create unique index on auth.users (email);')).length, 1);
  // Quoted and qualified names resolve to the same table.
  assert.equal((await ruleFindings('require-concurrent-index', { [M('001')]: 'create table "Docs" (id bigint primary key);', [M('002')]: 'create index on public."Docs" (id);' })).length, 1);
});

test('concurrent-index-in-transaction fires inside BEGIN … COMMIT or with assumeInTransaction', async () => {
  assert.equal((await ruleFindings('concurrent-index-in-transaction', later('begin;\ncreate index concurrently on docs (owner_id);\ncommit;'))).length, 1);
  assert.equal((await ruleFindings('concurrent-index-in-transaction', later('begin; commit;\ndrop index concurrently if exists x;'))).length, 0);
  assert.equal((await ruleFindings('concurrent-index-in-transaction', later('create index concurrently on docs (owner_id);'))).length, 0);
  assert.equal((await ruleFindings('concurrent-index-in-transaction', later('create index concurrently on docs (owner_id);'), { assumeInTransaction: true })).length, 1);
});

test('constraint-missing-not-valid: FK/CHECK on an existing table without NOT VALID; fix adds NOT VALID + VALIDATE', async () => {
  const sql = 'alter table docs add constraint docs_owner_fk foreign key (owner_id) references profiles (id);';
  const f = await ruleFindings('constraint-missing-not-valid', later(sql));
  assert.equal(f.length, 1);
  const fixed = applyEdits(sql, f[0]!.fixes[0]!.edits[0]!.edits);
  assert.equal(fixed, 'alter table docs add constraint docs_owner_fk foreign key (owner_id) references profiles (id) not valid;\n\nalter table docs validate constraint docs_owner_fk;\n');
  assert.equal((await ruleFindings('constraint-missing-not-valid', later(fixed))).length, 0);
  assert.equal((await ruleFindings('constraint-missing-not-valid', later("alter table docs add constraint t check (title <> '');"))).length, 1);
  assert.equal((await ruleFindings('constraint-missing-not-valid', INIT + "\nalter table docs add constraint t check (title <> '');")).length, 0);
  assert.equal((await ruleFindings('constraint-missing-not-valid', later('alter table docs add constraint u unique (title);'))).length, 0);
});

test('adding-required-column: NOT NULL without default on an existing table only', async () => {
  assert.equal((await ruleFindings('adding-required-column', later('alter table docs add column slug text not null;'))).length, 1);
  assert.equal((await ruleFindings('adding-required-column', later("alter table docs add column slug text not null default '';"))).length, 0);
  assert.equal((await ruleFindings('adding-required-column', later('alter table docs add column n bigint generated always as identity;'))).length, 0);
  assert.equal((await ruleFindings('adding-required-column', later('alter table docs add column slug text;'))).length, 0);
  assert.equal((await ruleFindings('adding-required-column', INIT + '\nalter table docs add column slug text not null;')).length, 0);
});

test('volatile-default-rewrite: volatile defaults and stored generated columns; now() and constants are fine', async () => {
  assert.equal((await ruleFindings('volatile-default-rewrite', later('alter table docs add column public_id uuid default gen_random_uuid();'))).length, 1);
  assert.equal((await ruleFindings('volatile-default-rewrite', later("alter table docs add column t tsvector generated always as (to_tsvector('english', title)) stored;"))).length, 1);
  assert.equal((await ruleFindings('volatile-default-rewrite', later('alter table docs add column created_at timestamptz default now();'))).length, 0);
  assert.equal((await ruleFindings('volatile-default-rewrite', later("alter table docs add column status text default 'draft';"))).length, 0);
});

test('changing-column-type, ban-drop-column, ban-drop-table, renaming-column, renaming-table: existing tables only', async () => {
  const cases: [string, string][] = [
    ['changing-column-type', 'alter table docs alter column title type varchar(200);'],
    ['ban-drop-column', 'alter table docs drop column title;'],
    ['ban-drop-table', 'drop table docs;'],
    ['renaming-column', 'alter table docs rename column title to name;'],
    ['renaming-table', 'alter table docs rename to documents;'],
  ];
  for (const [rule, sql] of cases) {
    assert.equal((await ruleFindings(rule, later(sql))).length, 1, `${rule} should fire`);
    assert.equal((await ruleFindings(rule, `${INIT}\n${sql}`)).length, 0, `${rule} should not fire in the creating file`);
  }
  assert.equal((await ruleFindings('ban-drop-table', 'drop table if exists scratch;')).length, 0);
});

test('type preferences: timestamptz, text, bigint ids, identity — with fixes', async () => {
  const sql = 'create table t (id serial primary key, n int4, ref integer, at timestamp(3) without time zone, ok timestamptz, name varchar(40), code char(2), tag varchar);';
  const all = await Promise.all(['prefer-timestamptz', 'prefer-text', 'prefer-bigint-id', 'prefer-identity'].map((r) => ruleFindings(r, sql)));
  const [tz, txt, big, ident] = all;
  assert.equal(tz!.length, 1);
  assert.equal(applyEdits(sql, tz![0]!.fixes[0]!.edits[0]!.edits).includes('at timestamptz(3),'), true);
  assert.equal(txt!.length, 2);
  assert.equal(big!.length, 0); // serial is prefer-identity's; n and ref are not keys
  assert.equal(ident!.length, 1);
  assert.match(applyEdits(sql, ident![0]!.fixes[0]!.edits[0]!.edits), /id bigint generated by default as identity primary key/);
  const ids = await ruleFindings('prefer-bigint-id', 'create table a (id integer primary key); create table b (k smallint, primary key (k)); create table c (id bigint primary key);');
  assert.equal(ids.length, 2);
  assert.equal((await ruleFindings('prefer-timestamptz', later('alter table docs add column seen timestamp;'))).length, 1);
});
