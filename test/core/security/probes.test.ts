/**
 * The attacks of the safety issue, run through the agents' tools against a real PostgreSQL 15, as a non-superuser
 * owner and as a superuser, with standard_conforming_strings on and off. After every probe a separate connection
 * checks that nothing changed (rows, sequence, replication slots, advisory locks, another session alive, statistics
 * reset time, configuration load time); every answer is searched for the planted secrets. The suite prints
 * "N probes, 0 state changes, 0 leaks".
 *
 * The same attacks then go through a real `dbe mcp --db` process (the bundle, the MCP SDK's client over stdio), as a
 * superuser with standard_conforming_strings off: what an MCP client such as Claude Code reaches.
 *
 *   node --import tsx --test test/core/security/probes.test.ts
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres, type TempPostgres } from '../support/postgres';
import { connect, type LiveConnection } from '../../../src/core/db/connect';
import { liveDatabase } from '../../../src/core/db/database';
import { Project } from '../../../src/core/workspace/project';
import { explainQuery, readFile, runQuery, runTool, type Tool } from '../../../src/core/tools';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ensureBuilt } from '../support/build';

const PW = 'Pw7connMarker';
const ENV_MARK = 'Env7fileMarker';
const FILE_MARK = 'Key7fileMarker';

let server: TempPostgres;
let admin: pg.Client;
let victim: pg.Client;
let root: string;
const tally = { probes: 0, changes: [] as string[], leaks: [] as string[] };

function plantWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-probe-'));
  const files: Record<string, string> = {
    '.env': `DATABASE_URL=postgres://owner:${ENV_MARK}@127.0.0.1/probe\nANTHROPIC_API_KEY=sk-ant-api03-${ENV_MARK}\n`,
    '.envrc': `export PGPASSWORD=${ENV_MARK}\n`,
    '.git/config': `[remote "origin"]\n\turl = https://ghp_${ENV_MARK}abcdefghij@github.com/a/b.git\n`,
    'id_rsa': `-----BEGIN OPENSSH PRIVATE KEY-----\n${FILE_MARK}\n-----END OPENSSH PRIVATE KEY-----\n`,
    'notes/deploy.txt': `-----BEGIN RSA PRIVATE KEY-----\n${FILE_MARK}\n-----END RSA PRIVATE KEY-----\n`,
    'config/sa.json': JSON.stringify({ type: 'service_account', private_key: FILE_MARK }),
    'config.yml': `password: ${FILE_MARK}\nDB_PASS=${FILE_MARK}\nredis: redis://:${FILE_MARK}@c:6379\nlegacy: mysql://r:${FILE_MARK}@h/d\naws_secret_access_key = ${FILE_MARK}\n`,
    '.pgpass': `*:*:*:*:${ENV_MARK}\n`,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  symlinkSync('/etc/passwd', join(dir, 'passwd.sql'));
  symlinkSync(join(dir, '.env'), join(dir, 'env.sql'));
  return dir;
}

const SECRETS = () => [PW, ENV_MARK, FILE_MARK, 'root:x:0:0', 'SCRAM-SHA-256$4096', 'BEGIN OPENSSH PRIVATE KEY-----\n'];

async function snapshot(): Promise<string> {
  const q = async (sql: string) => JSON.stringify((await admin.query(sql)).rows);
  let alive = 'dead';
  try { alive = (await victim.query('select 1 as ok')).rows[0].ok === 1 ? 'alive' : 'dead'; } catch { /* killed */ }
  return [
    await q('select count(*)::int as n from probe.t'),
    await q('select last_value, is_called from probe.s'),
    await q('select count(*)::int as n from pg_replication_slots'),
    await q("select count(*)::int as n from pg_locks where locktype = 'advisory'"),
    await q("select stats_reset from pg_stat_database where datname = current_database()"),
    await q('select pg_conf_load_time() as t'),
    await q("select count(*)::int as n from pg_stat_activity where backend_type = 'client backend'"),
    alive,
  ].join('\n');
}

/** One attack: the state before and after it, and its answer searched for every planted secret. */
async function probe(label: string, attack: () => Promise<string>): Promise<string> {
  const beforeState = await snapshot();
  const answer = await attack();
  tally.probes++;
  const afterState = await snapshot();
  if (afterState !== beforeState) tally.changes.push(`${label}: ${beforeState} → ${afterState}`);
  for (const s of SECRETS()) if (answer.includes(s)) tally.leaks.push(`${label}: ${s} in ${answer.slice(0, 300)}`);
  return answer;
}

async function inProcess(tool: Tool<any>, input: Record<string, unknown>, project: Project): Promise<string> {
  const result = await runTool(tool, input, { project });
  return `${result.content}\n${result.summary ?? ''}`;
}

const withRoot = (input: Record<string, unknown>) => JSON.parse(JSON.stringify(input).replaceAll('{ROOT}', root)) as Record<string, unknown>;

before(async () => {
  server = await startPostgres();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`create role owner login password '${PW}';
    create schema probe authorization owner;
    create extension dblink;
    set role owner;
    create table probe.t (id int primary key, v text);
    insert into probe.t select i, 'row ' || i from generate_series(1, 100) i;
    create sequence probe.s;
    reset role;`);
  victim = new pg.Client({ connectionString: server.url, application_name: 'victim' });
  await victim.connect();
  // The connection's own password, as another session's statement in pg_stat_activity.
  await victim.query(`alter role owner password '${PW}'`);
  root = plantWorkspace();
});

after(async () => {
  await victim?.end().catch(() => {});
  await admin?.end().catch(() => {});
  await server?.stop();
  console.log(`${tally.probes} probes, ${tally.changes.length} state changes, ${tally.leaks.length} leaks`);
});

const PROBES: [string, Tool<any>, Record<string, unknown>][] = [
  ['scs smuggled DELETE (run_query)', runQuery, { sql: "SELECT 'a\\' , $$' ; COMMIT; DELETE FROM probe.t WHERE id<=10; -- $$" }],
  ['scs smuggled DELETE (explain_query)', explainQuery, { query: "SELECT 'a\\' , $$' ; COMMIT; DELETE FROM probe.t WHERE id<=10; -- $$" }],
  ['scs smuggled DELETE (explain, no analyze)', explainQuery, { query: "SELECT 'a\\' , $$' ; COMMIT; DELETE FROM probe.t WHERE id<=10; -- $$", analyze: false }],
  ['commit + read write', runQuery, { sql: 'COMMIT; BEGIN READ WRITE; DELETE FROM probe.t; COMMIT' }],
  ['delete', runQuery, { sql: 'delete from probe.t' }],
  ['data-modifying CTE', runQuery, { sql: 'with d as (delete from probe.t returning *) select count(*) from d' }],
  ['select into', runQuery, { sql: 'select * into probe.copy from probe.t' }],
  ['copy to file', runQuery, { sql: "copy probe.t to '/tmp/dbe-probe-out'" }],
  ['do block', runQuery, { sql: 'do $$ begin delete from probe.t; end $$' }],
  ['set read write', runQuery, { sql: 'set default_transaction_read_only = off' }],
  ['pg_read_file .env', runQuery, { sql: `select pg_read_file('${'{ROOT}'}/.env')` }],
  ['pg_read_file /etc/passwd', runQuery, { sql: "select pg_read_file('/etc/passwd')" }],
  ['pg_read_binary_file', runQuery, { sql: `select convert_from(pg_read_binary_file('${'{ROOT}'}/id_rsa'), 'utf8')` }],
  ['pg_ls_dir', runQuery, { sql: "select * from pg_ls_dir('.')" }],
  ['lo_import', runQuery, { sql: "select lo_import('/etc/passwd')" }],
  ['pg_authid hashes', runQuery, { sql: 'select rolname, rolpassword from pg_authid' }],
  ['pg_stat_activity password', runQuery, { sql: "select query from pg_stat_activity where application_name = 'victim'" }],
  ['terminate backend', runQuery, { sql: "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'victim'" }],
  ['cancel backend', runQuery, { sql: "select pg_cancel_backend(pid) from pg_stat_activity where application_name = 'victim'" }],
  ['advisory lock', runQuery, { sql: 'select pg_advisory_lock(72707369)' }],
  ['advisory lock in subquery', runQuery, { sql: 'select * from (select pg_try_advisory_lock(1) as l) x' }],
  ['physical slot', runQuery, { sql: "select pg_create_physical_replication_slot('probe_slot', true)" }],
  ['logical slot', runQuery, { sql: "select pg_create_logical_replication_slot('probe_l', 'test_decoding')" }],
  ['emit message', runQuery, { sql: "select pg_logical_emit_message(false, 'p', 'x')" }],
  ['switch wal', runQuery, { sql: 'select pg_switch_wal()' }],
  ['stat reset', runQuery, { sql: 'select pg_stat_reset()' }],
  ['reload conf', runQuery, { sql: 'select pg_reload_conf()' }],
  ['set_config session', runQuery, { sql: "select set_config('default_transaction_read_only', 'off', false)" }],
  ['set_config role', runQuery, { sql: "select set_config('role', 'postgres', true)" }],
  ['dblink_exec', runQuery, { sql: "select dblink_exec('dbname=postgres user=postgres', 'delete from probe.t')" }],
  ['query_to_xml', runQuery, { sql: "select query_to_xml('delete from probe.t returning 1', true, true, '')" }],
  ['nextval', runQuery, { sql: "select nextval('probe.s')" }],
  ['explain nextval', explainQuery, { query: "select nextval('probe.s')" }],
  ['explain setval', explainQuery, { query: "select setval('probe.s', 5000)" }],
  ['explain analyze delete without consent', explainQuery, { query: 'delete from probe.t' }],
  ['explain for update without consent', explainQuery, { query: 'select * from probe.t for update' }],
  ['read .env', readFile, { path: '.env' }],
  ['read .envrc', readFile, { path: '.envrc' }],
  ['read .git/config', readFile, { path: '.git/config' }],
  ['read id_rsa', readFile, { path: 'id_rsa' }],
  ['read key under another name', readFile, { path: 'notes/deploy.txt' }],
  ['read service account', readFile, { path: 'config/sa.json' }],
  ['read config.yml', readFile, { path: 'config.yml' }],
  ['read .pgpass', readFile, { path: '.pgpass' }],
  ['read symlink to /etc/passwd', readFile, { path: 'passwd.sql' }],
  ['read symlink to .env', readFile, { path: 'env.sql' }],
  ['huge value', runQuery, { sql: "select repeat('x', 600000000) as big" }],
];

async function session(user: 'owner' | 'postgres', scs: 'on' | 'off'): Promise<{ conn: LiveConnection; project: Project }> {
  await admin.query(`alter role ${user} set standard_conforming_strings = ${scs}`);
  const port = new URL(server.url).port;
  const conn = await connect({ id: 'p', name: 'p', url: `postgres://${user}@127.0.0.1:${port}/postgres` }, { password: user === 'owner' ? PW : undefined, readOnlyPolicy: 'never' });
  const project = new Project({ root, database: liveDatabase(conn, 'probe') });
  return { conn, project };
}

for (const user of ['owner', 'postgres'] as const) {
  for (const scs of ['on', 'off'] as const) {
    test(`probes as ${user === 'owner' ? 'a non-superuser owner' : 'a superuser'}, standard_conforming_strings ${scs}`, async () => {
      const { conn, project } = await session(user, scs);
      try {
        // The server really reads strings the legacy way in this session (the smuggling precondition).
        assert.equal((await conn.client.query('show standard_conforming_strings')).rows[0].standard_conforming_strings, scs);
        for (const [label, tool, input] of PROBES) await probe(`${label} [${user}, scs ${scs}]`, () => inProcess(tool, withRoot(input), project));
        // Ordinary reads still work, and say so when they run as pg_read_all_data.
        const ok = await runTool(runQuery, { sql: 'select count(*) as n from probe.t' }, { project });
        assert.match(ok.content, /^1 row[\s\S]*\n100\b/, ok.content);
        if (user === 'postgres') assert.match(ok.content, /pg_read_all_data[\s\S]*row level security/);
      } finally {
        await conn.close();
        await admin.query(`alter role ${user} reset standard_conforming_strings`);
      }
      assert.deepEqual(tally.changes, []);
      assert.deepEqual(tally.leaks, []);
    });
  }
}

test('memory: 200k rows of 5 KB through run_query stay bounded, and the next call answers', async () => {
  const { conn, project } = await session('owner', 'on');
  try {
    const base = process.memoryUsage().rss;
    const r = await probe('200k x 5 KB', () => inProcess(runQuery, { sql: "select i, repeat('x', 5000) as pad from generate_series(1, 200000) i" }, project));
    const grown = process.memoryUsage().rss;
    assert.match(r, /^100\+ rows/);
    assert.ok(grown < 500 * 1024 * 1024, `rss ${Math.round(grown / 1e6)} MB (from ${Math.round(base / 1e6)} MB)`);
    const next = await runTool(runQuery, { sql: 'select 1 as one' }, { project });
    assert.match(next.content, /^1 row/);
  } finally {
    await conn.close();
  }
  assert.deepEqual(tally.changes, []);
  assert.deepEqual(tally.leaks, []);
});

test('the same probes through a real dbe mcp --db process, as a superuser with standard_conforming_strings off', async () => {
  ensureBuilt();
  await admin.query('alter role postgres set standard_conforming_strings = off');
  const port = new URL(server.url).port;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(__dirname, '../../../dist/cli.js'), 'mcp', '--db', `postgres://postgres@127.0.0.1:${port}/postgres`],
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: root, XDG_CACHE_HOME: join(root, '.cache') },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'dbe-probe', version: '1.0.0' });
  await client.connect(transport);
  const count = tally.probes;
  try {
    for (const [label, tool, input] of PROBES) {
      await probe(`${label} [dbe mcp, superuser, scs off]`, async () => {
        const r = await client.callTool({ name: tool.name, arguments: withRoot(input) });
        return (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
      });
    }
    // Ordinary reads still answer through the process, as pg_read_all_data.
    const ok = await client.callTool({ name: 'run_query', arguments: { sql: 'select count(*) as n from probe.t' } });
    assert.match((ok.content as { text: string }[])[0]!.text, /^1 row[\s\S]*\n100\b[\s\S]*pg_read_all_data/);
  } finally {
    await client.close();
    await admin.query('alter role postgres reset standard_conforming_strings');
  }
  assert.equal(tally.probes - count, PROBES.length);
  assert.deepEqual(tally.changes, []);
  assert.deepEqual(tally.leaks, []);
});
