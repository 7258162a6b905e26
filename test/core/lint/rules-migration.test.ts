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

test('concurrent-index-in-transaction follows the migration tool and the file\'s BEGIN/COMMIT', async () => {
  const R = 'concurrent-index-in-transaction';
  assert.equal((await ruleFindings(R, later('begin;\ncreate index concurrently on docs (owner_id);\ncommit;'))).length, 1);
  // Supabase CLI (from the supabase/migrations layout) runs a multi-statement file as one transaction.
  assert.equal((await ruleFindings(R, later("set lock_timeout = '5s';\ncreate index concurrently on docs (owner_id);"))).length, 1);
  assert.equal((await ruleFindings(R, later('create index concurrently on docs (owner_id);'))).length, 0);
  // A batch keeps running in an (implicit) transaction after COMMIT; a wrapping runner's transaction ends there.
  assert.equal((await ruleFindings(R, later('begin; commit;\ndrop index concurrently if exists x;'))).length, 1);
  const plain = { '/ws/db/001.sql': INIT, '/ws/db/002.sql': 'begin; commit;\ndrop index concurrently if exists x;' };
  assert.equal((await ruleFindings(R, plain, { assumeInTransaction: true })).length, 0);
  assert.equal((await ruleFindings(R, plain, { transactional: true })).length, 0);
  assert.equal((await ruleFindings(R, { '/ws/db/002.sql': 'create index concurrently on docs (owner_id);' }, { assumeInTransaction: true })).length, 1);
  assert.equal((await ruleFindings(R, { '/ws/db/002.sql': 'create index concurrently on docs (owner_id);' }, { migrationTool: 'node-pg-migrate' })).length, 1);
  // psql runs statement by statement; dbmate's per-file opt-out is honoured.
  assert.equal((await ruleFindings(R, { '/ws/db/002.sql': 'select 1;\ncreate index concurrently on docs (owner_id);' })).length, 0);
  assert.equal((await ruleFindings(R, { '/ws/db/002.sql': '-- migrate:up\nselect 1;\ncreate index concurrently on docs (owner_id);' })).length, 1);
  assert.equal((await ruleFindings(R, { '/ws/db/002.sql': '-- migrate:up transaction:false\nselect 1;\ncreate index concurrently on docs (owner_id);' })).length, 0);
  // "transactional": false overrides the tool.
  assert.equal((await ruleFindings(R, later("select 1;\ncreate index concurrently on docs (owner_id);"), { transactional: false })).length, 0);
});

test('constraint-missing-not-valid: FK/CHECK on an existing table without NOT VALID; fix adds NOT VALID + VALIDATE', async () => {
  const sql = 'alter table docs add constraint docs_owner_fk foreign key (owner_id) references profiles (id);';
  const f = await ruleFindings('constraint-missing-not-valid', later(sql));
  assert.equal(f.length, 1);
  const fixed = applyEdits(sql, f[0]!.fixes[0]!.edits[0]!.edits);
  // The Supabase CLI runs a file as one transaction: the VALIDATE goes into the next migration.
  assert.equal(fixed, 'alter table docs add constraint docs_owner_fk foreign key (owner_id) references profiles (id) not valid;');
  assert.deepEqual(f[0]!.fixes[0]!.create, [{ file: '/ws/supabase/migrations/002_change.sql'.replace('002_change', '003_validate_docs_owner_fk'), content: 'alter table docs validate constraint docs_owner_fk;\n' }]);
  assert.equal((await ruleFindings('constraint-missing-not-valid', later(fixed))).length, 0);
  // NOT VALID then VALIDATE in the same transaction: the ADD's lock is held through the scan.
  const same = await ruleFindings('constraint-missing-not-valid', later(fixed + '\nalter table docs validate constraint docs_owner_fk;'));
  assert.equal(same.length, 1);
  assert.match(same[0]!.message, /VALIDATE CONSTRAINT "docs_owner_fk" runs in the one transaction the Supabase CLI/);
  assert.equal(same[0]!.range.start.line, 1);
  assert.equal(same[0]!.fixes[0]!.create![0]!.content, 'alter table docs validate constraint docs_owner_fk;\n');
  // Outside a transaction (psql) the in-place fix is right.
  const psql = await ruleFindings('constraint-missing-not-valid', { '/ws/db/001.sql': INIT, '/ws/db/002.sql': sql });
  assert.equal(applyEdits(sql, psql[0]!.fixes[0]!.edits[0]!.edits), 'alter table docs add constraint docs_owner_fk foreign key (owner_id) references profiles (id) not valid;\n\nalter table docs validate constraint docs_owner_fk;\n');
  assert.equal((await ruleFindings('constraint-missing-not-valid', { '/ws/db/001.sql': INIT, '/ws/db/002.sql': 'begin;\n' + applyEdits(sql, psql[0]!.fixes[0]!.edits[0]!.edits) + 'commit;' })).length, 1);
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
  // serial is an implicit nextval() default.
  for (const t of ['serial', 'bigserial', 'smallserial', 'serial8']) assert.equal((await ruleFindings('volatile-default-rewrite', later(`alter table docs add column n ${t};`))).length, 1, t);
  assert.equal((await ruleFindings('volatile-default-rewrite', INIT + '\nalter table docs add column n serial;')).length, 0);
  // Functions are VOLATILE unless declared otherwise; unknown functions are assumed volatile.
  const fn = (decl: string) => ({ [M('000_fn')]: `create function public.myjsonb() returns jsonb language sql ${decl} as $$ select '{}'::jsonb $$;`, [M('001_init')]: INIT, [M('002_change')]: 'alter table docs add column meta jsonb default public.myjsonb();' });
  assert.equal((await ruleFindings('volatile-default-rewrite', fn(''))).length, 1);
  assert.equal((await ruleFindings('volatile-default-rewrite', fn('volatile'))).length, 1);
  assert.equal((await ruleFindings('volatile-default-rewrite', fn('stable'))).length, 0);
  assert.equal((await ruleFindings('volatile-default-rewrite', fn('immutable'))).length, 0);
  assert.equal((await ruleFindings('volatile-default-rewrite', later('alter table docs add column u uuid default uuid();'))).length, 1);
  assert.equal((await ruleFindings('volatile-default-rewrite', later("alter table docs add column s text default lower('X');"))).length, 0);
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
  assert.equal(big!.length, 1); // the serial key; n and ref are not keys
  assert.match(applyEdits(sql, big![0]!.fixes[0]!.edits[0]!.edits), /id bigint generated by default as identity primary key/);
  assert.equal(ident!.length, 0); // the serial key is prefer-bigint-id's
  const bigSerial = await ruleFindings('prefer-identity', 'create table t (id bigserial primary key, n serial);');
  assert.equal(bigSerial.length, 2);
  assert.match(applyEdits('create table t (id bigserial primary key, n serial);', bigSerial[0]!.fixes[0]!.edits[0]!.edits), /id bigint generated by default as identity primary key/);
  const ids = await ruleFindings('prefer-bigint-id', 'create table a (id integer primary key); create table b (k smallint, primary key (k)); create table c (id bigint primary key); create table d (id serial4 primary key); create table e (id smallserial primary key); create table f (id bigserial primary key);');
  assert.equal(ids.length, 4);
  assert.equal((await ruleFindings('prefer-timestamptz', later('alter table docs add column seen timestamp;'))).length, 1);
});
