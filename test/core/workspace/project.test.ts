// The Project: one config (file + overlay), one migration history confined to the root, one analyzer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project } from '../../../src/core/workspace/project';

const made: string[] = [];
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dbe-project-'));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

test('a configured folder outside the root is refused with a clear message, and nothing outside is walked', () => {
  const outside = tree({ 'leak/0001_secret.sql': 'create table leaked (id int);\n' });
  const root = tree({
    '.dbe.json': JSON.stringify({ migrationFolders: ['../../..', join(outside, 'leak')] }),
    'migrations/0001_init.sql': 'create table t (id int);\n',
  });
  const project = new Project({ root });
  const problems = project.problems().filter((p) => p.kind === 'folders');
  assert.equal(problems.length, 2);
  assert.match(problems[0]!.message, /^migration folder "\.\.\/\.\.\/\.\." is outside the project folder .*; migrationFolders name folders inside it/);
  // Every configured folder refused: no migrations at all (detection would read folders the user did not name).
  assert.deepEqual(project.migrations(), { folders: [], files: [] });
  assert.deepEqual(project.getConfig().migrationFolders, [], 'none, rather than detected');
});

test('a folder that is a symlink leading outside the root is refused too; the folders inside are kept', () => {
  const outside = tree({ 'elsewhere/0001_x.sql': 'create table x (id int);\n' });
  const root = tree({ 'db/schema/0001_init.sql': 'create table t (id int);\n' });
  symlinkSync(join(outside, 'elsewhere'), join(root, 'linked'));
  const project = new Project({ root, overlay: { migrationFolders: ['linked', 'db/schema/'] } });
  assert.equal(project.problems().length, 1);
  assert.match(project.problems()[0]!.message, /"linked" is outside the project folder/);
  assert.deepEqual(project.migrations().folders, ['db/schema']);
  assert.deepEqual(project.migrations().files, [join(root, 'db/schema/0001_init.sql')]);
});

test('the overlay is merged over .dbe.json once: rules merge, lists replace; the analyzer and the embedded database follow', async () => {
  const root = tree({
    '.dbe.json': JSON.stringify({ rules: { 'prefer-text': 'off' }, migrationFolders: ['sql/schema'] }),
    'sql/schema/0001_init.sql': 'create table public.real_t (id bigint primary key, name varchar(20));\n',
    'migrations/0001_decoy.sql': 'create table public.decoy_t (id int);\n',
    'queries/q.sql': 'select 1;\n',
    'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
  });
  const project = new Project({ root, overlay: { rules: { 'rls-disabled': 'off' } } });
  assert.deepEqual(project.getConfig().rules, { 'prefer-text': 'off', 'rls-disabled': 'off' });
  assert.deepEqual(project.migrations().folders, ['sql/schema']);
  assert.deepEqual(project.otherSqlFiles(), [join(root, 'migrations/0001_decoy.sql'), join(root, 'queries/q.sql')]);
  assert.deepEqual(project.prismaFiles(), [join(root, 'prisma/schema.prisma')]);
  const ws = await project.analysis();
  assert.deepEqual([...ws.analyzer.model().tables.keys()], ['public.real_t']);
  assert.ok(!ws.analyzer.findings().some((f) => f.rule === 'rls-disabled' || f.rule === 'prefer-text'));
  assert.equal(project.databaseInfo(), undefined, 'no database unless the face asks for the embedded one');

  project.reload({ migrationFolders: ['migrations'] });
  assert.deepEqual(project.getConfig().rules, { 'prefer-text': 'off' }, 'a reload replaces the overlay');
  assert.deepEqual([...(await project.analysis()).analyzer.model().tables.keys()], ['public.decoy_t']);
});

test('a broken .dbe.json is a config problem; the defaults and the overlay still apply', () => {
  const root = tree({ '.dbe.json': '{ "rules": ', 'migrations/1.sql': 'select 1;\n' });
  const project = new Project({ root, overlay: { exposedSchemas: ['api'] } });
  assert.equal(project.problems()[0]!.kind, 'config');
  assert.match(project.problems()[0]!.message, /\.dbe\.json: not valid JSON/);
  assert.deepEqual(project.getConfig().exposedSchemas, ['api']);
  assert.deepEqual(project.migrations().folders, ['migrations']);
});
