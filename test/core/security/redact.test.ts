import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, redact, redactDeep } from '../../../src/core/security/redact';

const MARK = 'Zq7marker9Secret';

/** Asserts the secret is gone and the text around it stays. */
function masks(input: string, secret: string, keep: string[] = [], options = {}): string {
  const out = redact(input, options);
  assert.ok(!out.includes(secret), `${JSON.stringify(secret)} still in ${JSON.stringify(out)}`);
  for (const k of keep) assert.ok(out.includes(k), `${JSON.stringify(k)} lost from ${JSON.stringify(out)}`);
  assert.ok(out.includes(MASK), out);
  assert.equal(redact(out, options), out, 'redaction is idempotent');
  return out;
}

test('URL userinfo of any scheme, and password parameters', () => {
  masks(`DATABASE_URL=postgres://app:${MARK}@db.example.com:5432/app`, MARK, ['postgres://app:', '@db.example.com:5432/app']);
  masks(`mysql://root:${MARK}@127.0.0.1/shop`, MARK, ['mysql://root:', '@127.0.0.1/shop']);
  masks(`redis://:${MARK}@cache:6379/0`, MARK, ['redis://:', '@cache:6379/0']);
  masks(`postgres://u@h/db?sslmode=require&password=${MARK}&x=1`, MARK, ['sslmode=require', '&x=1']);
  masks(`postgres://u@h/db?sslpassword=${MARK}`, MARK, ['postgres://u@h/db?sslpassword=']);
  masks(`host=db port=5432 password=${MARK} user=app`, MARK, ['host=db', 'user=app']);
  // An unencoded "/" or "#" in the password still masks up to the "@".
  masks(`postgres://app:ab/${MARK}#x@h/db`, MARK, ['@h/db']);
});

test('tokens in git remotes', () => {
  masks(`[remote "origin"]\n\turl = https://x-access-token:ghp_${MARK}abcdefghijk@github.com/acme/app.git`, MARK, ['github.com/acme/app.git']);
  masks(`\turl = https://ghp_${MARK}0123456789ab@github.com/acme/app.git`, MARK, ['@github.com/acme/app.git']);
});

test('provider keys, AWS keys and JWTs', () => {
  masks(`ANTHROPIC_API_KEY=sk-ant-api03-${MARK}`, MARK);
  masks(`key is sk-ant-api03-${MARK} ok`, MARK, ['key is', 'ok']);
  masks(`OPENAI sk-proj-${MARK}abcdefghij`, MARK);
  masks(`ghp_${MARK}abcdefghijklmn`, MARK);
  masks(`github_pat_11AB${MARK}_xyzxyzxyzxyz`, MARK);
  const aws = redact('id AKIAIOSFODNN7EXAMPLE and aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  assert.ok(!aws.includes('AKIAIOSFODNN7EXAMPLE') && !aws.includes('wJalrXUtnFEMI'), aws);
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.dGhpcyBpcyBub3QgYSBzaWduYXR1cmU';
  masks(`SUPABASE_SERVICE_ROLE_KEY: ${jwt}`, jwt);
  masks(`const k = "${jwt}";`, jwt, ['const k = ']);
});

test('PEM blocks, whole or cut off, and JSON private_key fields', () => {
  const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA${MARK}\n-----END OPENSSH PRIVATE KEY-----`;
  masks(`before\n${pem}\nafter`, MARK, ['before', 'after', 'BEGIN OPENSSH PRIVATE KEY']);
  masks(`-----BEGIN RSA PRIVATE KEY-----\nMIIEow${MARK}\nAAAA`, MARK);
  const sa = JSON.stringify({ type: 'service_account', project_id: 'p', private_key_id: 'abc123', private_key: `-----BEGIN PRIVATE KEY-----\nMII${MARK}\n-----END PRIVATE KEY-----\n`, client_email: 'x@p.iam.gserviceaccount.com' }, null, 2);
  masks(sa, MARK, ['"client_email": "x@p.iam.gserviceaccount.com"', '"project_id": "p"']);
  masks(`{"private_key":"${MARK}"}`, MARK, ['"private_key":"']);
});

test('password, secret and token assignments in config files', () => {
  masks(`db:\n  host: localhost\n  password: ${MARK}\n  port: 5432`, MARK, ['host: localhost', 'port: 5432', 'password: ']);
  masks(`DB_PASS=${MARK}\nDB_HOST=x`, MARK, ['DB_HOST=x']);
  masks(`export PGPASSWORD='${MARK}'`, MARK);
  masks(`client_secret = "${MARK}"`, MARK);
  masks(`auth_token: '${MARK}'`, MARK);
  masks(`STRIPE_KEY=${MARK}`, MARK);
  masks(`  - DB_PASSWORD=${MARK}`, MARK);
  masks(`{"password": "${MARK}", "user": "app"}`, MARK, ['"user": "app"']);
  // Not credentials: left alone.
  for (const plain of ['create table users (id bigint primary key, password_hash text not null);', 'primary_key: id', 'password:', 'select 1']) {
    assert.equal(redact(plain), plain);
  }
});

test('SQL role passwords and stored hashes (pg_stat_activity, pg_authid)', () => {
  masks(`ALTER ROLE app PASSWORD '${MARK}'`, MARK, ['ALTER ROLE app PASSWORD']);
  masks(`create role x login encrypted password '${MARK}' valid until 'infinity'`, MARK, ["valid until 'infinity'"]);
  masks(`alter role app password $$${MARK}$$`, MARK);
  masks('SCRAM-SHA-256$4096:c2FsdHNhbHQ=$c3RvcmVka2V5c3RvcmVka2V5:c2VydmVya2V5c2VydmVya2V5', 'c3RvcmVka2V5');
  masks('md5' + 'a'.repeat(32), 'a'.repeat(32));
});

test("the connection's own password is masked as a literal, without giving itself away", () => {
  masks(`query: select '${MARK}'`, MARK, ['query: select'], { secrets: [MARK], publicNames: ['app', 'appdb'] });
  // Percent-encoded as in a URL.
  const enc = 'p@ss/w#rd-long';
  masks(`x ${encodeURIComponent(enc)} y`, encodeURIComponent(enc), [], { secrets: [enc] });
  // A password equal to the user name: masking "postgres" everywhere would say what it is; mentions stay.
  const out = redact('user postgres on postgres://postgres:postgres@localhost/postgres', { secrets: ['postgres'], publicNames: ['postgres', 'postgres'] });
  assert.equal(out, `user postgres on postgres://postgres:${MASK}@localhost/postgres`);
  // Short passwords are not masked as literals (too likely to occur by chance) but are in credential positions.
  assert.equal(redact('id 1234 abc', { secrets: ['abc'] }), 'id 1234 abc');
  assert.equal(redact('password=abc', { secrets: ['abc'] }), `password=${MASK}`);
});

test('redactDeep masks strings inside JSON values and keeps the shape', () => {
  const v = redactDeep({ a: [`postgres://u:${MARK}@h/db`, 3], b: { c: null, d: true } });
  assert.deepEqual(v, { a: [`postgres://u:${MASK}@h/db`, 3], b: { c: null, d: true } });
});
