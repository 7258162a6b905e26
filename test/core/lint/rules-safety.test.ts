import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFindings, applyEdits, lint } from './lint-helpers';

const M = (name: string) => `supabase/migrations/${name}.sql`;
const INIT = 'create table docs (id bigint primary key, owner_id uuid, title text, status text);';
const later = (sql: string) => ({ [M('001_init')]: INIT, [M('002_change')]: sql });
const count = async (rule: string, files: Record<string, string> | string, config = {}) => (await ruleFindings(rule, files, config)).length;

test('require-lock-timeout: once per file before the first lock on an existing table; SET lock_timeout first keeps it quiet', async () => {
  const f = await ruleFindings('require-lock-timeout', later('alter table docs add column a text;\nalter table docs add column b text;'));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'info');
  assert.equal(applyEdits('alter table docs add column a text;', f[0]!.fixes[0]!.edits[0]!.edits), "set lock_timeout = '5s';\n\nalter table docs add column a text;");
  assert.equal(await count('require-lock-timeout', later("set lock_timeout = '5s';\nalter table docs add column a text;")), 0);
  assert.equal(await count('require-lock-timeout', later("set local lock_timeout to '2s';\ndrop table docs;")), 0);
  assert.equal(await count('require-lock-timeout', INIT + '\nalter table docs add column a text;'), 0);
  assert.equal(await count('require-lock-timeout', later('create index on docs (owner_id);')), 1);
  assert.equal(await count('require-lock-timeout', later('create index concurrently on docs (owner_id);')), 0);
  assert.equal(await count('require-lock-timeout', later('alter table docs validate constraint c;')), 0);
});

test('statement-after-access-exclusive: a backfill after an ALTER in one transaction; quiet when each runs on its own', async () => {
  const sql = "alter table docs add column archived boolean;\nupdate docs set archived = false where archived is null;\nselect count(*) from docs;";
  const f = await ruleFindings('statement-after-access-exclusive', later(sql));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.range.start.line, 1);
  assert.match(f[0]!.message, /docs stays locked .* line 1\) while this statement runs in the one transaction the Supabase CLI runs/);
  // psql: each statement commits on its own.
  assert.equal(await count('statement-after-access-exclusive', { '/ws/db/001.sql': INIT, '/ws/db/002.sql': sql }), 0);
  assert.equal(await count('statement-after-access-exclusive', { '/ws/db/001.sql': INIT, '/ws/db/002.sql': `begin;\n${sql}\ncommit;` }), 1);
  // New tables hold no data; catalog-only statements after the lock are fine.
  assert.equal(await count('statement-after-access-exclusive', INIT + '\nalter table docs add column a text;\nupdate docs set a = title;'), 0);
  assert.equal(await count('statement-after-access-exclusive', later("alter table docs add column a text;\ncomment on column docs.a is 'x';\ngrant select on docs to anon;")), 0);
});

test('multiple-alter-table and wide-lock-window', async () => {
  const two = await ruleFindings('multiple-alter-table', later('alter table docs add column a text;\nalter table docs add column b text;\nalter table docs add column c text;'));
  assert.equal(two.length, 1);
  assert.equal(two[0]!.range.start.line, 1);
  assert.equal(await count('multiple-alter-table', later('alter table docs add column a text, add column b text;')), 0);
  assert.equal(await count('multiple-alter-table', INIT + '\nalter table docs add column a text;\nalter table docs add column b text;'), 0);
  const files = { [M('001_init')]: INIT + '\ncreate table tags (id bigint primary key);', [M('002_change')]: 'alter table docs add column a text;\nalter table tags add column b text;' };
  const wide = await ruleFindings('wide-lock-window', files);
  assert.equal(wide.length, 1);
  assert.match(wide[0]!.message, /locks tags while docs is still locked from line 1/);
  assert.equal(await count('wide-lock-window', { '/ws/db/001.sql': files[M('001_init')]!, '/ws/db/002.sql': files[M('002_change')]! }), 0);
});

test('enum-value-in-same-transaction: ADD VALUE then use in one transaction fails; next migration is fine', async () => {
  const init = { [M('001_init')]: "create type doc_status as enum ('draft', 'published');\ncreate table docs (id bigint primary key, status doc_status);" };
  const f = await ruleFindings('enum-value-in-same-transaction', { ...init, [M('002')]: "alter type doc_status add value 'archived';\nupdate docs set status = 'archived' where id = 1;" });
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'error');
  assert.equal(await count('enum-value-in-same-transaction', { ...init, [M('002')]: "alter type doc_status add value 'archived';", [M('003')]: "update docs set status = 'archived' where id = 1;" }), 0);
  assert.equal(await count('enum-value-in-same-transaction', { ...init, [M('002')]: "alter type doc_status add value 'archived';\nselect 'archived' as word;" }), 0);
  assert.equal(await count('enum-value-in-same-transaction', { ...init, [M('002')]: "alter type doc_status add value 'archived';\ninsert into docs values (2, 'archived'::doc_status);" }), 1);
});

test('enum-value-renamed-or-removed', async () => {
  const init = { [M('001_init')]: "create type doc_status as enum ('draft', 'published');" };
  assert.equal(await count('enum-value-renamed-or-removed', { ...init, [M('002')]: "alter type doc_status rename value 'draft' to 'wip';" }), 1);
  assert.equal(await count('enum-value-renamed-or-removed', { ...init, [M('002')]: "delete from pg_enum where enumlabel = 'draft';" }), 1);
  assert.equal(await count('enum-value-renamed-or-removed', { ...init, [M('002')]: "alter type doc_status add value 'archived';" }), 0);
  assert.equal(await count('enum-value-renamed-or-removed', "create type s as enum ('a');\nalter type s rename value 'a' to 'b';"), 0);
});

test('set-not-null-existing-table: the CHECK NOT VALID → VALIDATE → SET NOT NULL recipe is recognised and offered', async () => {
  const sql = 'alter table docs alter column title set not null;';
  const f = await ruleFindings('set-not-null-existing-table', later(sql));
  assert.equal(f.length, 1);
  const fix = f[0]!.fixes[0]!;
  const edited = applyEdits(sql, fix.edits[0]!.edits);
  assert.equal(edited, 'alter table docs add constraint docs_title_not_null check (title is not null) not valid;');
  assert.match(fix.create![0]!.content, /validate constraint docs_title_not_null;\nalter table docs alter column title set not null;\nalter table docs drop constraint docs_title_not_null;/);
  // Applying the fix leaves no finding of this rule or of constraint-missing-not-valid.
  const after = (await lint({ [M('001_init')]: INIT, [M('002_change')]: edited, [M(fix.create![0]!.file.replace(/^.*\//, '').replace('.sql', ''))]: fix.create![0]!.content })).findings;
  assert.deepEqual(after.filter((x) => x.rule === 'set-not-null-existing-table' || x.rule === 'constraint-missing-not-valid').map((x) => x.message), []);
  assert.equal(await count('set-not-null-existing-table', INIT + '\n' + sql), 0);
});

test('require-concurrent-index-drop: in place outside a transaction, its own migration inside one', async () => {
  const files = { [M('001_init')]: INIT + '\ncreate index docs_owner_idx on docs (owner_id);', [M('002_change')]: 'drop index docs_owner_idx;' };
  const f = await ruleFindings('require-concurrent-index-drop', files);
  assert.equal(f.length, 1);
  assert.equal(applyEdits(files[M('002_change')]!, f[0]!.fixes[0]!.edits[0]!.edits), 'drop index concurrently docs_owner_idx;');
  const multi = await ruleFindings('require-concurrent-index-drop', { ...files, [M('002_change')]: "set lock_timeout = '5s';\ndrop index docs_owner_idx;" });
  assert.deepEqual(multi[0]!.fixes[0]!.create, [{ file: '/ws/supabase/migrations/003_drop_index_docs_owner_idx.sql', content: 'drop index concurrently docs_owner_idx;\n' }]);
  assert.equal(await count('require-concurrent-index-drop', INIT + '\ncreate index i on docs (title);\ndrop index i;'), 0);
  assert.equal(await count('require-concurrent-index-drop', { ...files, [M('002_change')]: 'drop index concurrently docs_owner_idx;' }), 0);
});

test('dropping-not-null, constraint-builds-index, dml-without-where', async () => {
  assert.equal(await count('dropping-not-null', later('alter table docs alter column title drop not null;')), 1);
  assert.equal(await count('dropping-not-null', INIT + '\nalter table docs alter column title drop not null;'), 0);
  assert.equal(await count('constraint-builds-index', later('alter table docs add constraint docs_title_key unique (title);')), 1);
  assert.equal(await count('constraint-builds-index', later('alter table docs add primary key (id);')), 1);
  assert.equal(await count('constraint-builds-index', later('alter table docs add column slug text unique;')), 1);
  assert.equal(await count('constraint-builds-index', later('alter table docs add constraint docs_title_key unique using index docs_title_key;')), 0);
  assert.equal(await count('constraint-builds-index', INIT + '\nalter table docs add constraint k unique (title);'), 0);
  assert.equal(await count('dml-without-where', later("update docs set status = 'draft';")), 1);
  assert.equal(await count('dml-without-where', later('delete from docs;')), 1);
  assert.equal(await count('dml-without-where', later("update docs set status = 'draft' where status is null;")), 0);
  assert.equal(await count('dml-without-where', INIT + "\nupdate docs set status = 'draft';"), 0);
});

test('prefer-robust-stmts: statements of a file that runs outside a transaction because it holds CONCURRENTLY', async () => {
  const plain = (sql: string) => ({ '/ws/db/001.sql': INIT, '/ws/db/002.sql': sql });
  const f = await ruleFindings('prefer-robust-stmts', plain('create index concurrently docs_owner_idx on docs (owner_id);\ndrop index concurrently docs_old_idx;'));
  assert.equal(f.length, 2);
  assert.equal(applyEdits('create index concurrently docs_owner_idx on docs (owner_id);', f[0]!.fixes[0]!.edits[0]!.edits), 'create index concurrently if not exists docs_owner_idx on docs (owner_id);');
  assert.equal(await count('prefer-robust-stmts', plain('create index concurrently if not exists docs_owner_idx on docs (owner_id);')), 0);
  assert.equal(await count('prefer-robust-stmts', plain('create index docs_owner_idx on docs (owner_id);\nalter table docs add column a text;')), 0);
});

test('transaction-nesting: BEGIN/COMMIT in a file a wrapping tool runs in its own transaction', async () => {
  const sql = 'begin;\nalter table docs add column a text;\ncommit;';
  assert.equal(await count('transaction-nesting', { '/ws/db/002.sql': sql }, { migrationTool: 'node-pg-migrate' }), 2);
  assert.equal(await count('transaction-nesting', { '/ws/db/002.sql': sql }), 0);
  assert.equal(await count('transaction-nesting', later(sql)), 0);
});

test('drop-database, truncate-table, uncommitted-transaction, blocking-maintenance', async () => {
  assert.equal(await count('drop-database', 'drop database app;'), 1);
  assert.equal(await count('truncate-table', later('truncate docs cascade;')), 1);
  assert.equal(await count('truncate-table', INIT + '\ntruncate docs;'), 0);
  assert.equal(await count('uncommitted-transaction', 'begin;\ncreate table t (id bigint);'), 1);
  assert.equal(await count('uncommitted-transaction', 'begin;\ncreate table t (id bigint);\ncommit;'), 0);
  for (const sql of ['vacuum full docs;', 'cluster docs using docs_pkey;', 'reindex table docs;', 'refresh materialized view mv;']) assert.equal(await count('blocking-maintenance', later(sql)), 1, sql);
  for (const sql of ['vacuum docs;', 'reindex table concurrently docs;', 'refresh materialized view concurrently mv;']) assert.equal(await count('blocking-maintenance', later(sql)), 0, sql);
});
