import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPostgresUrl, InvalidUrlError, resolveProfile, stripPassword } from '../../../src/core/db/profile';
import { main } from '../../../src/cli/main';
import { cliPassword } from '../../../src/cli/project';

const SECRET = 'Zq7se';

async function run(argv: string[], cwd = tmpdir(), env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, { cwd, env, stdout: (t) => { out += t; }, stderr: (t) => { out += t; }, isTTY: false });
  return { code, out };
}

test('an unparsable URL names its problem and never falls back to localhost', () => {
  const cases: [string, RegExp][] = [
    [`postgres://app:${SECRET}/x@db.example.com/app`, /unencoded "\/".*%2F/],
    [`postgres://app:${SECRET}#x@db.example.com/app`, /unencoded "#".*%23/],
    [`postgres://app:${SECRET}@db.example.com:99999/app`, /port "99999"/],
    ['mysql://root@h/db', /not a PostgreSQL URL/],
    ['', /empty/],
  ];
  for (const [url, problem] of cases) {
    const c = checkPostgresUrl(url);
    assert.equal(c.ok, false, url);
    assert.match((c as { problem: string }).problem, problem);
    assert.ok(!(c as { problem: string }).problem.includes(SECRET));
    if (url) assert.throws(() => resolveProfile({ id: 'x', name: 'x', url }), InvalidUrlError);
  }
  assert.equal(resolveProfile({ id: 'x', name: 'x', url: 'postgres://a:b%2Fc@h:6543/d' }).port, 6543);
});

test('explain, mcp and ask print the problem as a usage error, without the password', async () => {
  const url = `postgres://app:${SECRET}/oops@db.example.com/app`;
  for (const argv of [['explain', '--db', url, 'select 1'], ['mcp', '--db', url], ['ask', '--db', url, 'hi']]) {
    const r = await run(argv, tmpdir(), { ANTHROPIC_API_KEY: 'sk-ant-test-key-for-usage-errors' });
    assert.equal(r.code, 2, `${argv[0]}: ${r.out}`);
    assert.match(r.out, /unencoded "\/"/);
    assert.ok(!r.out.includes(SECRET), r.out);
  }
});

test('discover --json keeps password parameters out', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dbe-disc-'));
  writeFileSync(join(root, '.env'), `DATABASE_URL=postgres://app@db.example.com/app?sslmode=require&password=${SECRET}1&sslpassword=${SECRET}2\n`);
  const r = await run(['db', 'discover', '--json'], root);
  assert.equal(r.code, 0, r.out);
  assert.ok(!r.out.includes(SECRET), r.out);
  assert.match(r.out, /sslmode=require/);
  assert.equal(stripPassword(`postgres://a:${SECRET}@h/d?password=${SECRET}`), 'postgres://a@h/d');
});

test('the CLI takes the password from PGPASSWORD or .pgpass, so it need not be in argv', () => {
  const home = mkdtempSync(join(tmpdir(), 'dbe-home-'));
  writeFileSync(join(home, '.pgpass'), `other:5432:*:*:nope\ndb.example.com:5432:app:app:${SECRET}\n`, { mode: 0o600 });
  assert.deepEqual(cliPassword('postgres://app@db.example.com/app', { env: { HOME: home } }), { password: SECRET });
  assert.deepEqual(cliPassword('postgres://app@db.example.com/app', { env: { HOME: home, PGPASSWORD: 'fromenv' } }), { password: 'fromenv' });
  assert.deepEqual(cliPassword('postgres://app:inurl@db.example.com/app', { env: { HOME: home } }), {});
});
