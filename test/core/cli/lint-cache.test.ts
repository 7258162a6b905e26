import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../support/build';

const REPO = join(__dirname, '../../..');
const CLI = join(REPO, 'dist/cli.js');


before(() => {
  ensureBuilt();
});

/** A project with two migrations, and a private user cache folder ($DBE_CACHE). */
function project() {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-lint-cache-'));
  const cacheRoot = join(dir, 'user-cache');
  const mig = join(dir, 'app/supabase/migrations');
  mkdirSync(mig, { recursive: true });
  writeFileSync(join(mig, '001_a.sql'), 'create table a (id int);\ncreate index on a (id);\n');
  writeFileSync(join(mig, '002_b.sql'), 'alter table a add column n text not null;\nselec 1;\n');
  const dbe = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', ...args, 'app'], { cwd: dir, encoding: 'utf8', env: { ...process.env, DBE_CACHE: cacheRoot } });
  const cacheFiles = () => (existsSync(join(cacheRoot, 'lint')) ? readdirSync(join(cacheRoot, 'lint')).map((f) => join(cacheRoot, 'lint', f)) : []);
  return { dir, mig, dbe, cacheFiles };
}

test('by default parses are kept in the user cache ($DBE_CACHE/lint), not in the project, and give the same output', () => {
  const p = project();
  const first = p.dbe();
  assert.equal(first.status, 1, first.stderr);
  const files = p.cacheFiles();
  assert.equal(files.length, 1);
  assert.match(files[0]!, /[0-9a-f]{16}-pg18-v1\.json$/);
  // Every statement, the syntax error's chunk included; no temp file left behind.
  assert.equal(JSON.parse(readFileSync(files[0]!, 'utf8')).length, 4);
  assert.ok(!existsSync(join(p.dir, 'app/.dbe-cache')));
  const second = p.dbe();
  assert.equal(second.stdout, first.stdout);
  assert.ok(JSON.parse(second.stdout).findings.some((f: { rule: string }) => f.rule === 'syntax-error'));
});

test('an edited statement misses the cache: the findings follow the new text', () => {
  const p = project();
  const before = JSON.parse(p.dbe().stdout).findings.map((f: { rule: string }) => f.rule);
  assert.ok(before.includes('adding-required-column'));
  writeFileSync(join(p.mig, '002_b.sql'), "alter table a add column n text not null default '';\nselect 1;\n");
  const after = JSON.parse(p.dbe().stdout).findings.map((f: { rule: string }) => f.rule);
  assert.ok(!after.includes('adding-required-column'));
  assert.ok(!after.includes('syntax-error'));
});

test('a foreign or damaged cache file is ignored; a well-formed JSON of the wrong shape too', () => {
  const p = project();
  const first = p.dbe();
  const [file] = p.cacheFiles();
  for (const junk of ['{not json', '{"a":1}', '[["x",5],[1,{"ok":true}],null]', '']) {
    writeFileSync(file!, junk);
    const r = p.dbe();
    assert.equal(r.stdout, first.stdout, junk);
    assert.equal(r.stderr, '');
  }
});

test('--no-cache neither reads nor writes a cache', () => {
  const p = project();
  const r = p.dbe('--no-cache');
  assert.equal(r.status, 1);
  assert.deepEqual(p.cacheFiles(), []);
});

test('an unwritable user cache is silent: the lint still succeeds', () => {
  const p = project();
  // A file where the cache folder should be makes mkdir fail.
  writeFileSync(join(p.dir, 'user-cache'), 'not a folder');
  const r = p.dbe();
  assert.equal(r.status, 1);
  assert.equal(r.stderr, '');
  assert.ok(JSON.parse(r.stdout).findings.length > 0);
});
