import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, parseSync } from 'libpg-query';
import { unsafeCalls, writesForConsent } from '../../../src/core/security/sideEffects';
import { classifyQuery } from '../../../src/core/tools';

before(() => loadModule());

const tree = (sql: string) => parseSync(sql).stmts?.[0]?.stmt;
const refused = (sql: string) => unsafeCalls(tree(sql)).map((c) => c.name);

test('functions with effects outside the transaction are found anywhere in the tree', () => {
  const cases: [string, string][] = [
    ["select pg_read_file('/etc/passwd')", 'pg_read_file'],
    ["select pg_catalog.pg_read_binary_file('.env')", 'pg_catalog.pg_read_binary_file'],
    ["select * from pg_ls_dir('.')", 'pg_ls_dir'],
    ["select pg_stat_file('postgresql.conf')", 'pg_stat_file'],
    ["select lo_import('/etc/passwd')", 'lo_import'],
    ['select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid()', 'pg_terminate_backend'],
    ['select 1 where exists (select pg_cancel_backend(42))', 'pg_cancel_backend'],
    ['select pg_advisory_lock(72707369)', 'pg_advisory_lock'],
    ['select pg_try_advisory_xact_lock(1)', 'pg_try_advisory_xact_lock'],
    ["select pg_create_logical_replication_slot('s', 'test_decoding')", 'pg_create_logical_replication_slot'],
    ["select * from pg_create_physical_replication_slot('p')", 'pg_create_physical_replication_slot'],
    ["select pg_logical_emit_message(false, 'x', 'y')", 'pg_logical_emit_message'],
    ['select pg_switch_wal()', 'pg_switch_wal'],
    ['select pg_reload_conf()', 'pg_reload_conf'],
    ['select pg_rotate_logfile()', 'pg_rotate_logfile'],
    ['select pg_stat_reset()', 'pg_stat_reset'],
    ['select pg_stat_reset_shared(\'bgwriter\')', 'pg_stat_reset_shared'],
    ["with s as (select nextval('s') as v) select v from s", 'nextval'],
    ["select coalesce(setval('s', 5000), 0)", 'setval'],
    ["select * from dblink('dbname=x', 'delete from t') as t(x int)", 'dblink'],
    ["select dblink_exec('dbname=x', 'delete from t')", 'dblink_exec'],
    ["select (select query_to_xml('select pg_read_file(''x'')', true, true, ''))", 'query_to_xml'],
    ["select * from t, lateral (select pg_sleep(0), nextval('s')) x", 'nextval'],
    ["select f(g(h(pg_read_file('x'))))", 'pg_read_file'],
    ["explain analyze select setval('s', 1)", 'setval'],
    ["select set_config('x.y', 'z', false)", 'set_config'],
    ["select set_config('x.y', 'z', 'f')", 'set_config'],
    ["select set_config('role', 'postgres', true)", 'set_config'],
    ["select set_config('default_transaction_read_only', 'off', true)", 'set_config'],
    ["select set_config(current_user, 'z', true)", 'set_config'],
  ];
  for (const [sql, name] of cases) assert.ok(refused(sql).includes(name), `${sql} → ${JSON.stringify(refused(sql))}`);
});

test('reading functions and transaction-local settings pass', () => {
  for (const sql of [
    'select count(*), now(), current_setting(\'server_version\') from pg_stat_activity',
    "select set_config('request.jwt.claims', '{}', true)",
    "select set_config('app.tenant', '1', 'true'::boolean)",
    "select currval('s'), lastval()",
    'select pg_sleep(0.01)',
    'select * from generate_series(1, 3) g join lateral (select g * 2) x on true',
    "select nextval_count from stats where name = 'nextval'",
  ]) assert.deepEqual(refused(sql), [], sql);
});

test('SELECT … INTO and FOR UPDATE/SHARE count as writes for consent', () => {
  assert.ok(writesForConsent(tree('select * into t2 from t')));
  assert.ok(writesForConsent(tree('select * from t for update')));
  assert.ok(writesForConsent(tree('select * from t for key share')));
  assert.ok(writesForConsent(tree('with d as (delete from t returning *) select * from d')));
  assert.ok(!writesForConsent(tree('select * from t join u using (id)')));
});

test('run_query refuses them with a message naming each call and why', async () => {
  const v = await classifyQuery("select pg_read_file('/etc/passwd'), nextval('s')");
  assert.equal(v.ok, false);
  assert.match((v as { message: string }).message, /pg_read_file\(\) reads or writes the server's files; nextval\(\) moves a sequence/);
  assert.equal((await classifyQuery('select 1')).ok, true);
});
