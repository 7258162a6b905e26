import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../support/build';

// The embedded database must work from the esbuild bundle, where PGlite cannot find its binaries by itself.
const repo = join(__dirname, '../../..');

test('the bundled CLI builds the embedded database and explains on it (dist/cli.js + dist/pglite)', () => {
  ensureBuilt();
  const ws = mkdtempSync(join(tmpdir(), 'dbe-bundle-'));
  try {
    mkdirSync(join(ws, 'migrations'));
    writeFileSync(join(ws, 'migrations/001.sql'), 'create table items (id int primary key, name text);\ncreate extension if not exists vector;\nalter table items add column v vector(2);\n\nselect nope();\n');
    const cli = join(repo, 'dist/cli.js');
    const cache = join(ws, 'cache');
    let out = '';
    try {
      execFileSync(process.execPath, [cli, 'db', 'build', '--json', '--cache-dir', cache], { cwd: ws, encoding: 'utf8' });
      assert.fail('a failing statement should exit 1');
    } catch (err) {
      out = (err as { stdout: string }).stdout;
      assert.equal((err as { status: number }).status, 1);
    }
    const built = JSON.parse(out);
    assert.deepEqual(built.files, ['migrations/001.sql']);
    assert.equal(built.fromCache, false);
    assert.equal(built.issues.length, 1);
    assert.equal(built.issues[0].line, 5);
    assert.match(built.issues[0].message, /function nope\(\) does not exist/);
    const explained = JSON.parse(execFileSync(process.execPath, [cli, 'db', 'explain', '--cache-dir', cache, '--analyze', 'select * from items where v <-> $1 < 1', '--param', '1=[1,2]'], { cwd: ws, encoding: 'utf8' }));
    assert.equal(explained.format, 'dbe-plan');
    assert.equal(explained.analyzed, true);
    assert.equal(explained.plan[0].Plan['Relation Name'], 'items');
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
