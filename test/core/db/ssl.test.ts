import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { testConnection } from '../../../src/core/db/connect';
import { ConnectError } from '../../../src/core/db/errors';
import type { ConnectionProfile } from '../../../src/core/db/profile';

// A server that only accepts SSL, like managed providers do.
let pg: TestPostgres;
before(async () => { pg = await startPostgres({ sslOnly: true }); });
after(() => pg?.stop());

const profile = (over: Partial<ConnectionProfile>): ConnectionProfile =>
  ({ id: 's', name: 's', host: pg.host, port: pg.port, database: pg.database, user: pg.user, ...over });

test('connecting without SSL to an SSL-only server says to set sslmode=require', async () => {
  const err = await testConnection(profile({ sslmode: 'disable' }), { password: pg.password }).catch((e: unknown) => e);
  assert.ok(err instanceof ConnectError, String(err));
  assert.equal(err.kind, 'ssl-required');
  assert.match(err.message, /only accepts SSL/);
  assert.match(err.message, /sslmode=require/);
});

test('sslmode=require connects (encrypted, certificate not verified, as libpq does)', async () => {
  const r = await testConnection(profile({ sslmode: 'require' }), { password: pg.password });
  assert.match(r.serverVersion, /^15\./);
});

test('sslmode=verify-full rejects the self-signed certificate with a specific message', async () => {
  const err = await testConnection(profile({ sslmode: 'verify-full' }), { password: pg.password }).catch((e: unknown) => e);
  assert.ok(err instanceof ConnectError, String(err));
  assert.equal(err.kind, 'ssl-required');
  assert.match(err.message, /certificate .* could not be verified/);
});
