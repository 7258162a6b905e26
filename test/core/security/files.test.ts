import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile, runTool } from '../../../src/core/tools';
import { isSecretPath, secretContent } from '../../../src/core/security/secretFiles';
import { main } from '../../../src/cli/main';
import { Project } from '../../../src/core/workspace/project';

const MARK = 'Zq7marker9Secret';

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dbe-secret-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const read = (root: string, path: string) => runTool(readFile, { path }, { project: new Project({ root }) });

test('credentials files are known by name, wherever they sit', () => {
  for (const p of ['.env', '.env.local', 'apps/web/.env.production', '.envrc', '.pgpass', '.netrc', '.npmrc', '.git/config', '.git/hooks/x',
    'certs/server.pem', 'tls.key', 'id_rsa', 'id_ed25519.pub', 'deploy/id_deploy', 'gcp-service-account.json', 'secrets.yaml', '.aws/credentials', 'infra/terraform.tfstate']) {
    assert.ok(isSecretPath(p), p);
  }
  for (const p of ['.env.example', 'supabase/migrations/0001_init.sql', 'src/keyboard.ts', 'docs/environment.md', 'identity.sql', 'prisma/schema.prisma']) {
    assert.ok(!isSecretPath(p), p);
  }
  assert.ok(secretContent('x\n-----BEGIN EC PRIVATE KEY-----\nabc'));
  assert.ok(secretContent('{ "type": "service_account", "private_key": "x" }'));
  assert.equal(secretContent('create table keys (private_key_id text);'), undefined);
});

test('read_file refuses credentials by name, by content and through symlinks; redacts the rest', async () => {
  const root = workspace({
    '.env': `DATABASE_URL=postgres://app:${MARK}@db/app`,
    '.envrc': `export PGPASSWORD=${MARK}`,
    '.git/config': `[remote "origin"]\n\turl = https://ghp_${MARK}abcdefghij@github.com/a/b.git`,
    'notes/deploy-key.txt': `-----BEGIN OPENSSH PRIVATE KEY-----\n${MARK}\n-----END OPENSSH PRIVATE KEY-----\n`,
    'config/gcp.json': JSON.stringify({ type: 'service_account', private_key: `${MARK}` }),
    'config.yml': `db:\n  password: ${MARK}\nDB_PASS=${MARK}\ncache: redis://:${MARK}@cache:6379\nlegacy: mysql://root:${MARK}@h/db\naws_secret_access_key = ${MARK}\n`,
    'queries/ok.sql': 'select 1;',
  });
  symlinkSync(join(root, '.env'), join(root, 'queries', 'innocent.sql'));
  symlinkSync(join(root, '.git', 'config'), join(root, 'remote.txt'));
  symlinkSync('/dev/zero', join(root, 'zero.sql'));
  symlinkSync('/etc/passwd', join(root, 'passwd.sql'));
  for (const p of ['.env', '.envrc', '.git/config', 'notes/deploy-key.txt', 'config/gcp.json', 'queries/innocent.sql', 'remote.txt', 'zero.sql', 'passwd.sql']) {
    const r = await read(root, p);
    assert.equal(r.isError, true, `${p}: ${r.content}`);
    assert.ok(!r.content.includes(MARK), p);
  }
  const cfg = await read(root, 'config.yml');
  assert.equal(cfg.isError, undefined, cfg.content);
  assert.ok(!cfg.content.includes(MARK), cfg.content);
  assert.match(cfg.content, /cache: redis:\/\/:\*\*\*@cache:6379/);
  assert.match((await read(root, 'queries/ok.sql')).content, /select 1;/);
});

test('dbe ask --file follows the same rules: an .env is refused before anything is sent', async () => {
  const root = workspace({ '.env': `ANTHROPIC_API_KEY=sk-ant-api03-${MARK}`, 'k.txt': `-----BEGIN RSA PRIVATE KEY-----\n${MARK}` });
  for (const file of ['.env', 'k.txt']) {
    let out = '';
    const code = await main(['ask', '--file', file, 'what is this?'], { cwd: root, env: {}, stdout: (t) => { out += t; }, stderr: (t) => { out += t; }, isTTY: false });
    assert.equal(code, 2, out);
    assert.match(out, /never read for the model|not read for the model/);
    assert.ok(!out.includes(MARK));
  }
});
