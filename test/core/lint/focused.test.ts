import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer, type Finding } from '../../../src/core/analysis';
import { ensureParser } from '../../../src/core/sql/parse';
import { findMigrationFiles } from '../../../src/core/workspace/migrations';

/**
 * `findingsFor` right after an edit builds a model of only what that file depends on. It must give
 * exactly the findings a full analysis gives for the file, whatever the file does.
 */
const show = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column} ${f.severity} ${f.message} [${f.fixes.map((x) => x.title).join(' | ')}]`);

async function assertFocusedMatchesFull(files: Record<string, string>) {
  await ensureParser();
  const now = () => new Date(Date.UTC(2025, 0, 1));
  const full = new Analyzer({ now });
  for (const [p, t] of Object.entries(files)) full.setFile(p, t);
  const all = full.findings();
  for (const path of Object.keys(files)) {
    const focused = new Analyzer({ now });
    for (const [p, t] of Object.entries(files)) focused.setFile(p, t);
    assert.deepEqual(show(focused.findingsFor(path)), show(all.filter((f) => f.file === path)), path);
  }
}

test('focused re-check equals the full analysis on the example projects', async () => {
  for (const dir of ['supabase-app', 'prisma-app']) {
    const root = join(__dirname, '../../../examples', dir);
    const files: Record<string, string> = {};
    for (const f of findMigrationFiles(root).files) files[f] = readFileSync(f, 'utf8');
    await assertFocusedMatchesFull(files);
  }
});

test('focused re-check follows renames, partitions, views, drops and later changes in other files', async () => {
  await assertFocusedMatchesFull({
    '/ws/m/001.sql': `create table a (id int, owner uuid);
      create table p (id bigint, k int) partition by list (k);
      create table docs (id bigint primary key, user_id uuid references a (owner));
      create view v as select * from docs;
      create function f() returns int language sql security definer as $$ select 1 $$;`,
    '/ws/m/002.sql': `alter table a rename to accounts;
      create table p1 partition of p for values in (1);
      create index on docs (user_id);
      alter table docs enable row level security;
      create policy x on docs for select to authenticated using (auth.uid() = user_id);`,
    '/ws/m/003.sql': `alter table accounts enable row level security;
      alter table p enable row level security;
      alter table accounts add column name varchar(20) not null;
      alter view v set (security_invoker = on);
      alter function f() set search_path = '';
      drop table if exists gone;
      create table gone (id bigint primary key);
      drop table gone;`,
    '/ws/m/004.sql': `alter table accounts rename column owner to owner_id;
      create policy y on docs for all to authenticated using (true);
      drop table if exists p2;
      begin; create index concurrently on accounts (id); commit;`,
  });
});
