import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { detectMigrationTool, toolForPath, transactionModeOf, transactionsOf } from '../../../src/core/workspace/migrationTool';
import { Project } from '../../../src/core/workspace/project';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dbe-tool-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

test('detectMigrationTool: config, project files, dependencies, then file layout; psql when nothing names a tool', () => {
  const cases: [Record<string, string>, string][] = [
    [{ 'supabase/config.toml': '', 'supabase/migrations/20240101000000_a.sql': 'select 1;' }, 'supabase'],
    [{ 'package.json': JSON.stringify({ devDependencies: { 'node-pg-migrate': '7' } }), 'migrations/1_a.sql': '' }, 'node-pg-migrate'],
    [{ 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"' }, 'prisma'],
    [{ 'flyway.conf': 'flyway.url=x', 'sql/V1__init.sql': '' }, 'flyway'],
    [{ 'Gemfile': '', 'db/migrate/.keep': '' }, 'rails'],
    [{ 'knexfile.js': '' }, 'knex'],
    [{ 'migrations/000001_init.up.sql': 'select 1;', 'migrations/000001_init.down.sql': '' }, 'golang-migrate'],
    [{ 'db/migrations/20240101_a.sql': '-- migrate:up\nselect 1;\n-- migrate:down\n' }, 'dbmate'],
    [{ 'migrations/001_init.sql': 'select 1;' }, 'psql'],
  ];
  for (const [files, tool] of cases) {
    const root = project(files);
    try {
      assert.equal(detectMigrationTool(root).tool, tool, JSON.stringify(files));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  assert.deepEqual(detectMigrationTool('/nonexistent', { migrationTool: 'flyway' }), { tool: 'flyway', reason: 'configured', configured: true });
});

test('toolForPath and transactionModeOf: layouts, config overrides and per-file opt-outs', () => {
  assert.equal(toolForPath('/p/supabase/migrations/20240101000000_a.sql'), 'supabase');
  assert.equal(toolForPath('/p/prisma/migrations/20240101000000_a/migration.sql'), 'prisma');
  assert.equal(toolForPath('/p/sql/V2__users.sql'), 'flyway');
  assert.equal(toolForPath('/p/migrations/3_x.up.sql'), 'golang-migrate');
  assert.equal(toolForPath('/p/migrations/3_x.sql'), undefined);
  assert.deepEqual(transactionModeOf({}, '/p/migrations/3_x.sql', 'select 1;'), { tool: 'psql', mode: 'none' });
  assert.deepEqual(transactionModeOf({ transactional: true }, '/p/migrations/3_x.sql', ''), { tool: 'psql', mode: 'wrapped' });
  assert.deepEqual(transactionModeOf({ transactional: false }, '/p/supabase/migrations/1_x.sql', ''), { tool: 'supabase', mode: 'none' });
  assert.deepEqual(transactionModeOf({}, '/p/db/1.sql', '-- migrate:up transaction:false\nselect 1;'), { tool: 'dbmate', mode: 'none' });
  assert.deepEqual(transactionModeOf({ migrationTool: 'flyway' }, '/p/V1__a.sql', '-- flyway:executeInTransaction=false\n'), { tool: 'flyway', mode: 'none' });
});

test('transactionsOf: atomic files, wrapping runners, and explicit BEGIN/COMMIT', () => {
  const s = (kind: string, txKind?: string) => ({ kind, ...(txKind ? { txKind } : {}) });
  const alter = s('AlterTableStmt'), begin = s('TransactionStmt', 'TRANS_STMT_BEGIN'), commit = s('TransactionStmt', 'TRANS_STMT_COMMIT');
  assert.deepEqual(transactionsOf([alter], 'atomic'), [-1]);
  assert.deepEqual(transactionsOf([alter, alter], 'atomic'), [0, 0]);
  assert.deepEqual(transactionsOf([alter, commit, alter], 'atomic'), [0, -1, 1]);
  assert.deepEqual(transactionsOf([alter, commit, alter], 'wrapped'), [0, -1, -1]);
  assert.deepEqual(transactionsOf([alter, begin, alter, commit, alter], 'none'), [-1, -1, 0, -1, -1]);
});

test('a Project carries the detected tool in its config; .dbe.json overrides it', () => {
  const root = project({ 'supabase/migrations/20240101000000_a.sql': 'select 1;' });
  try {
    assert.equal(new Project({ root }).getConfig().migrationTool, 'supabase');
    writeFileSync(join(root, '.dbe.json'), JSON.stringify({ migrationTool: 'flyway', transactional: false }));
    const p = new Project({ root });
    assert.deepEqual([p.getConfig().migrationTool, p.getConfig().transactional, p.migrationTool().configured], ['flyway', false, true]);
    writeFileSync(join(root, '.dbe.json'), JSON.stringify({ migrationTool: 'liquibase' }));
    assert.match(new Project({ root }).problems()[0]!.message, /"migrationTool" is "liquibase"; use one of "supabase", "prisma"/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
