import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOptimizableQuery, sameQuery, withOriginalEnding, indexMigrationName } from '../../../src/core/assist/optimize';

test('Optimize is offered on queries only, never on DDL', () => {
  for (const q of ['select 1', '  SELECT * from t;', '-- mine\nselect 1', '(select 1) union (select 2)', 'with x as (select 1) delete from t',
    'insert into t values (1)', 'update t set a = 1', 'delete from t', 'merge into t using s on true when matched then delete', '/* c */ select 1']) {
    assert.ok(isOptimizableQuery(q), q);
  }
  for (const q of ['create policy p on t using (true);', 'create table t (id int);', 'alter table t add column a int', 'create index i on t (a)', 'grant select on t to anon', '', '-- select 1']) {
    assert.ok(!isOptimizableQuery(q), q);
  }
});

test('a rewrite that only adds a semicolon or spaces is no rewrite, and the rewrite keeps the original ending', () => {
  assert.ok(sameQuery('select a from t', 'select a from t;'));
  assert.ok(sameQuery('select a from t;\n', 'select a from t;;  '));
  assert.ok(sameQuery('select a  \nfrom t', 'select a\nfrom t'));
  assert.ok(!sameQuery('select a from t', 'select a from t where b'));
  assert.equal(withOriginalEnding('select a from t;', 'select a from t where b;'), 'select a from t where b;', 'no ;;');
  assert.equal(withOriginalEnding('select a from t', 'select a from t where b;\n'), 'select a from t where b');
  assert.equal(withOriginalEnding('select 1;\n', 'select 2'), 'select 2;\n');
});

test('index migrations get names a person would write', () => {
  assert.equal(indexMigrationName('create index concurrently if not exists documents_owner_id_idx on public.documents (owner_id);'), 'index_documents_owner_id');
  assert.equal(indexMigrationName('CREATE INDEX ON "orders" USING btree (customer_id, created_at DESC);'), 'index_orders_customer_id_created_at');
  assert.equal(indexMigrationName('create index a on t1 (x); create index b on t2 (y);'), 'indexes_t1_t2');
  assert.equal(indexMigrationName('-- nothing here'), 'add_indexes');
});
