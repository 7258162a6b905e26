import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres, freePort, type TestPostgres } from '../../support/postgres';
import { connect, testConnection, type LiveConnection } from '../../../src/core/db/connect';
import { ConnectError } from '../../../src/core/db/errors';
import { explain, ExplainError } from '../../../src/core/db/explain';
import { liveTarget } from '../../../src/core/db/explainTarget';
import { applySql } from '../../../src/core/db/embedded';
import { SUPABASE_BOOTSTRAP_SQL } from '../../../src/core/db/supabaseBootstrap';
import type { ConnectionProfile } from '../../../src/core/db/profile';

let pg: TestPostgres;
let conn: LiveConnection;
const alice = '11111111-1111-1111-1111-111111111111';
const bob = '22222222-2222-2222-2222-222222222222';

const profile = (over: Partial<ConnectionProfile> = {}): ConnectionProfile =>
  ({ id: 'test', name: 'test', host: pg.host, port: pg.port, database: pg.database, user: pg.user, ...over });

before(async () => {
  pg = await startPostgres();
  // Supabase basics plus a table with an owner policy, the way a Supabase project would have them.
  const admin = await pg.superuser(pg.database);
  try {
    const issues: { file: string; line: number; message: string }[] = [];
    await applySql((sql) => admin.query(sql), '<bootstrap>', SUPABASE_BOOTSTRAP_SQL, issues);
    assert.deepEqual(issues, []);
    await admin.query(`grant anon, authenticated, service_role to ${pg.user}`);
  } finally {
    await admin.end();
  }
  conn = await connect(profile(), { password: pg.password, readOnlyPolicy: 'never' });
  await conn.client.query(`
    create table todos (id int primary key, owner uuid not null, title text not null);
    insert into todos select g, case when g % 4 = 0 then '${alice}'::uuid else '${bob}'::uuid end, 'todo ' || g from generate_series(1, 200) g;
    alter table todos enable row level security;
    create policy own_todos on todos for select to authenticated using (owner = auth.uid());
    grant select, insert, update, delete on todos to authenticated, anon;
    create table audit (note text);
    create function touch(x int) returns int language plpgsql as $$ begin insert into audit values ('seen ' || x); return x; end $$;
    analyze todos;`);
});

after(async () => {
  await conn?.close();
  pg?.stop();
});

test('connects and reports the server version', async () => {
  const r = await testConnection(profile(), { password: pg.password });
  assert.match(r.serverVersion, /^15\./);
  assert.equal(r.target, `127.0.0.1:${pg.port}/${pg.database}`);
});

async function failure(p: ConnectionProfile, password?: string): Promise<ConnectError> {
  try {
    await testConnection(p, { password, connectTimeoutMs: 3000 });
  } catch (err) {
    assert.ok(err instanceof ConnectError, `expected ConnectError, got ${err}`);
    return err;
  }
  assert.fail('connection should have failed');
}

test('a refused port names host:port and what to do', async () => {
  const port = await freePort();
  const e = await failure(profile({ port }), pg.password);
  assert.equal(e.kind, 'refused');
  assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  assert.match(e.message, /Start the server/);
});

test('a wrong password is an auth failure that never shows the password', async () => {
  const wrong = 'Wr0ngPassw0rd-xyz';
  const e = await failure(profile(), wrong);
  assert.equal(e.kind, 'auth');
  assert.equal(e.code, '28P01');
  assert.match(e.message, new RegExp(`user "${pg.user}"`));
  assert.ok(!e.message.includes(wrong) && !e.message.includes(pg.password));
  // The same through a URL carrying the password.
  const e2 = await failure({ id: 'u', name: 'u', url: `postgres://${pg.user}:${wrong}@127.0.0.1:${pg.port}/${pg.database}` });
  assert.equal(e2.kind, 'auth');
  assert.ok(!e2.message.includes(wrong));
});

test('a missing database says which and where', async () => {
  const e = await failure(profile({ database: 'no_such_db' }), pg.password);
  assert.equal(e.kind, 'no-database');
  assert.match(e.message, /"no_such_db" does not exist on 127\.0\.0\.1:\d+/);
});

test('a server without SSL, asked for SSL, says so', async () => {
  const e = await failure(profile({ sslmode: 'require' }), pg.password);
  assert.equal(e.kind, 'ssl-unsupported');
  assert.match(e.message, /sslmode=disable/);
});

test('a server that accepts but never answers times out with a specific message', async () => {
  // A real socket that takes the connection and stays silent, like a firewalled pooler.
  const { createServer } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const silent = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as import('node:net').AddressInfo).port;
  try {
    const err = await testConnection(profile({ port }), { password: pg.password, connectTimeoutMs: 300 }).catch((e: unknown) => e);
    assert.ok(err instanceof ConnectError);
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, new RegExp(`Connecting to 127\\.0\\.0\\.1:${port} timed out`));
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('DNS failure names the host', async () => {
  const e = await failure(profile({ host: 'no-such-host.invalid' }), pg.password);
  assert.equal(e.kind, 'dns');
  assert.match(e.message, /no-such-host\.invalid/);
});

test('read-only mode refuses a write on a live connection', async () => {
  const ro = await connect(profile(), { password: pg.password, readOnlyPolicy: 'always' });
  try {
    assert.equal(ro.readOnly, true);
    await assert.rejects(ro.client.query('insert into audit values ($1)', ['x']), /read-only transaction/);
    const r = await ro.client.query('select count(*)::int n from todos');
    assert.equal(r.rows[0].n, 200);
    // EXPLAIN without ANALYZE of a write is fine; with ANALYZE it is refused before running.
    const plain = await explain(liveTarget(ro), { query: 'delete from todos where id = 1' });
    assert.equal(plain.analyzed, false);
    await assert.rejects(explain(liveTarget(ro), { query: 'delete from todos where id = 1', analyze: true }),
      (e: unknown) => e instanceof ExplainError && e.kind === 'read-only');
  } finally {
    await ro.close();
  }
});

test('EXPLAIN without and with ANALYZE returns the JSON plan', async () => {
  const target = liveTarget(conn);
  const plain = await explain(target, { query: 'select * from todos where id = 5;' });
  assert.equal(plain.database, 'live');
  assert.equal(plain.analyzed, false);
  const root = (plain.plan[0] as { Plan: Record<string, unknown> }).Plan;
  assert.equal(root['Relation Name'], 'todos');
  assert.equal(root['Plan Rows'], 1);
  assert.ok(!('Actual Rows' in root));
  assert.ok('Settings' in (plain.plan[0] as object));
  const analyzed = await explain(target, { query: 'select * from todos where title like $1', params: ['todo 1%'], analyze: true });
  const aroot = (analyzed.plan[0] as { Plan: Record<string, unknown> }).Plan;
  assert.equal(aroot['Actual Rows'], 111); // todo 1, 10-19, 100-199
  assert.ok('Shared Hit Blocks' in aroot);
});

test('EXPLAIN ANALYZE of DELETE/UPDATE/INSERT and of a writing function changes nothing', async () => {
  const target = liveTarget(conn);
  const count = async (sql: string) => (await conn.client.query(sql)).rows[0].n as number;
  const before = [await count('select count(*)::int n from todos'), await count(`select count(*)::int n from todos where title = 'x'`)];
  for (const query of ['delete from todos', `update todos set title = 'x'`, `insert into todos select g + 1000, '${alice}', 'x' from generate_series(1, 50) g`]) {
    const r = await explain(target, { query, analyze: true });
    assert.equal(r.analyzed, true);
    assert.ok(r.notes.some((n) => /no rows were changed/.test(n)), query);
  }
  const viaFunction = await explain(target, { query: 'select touch(id) from todos where id < 10', analyze: true });
  assert.equal((viaFunction.plan[0] as { Plan: Record<string, unknown> }).Plan['Actual Rows'], 9);
  assert.deepEqual([await count('select count(*)::int n from todos'), await count(`select count(*)::int n from todos where title = 'x'`)], before);
  assert.equal(await count('select count(*)::int n from audit'), 0, 'the function\'s insert was rolled back');
});

test('run as: RLS gives two users different actual row counts; unknown roles are named', async () => {
  const target = liveTarget(conn);
  const rows = async (sub: string) => {
    const r = await explain(target, { query: 'select * from todos', analyze: true, runAs: { role: 'authenticated', claims: { sub, role: 'authenticated' } } });
    return (r.plan[0] as { Plan: Record<string, unknown> }).Plan['Actual Rows'];
  };
  assert.equal(await rows(alice), 50);
  assert.equal(await rows(bob), 150);
  const owner = await explain(target, { query: 'select * from todos', analyze: true });
  assert.equal((owner.plan[0] as { Plan: Record<string, unknown> }).Plan['Actual Rows'], 200);
  await assert.rejects(explain(target, { query: 'select 1', runAs: { role: 'nobody_here' } }),
    (e: unknown) => e instanceof ExplainError && e.kind === 'unknown-role' && /"nobody_here" does not exist/.test(e.message) && /authenticated/.test(e.message));
  // A role that exists but this user is not a member of.
  await assert.rejects(explain(target, { query: 'select 1', runAs: { role: 'supabase_admin' } }),
    (e: unknown) => e instanceof ExplainError && e.kind === 'permission' && /may not run as "supabase_admin"/.test(e.message));
  // The session is back to normal afterwards (SET LOCAL ended with the rollback).
  assert.equal((await conn.client.query('select current_user u')).rows[0].u, pg.user);
});

test('parameters: $n and :name are bound; missing ones are listed; placeholders in strings are ignored', async () => {
  const target = liveTarget(conn);
  const r = await explain(target, { query: `select * from todos where owner = :owner and id > $1 and title <> ':nope $9'`, params: { 1: 10, owner: alice }, analyze: true });
  assert.equal(r.query, `select * from todos where owner = $2 and id > $1 and title <> ':nope $9'`);
  assert.equal((r.plan[0] as { Plan: Record<string, unknown> }).Plan['Actual Rows'], 48);
  await assert.rejects(explain(target, { query: 'select * from todos where id = $1 and owner = :who -- :ignored', params: {} }),
    (e: unknown) => e instanceof ExplainError && e.kind === 'missing-params' && JSON.stringify(e.details.missing) === JSON.stringify(['$1', ':who']));
});

test('a generic plan on PostgreSQL 15 is refused with the version it needs', async () => {
  await assert.rejects(explain(liveTarget(conn), { query: 'select * from todos where id = $1', genericPlan: true }),
    (e: unknown) => e instanceof ExplainError && /PostgreSQL 16 or later; .* runs 15/.test(e.message));
});

test('statements that cannot run in a transaction block or cannot be explained are refused without running', async () => {
  const target = liveTarget(conn);
  for (const [query, pattern] of [
    ['vacuum todos', /VACUUM.*cannot run inside a transaction block/],
    ['create index concurrently todos_title on todos (title)', /CREATE INDEX CONCURRENTLY/],
    ['create table t2 (a int)', /CREATE TABLE statements cannot be explained/],
    ['select 1; select 2', /2 statements/],
  ] as const) {
    await assert.rejects(explain(target, { query, analyze: true }), (e: unknown) => e instanceof ExplainError && pattern.test(e.message), query);
  }
  const idx = await conn.client.query(`select count(*)::int n from pg_indexes where indexname = 'todos_title'`);
  assert.equal(idx.rows[0].n, 0);
});

test('a statement timeout stops a long ANALYZE and says so; an abort signal cancels', async () => {
  const target = liveTarget(conn);
  await assert.rejects(explain(target, { query: 'select pg_sleep(5)', analyze: true, statementTimeoutMs: 200 }),
    (e: unknown) => e instanceof ExplainError && e.kind === 'timeout' && /200 ms/.test(e.message));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  await assert.rejects(explain(target, { query: 'select pg_sleep(5)', analyze: true, signal: ac.signal }),
    (e: unknown) => e instanceof ExplainError && e.kind === 'cancelled');
  assert.equal((await conn.client.query('select 1 as one')).rows[0].one, 1, 'the connection is usable afterwards');
});
