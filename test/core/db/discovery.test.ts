import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverConnections, parsePgpass, prismaDatasourceUrls, supabaseDbPort } from '../../../src/core/db/discovery';
import { recognizeProvider } from '../../../src/core/db/provider';
import { redactUrl, resolveProfile, stripPassword } from '../../../src/core/db/profile';
import { isReadOnly } from '../../../src/core/db/readOnly';
import { main } from '../../../src/cli/main';

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dbe-disc-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

test('provider recognition from host names', () => {
  assert.equal(recognizeProvider('db.abcdefgh.supabase.co'), 'supabase');
  assert.equal(recognizeProvider('aws-0-eu-central-1.pooler.supabase.com'), 'supabase');
  assert.equal(recognizeProvider('mydb.c9akciq32.us-east-1.rds.amazonaws.com'), 'rds');
  assert.equal(recognizeProvider('/cloudsql/proj:europe-west1:inst'), 'cloudsql');
  assert.equal(recognizeProvider('ep-cool-darkness-123456.us-east-2.aws.neon.tech'), 'neon');
  for (const local of ['localhost', '127.0.0.1', '::1', '[::1]', '/var/run/postgresql', '']) assert.equal(recognizeProvider(local), 'local', local);
  assert.equal(recognizeProvider('db.example.com'), 'postgres');
  assert.equal(recognizeProvider('evil-supabase.co.example.com'), 'postgres');
});

test('URLs are redacted and stored without passwords', () => {
  const url = 'postgresql://app:s3cr%40t@db.x.supabase.co:6543/postgres?sslmode=require';
  assert.equal(redactUrl(url), 'postgresql://app:***@db.x.supabase.co:6543/postgres?sslmode=require');
  assert.ok(!stripPassword(url).includes('s3cr'));
  const t = resolveProfile({ id: 'x', name: 'x', url });
  assert.deepEqual([t.host, t.port, t.database, t.user, t.password, t.sslmode, t.provider], ['db.x.supabase.co', 6543, 'postgres', 'app', 's3cr@t', 'require', 'supabase']);
});

test('read-only policy: auto is read-only for non-local hosts only', () => {
  assert.equal(isReadOnly({ id: 'a', name: 'a', host: 'db.x.supabase.co' }), true);
  // Local hosts too: a tunnel to production listens on 127.0.0.1. Only a profile marked writable is.
  assert.equal(isReadOnly({ id: 'a', name: 'a', host: 'localhost' }), true);
  assert.equal(isReadOnly({ id: 'a', name: 'a', host: '127.0.0.1', readOnly: false }), false);
  assert.equal(isReadOnly({ id: 'a', name: 'a', host: 'localhost' }, 'always'), true);
  assert.equal(isReadOnly({ id: 'a', name: 'a', host: 'db.x.supabase.co' }, 'never'), false);
  assert.equal(isReadOnly({ id: 'a', name: 'a', host: 'db.x.supabase.co', readOnly: false }, 'always'), false);
});

test('discovers .env URLs, Prisma datasource env() refs, Supabase local, PG* env and .pgpass passwords', () => {
  const root = workspace({
    '.env': [
      '# comment',
      'DATABASE_URL="postgresql://prisma:pw1@aws-0-eu.pooler.supabase.com:6543/postgres?pgbouncer=true"',
      'DIRECT_URL=postgresql://prisma:pw1@db.abc.supabase.co:5432/postgres',
      'OTHER=hello',
      'SHADOW=postgres://shadow@localhost:5433/shadow',
    ].join('\n'),
    'apps/api/.env.local': 'DATABASE_URL=postgres://api@api.c1.us-east-1.rds.amazonaws.com/api\n',
    'prisma/schema.prisma': [
      'datasource db {',
      '  provider  = "postgresql"',
      '  url       = env("PRISMA_URL") // from the environment',
      '  directUrl = env("DIRECT_URL")',
      '}',
    ].join('\n'),
    'supabase/config.toml': '[api]\nport = 54321\n\n[db]\n# the local db\nport = 54329\nmajor_version = 15\n',
  });
  const home = mkdtempSync(join(tmpdir(), 'dbe-home-'));
  writeFileSync(join(home, '.pgpass'), '# host:port:db:user:pw\nlocalhost:5433:shadow:shadow:sh\\:pw\n*:*:*:pguser:envpw\n');
  try {
    const found = discoverConnections(root, {
      home,
      env: { PRISMA_URL: 'postgres://neo:npw@ep-x-1.us-east-2.aws.neon.tech/neondb?sslmode=require', PGHOST: 'pg.internal', PGUSER: 'pguser', PGDATABASE: 'app' },
    });
    const bySource = Object.fromEntries(found.map((f) => [f.source, f]));
    assert.deepEqual(Object.keys(bySource), [
      '.env DATABASE_URL', '.env DIRECT_URL', '.env SHADOW', 'apps/api/.env.local DATABASE_URL',
      'prisma/schema.prisma url = env("PRISMA_URL")', 'supabase/config.toml [db]', 'environment PG* variables',
    ]);
    assert.equal(bySource['.env DATABASE_URL']!.provider, 'supabase');
    assert.equal(bySource['.env DATABASE_URL']!.display, 'aws-0-eu.pooler.supabase.com:6543/postgres');
    assert.equal(bySource['.env DATABASE_URL']!.password, 'pw1');
    assert.ok(!JSON.stringify(bySource['.env DATABASE_URL']!.profile).includes('pw1'), 'profile holds no password');
    assert.equal(bySource['apps/api/.env.local DATABASE_URL']!.provider, 'rds');
    assert.equal(bySource['prisma/schema.prisma url = env("PRISMA_URL")']!.provider, 'neon');
    const supa = bySource['supabase/config.toml [db]']!;
    assert.deepEqual([supa.profile.port, supa.profile.user, supa.password, supa.provider], [54329, 'postgres', 'postgres', 'local']);
    assert.equal(bySource['.env SHADOW']!.password, 'sh:pw', '.pgpass with an escaped colon');
    assert.equal(bySource['environment PG* variables']!.password, 'envpw', '.pgpass wildcard entry');
    // directUrl = env("DIRECT_URL") is the same server as .env DIRECT_URL: listed once.
    assert.equal(found.filter((f) => f.display === 'db.abc.supabase.co:5432/postgres').length, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
});

test('small parsers: prisma datasource, supabase [db] port, pgpass', () => {
  assert.deepEqual(prismaDatasourceUrls('datasource db {\n provider = "postgresql"\n url = "postgres://a@h/d"\n}\ndatasource m { provider = "mysql"\n url = env("M") }'),
    [{ key: 'url', ref: { kind: 'literal', value: 'postgres://a@h/d' } }]);
  assert.equal(supabaseDbPort('[db]\nshadow_port = 1\nport = 5\n[api]\nport = 7'), 5);
  assert.equal(supabaseDbPort('[api]\nport = 7'), undefined);
  const e = parsePgpass('h:1:d:u:p:with:colons\n');
  assert.equal(e.length, 1);
  assert.equal(e[0]!.password, 'p:with:colons');
});

test('dbe db discover --json lists connections without passwords', async () => {
  const root = workspace({ '.env': 'DATABASE_URL=postgres://app:topsecret@db.abc.supabase.co:5432/postgres\n' });
  try {
    let out = '';
    const code = await main(['db', 'discover', '--json'], { cwd: root, env: {}, stdout: (t) => { out += t; }, stderr: () => {}, isTTY: false });
    assert.equal(code, 0);
    assert.ok(!out.includes('topsecret'));
    const list = JSON.parse(out);
    assert.deepEqual(list.map((c: { source: string; provider: string; hasPassword: boolean }) => [c.source, c.provider, c.hasPassword]), [['.env DATABASE_URL', 'supabase', true]]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
