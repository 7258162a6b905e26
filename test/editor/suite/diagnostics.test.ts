// The analyzer's editor face in a real VS Code: diagnostics on files never opened, live updates while typing,
// quick fixes (edit in place and new migration file), suppression, table hovers, rule docs links, and
// `.dbe.json` / settings handling. The suite writes its own migrations into the workspace it was given, in a
// folder of its own (zz_diag/) with table names no other fixture uses.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getApi, waitFor } from './util';
import type { TestServices } from '../../../src/vscode/testApi';


const BASE_SQL = `create table public.diag_orgs (
  id bigint generated always as identity primary key,
  name text not null
);
alter table public.diag_orgs enable row level security;
create policy "members read orgs" on public.diag_orgs for select to authenticated using (true);

create table public.diag_notes (
  id bigint generated always as identity primary key,
  org_id bigint not null references public.diag_orgs (id),
  user_id uuid not null,
  body text not null
);
`;

const TASKS_SQL = `create table public.diag_tasks (
  id bigint generated always as identity primary key,
  user_id uuid not null,
  title text not null
);
create index diag_tasks_user_id_idx on public.diag_tasks (user_id);
alter table public.diag_tasks enable row level security;

create policy "own tasks" on public.diag_tasks
  for select to authenticated
  using (auth.uid() = user_id);
`;

const root = () => vscode.workspace.workspaceFolders![0]!.uri;
const file = (...p: string[]) => vscode.Uri.joinPath(root(), 'zz_diag', ...p);
const base = () => file('0001_diag_base.sql');
const tasks = () => file('0002_diag_tasks.sql');
const text = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
const write = (uri: vscode.Uri, content: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));

let api: TestServices['diagnostics'];

/** Our diagnostics of one rule on a file (after pending analysis published). */
async function diags(uri: vscode.Uri, rule?: string): Promise<vscode.Diagnostic[]> {
  await api.whenIdle();
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'Database Engineer' && (!rule || (typeof d.code === 'object' && d.code.value === rule)));
}

/** Waits until `rule` shows on `uri` (present = true) or is gone (present = false). */
function waitRule(uri: vscode.Uri, rule: string, present: boolean, timeoutMs = 20000): Promise<vscode.Diagnostic[]> {
  return waitFor(`${rule} ${present ? 'on' : 'gone from'} ${vscode.workspace.asRelativePath(uri)}`, async () => {
    const ds = await diags(uri, rule);
    return (present ? ds.length > 0 : ds.length === 0) && ds;
  }, { timeoutMs });
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  await vscode.workspace.openTextDocument(uri); // the command needs the document's model, as when a user asks
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.saveAll');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('diagnostics', function () {
  this.timeout(60000);

  before(async () => {
    api = (await getApi()).diagnostics;
    assert.ok(api, 'the test API has no diagnostics');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), 'zz_diag'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await write(base(), BASE_SQL);
    await write(tasks(), TASKS_SQL);
  });

  after(async () => {
    await closeAll();
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), 'zz_diag'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), '.dbe.json')).then(undefined, () => undefined);
  });

  it('shows findings on a file that was never opened, with rule codes, ranges and docs links', async () => {
    const [rls] = await waitRule(base(), 'rls-disabled', true);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === base().toString()), 'the file must not have been opened');
    assert.equal(rls!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(rls!.message, /diag_notes/);
    // `create table public.diag_notes (` is line 8 (0-based 7); the range covers the table name.
    assert.deepEqual([rls!.range.start.line, rls!.range.start.character, rls!.range.end.line, rls!.range.end.character], [7, 13, 7, 30]);
    const code = rls!.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'rls-disabled');
    assert.equal(code.target.scheme, 'command');
    const [fk] = await diags(base(), 'unindexed-foreign-key');
    assert.ok(fk, 'unindexed-foreign-key expected on diag_notes.org_id');
    assert.equal(fk!.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(fk!.range.start.line, 9);
    const [auth] = await waitRule(tasks(), 'auth-function-per-row', true);
    assert.equal(auth!.range.start.line, 10);
    assert.equal(new vscode.Range(auth!.range.start, auth!.range.end).isSingleLine, true);
  });

  it('the diagnostic code link opens the rule docs', async () => {
    const [rls] = await diags(base(), 'rls-disabled');
    const target = (rls!.code as { target: vscode.Uri }).target;
    // What VS Code's opener does with a command: link (Problems panel and hovers open them with commands allowed).
    const args = JSON.parse(decodeURIComponent(target.query));
    const opened = await vscode.commands.executeCommand<vscode.Uri>(target.path, ...(Array.isArray(args) ? args : [args]));
    assert.ok(opened, 'the docs command returned no document');
    assert.equal(opened.scheme, 'dbe-rule');
    const doc = await vscode.workspace.openTextDocument(opened);
    assert.match(doc.getText(), /## rls-disabled/);
    assert.match(doc.getText(), /enable row level security/i);
    assert.match(doc.getText(), /dbe-ignore rls-disabled/);
    const tab = await waitFor('a tab showing the rule docs', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /rls-disabled/.test(t.label)));
    assert.match(tab.label, /rls-disabled\.md/);
    // Rendered by the built-in markdown preview (a webview), not shown as raw text.
    assert.ok(tab.input instanceof vscode.TabInputWebview, `expected a markdown preview, got ${tab.input?.constructor?.name}`);
    assert.match((tab.input as vscode.TabInputWebview).viewType, /markdown\.preview/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('hover on a table name shows its columns and RLS state', async () => {
    const doc = await vscode.workspace.openTextDocument(base());
    const pos = new vscode.Position(7, 20); // inside "diag_notes" of the CREATE TABLE
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const md = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(md, /diag_notes/);
    for (const col of ['org_id', 'user_id', 'body']) assert.match(md, new RegExp(`\\| ${col} \\|`));
    assert.match(md, /Row level security: \*\*disabled\*\*/);
    assert.match(md, /Foreign keys: \(org_id\) → diag_orgs/);
    // Hover on the orgs table referenced in the FK: RLS enabled and its policy listed.
    const orgs = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(9, 50));
    const orgsMd = orgs.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(orgsMd, /diag_orgs/);
    assert.match(orgsMd, /Row level security: enabled/);
    assert.match(orgsMd, /policy "members read orgs"/);
  });

  it('typing RLS into a later migration clears rls-disabled on the CREATE TABLE file', async () => {
    await waitRule(base(), 'rls-disabled', true);
    const editor = await vscode.window.showTextDocument(tasks());
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    const ok = await editor.edit((b) => b.insert(end, '\nalter table public.diag_notes enable row level security;\n'));
    assert.equal(ok, true);
    assert.equal(editor.document.isDirty, true);
    await waitRule(base(), 'rls-disabled', false);
    // Delete the typed line again: the finding comes back, from the editor's text, without saving.
    const typed = new vscode.Range(end, editor.document.lineAt(editor.document.lineCount - 1).range.end);
    assert.equal(await editor.edit((b) => b.delete(typed)), true);
    assert.equal(editor.document.getText(), TASKS_SQL);
    await waitRule(base(), 'rls-disabled', true);
    await editor.document.save();
  });

  it('the auth-function-per-row quick fix wraps the call in (select …) and the finding goes', async () => {
    const [d] = await waitRule(tasks(), 'auth-function-per-row', true);
    const actions = await quickFixes(tasks(), d!.range);
    const fix = actions.find((a) => /Wrap in \(select auth\.uid\(\)\)/.test(a.title));
    assert.ok(fix, `no wrap fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, true);
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    const doc = await vscode.workspace.openTextDocument(tasks());
    assert.match(doc.getText(), /using \(\(select auth\.uid\(\)\) = user_id\);/);
    await waitRule(tasks(), 'auth-function-per-row', false);
    await doc.save();
  });

  it('two auth.uid() in one policy: one "Fix all" quick fix and the source.fixAll action fix both', async () => {
    // A folder of its own, so the numbering of the migrations the later tests create is not disturbed.
    const two = vscode.Uri.joinPath(root(), 'zz_fixall', '0001_two_calls.sql');
    const sql = 'create table public.fixall_tasks (id bigint primary key, user_id uuid, assignee uuid);\nalter table public.fixall_tasks enable row level security;\n'
      + 'create policy "own or assigned" on public.fixall_tasks for update to authenticated\n  using (auth.uid() = user_id or auth.uid() = assignee);\n';
    await write(two, sql);
    try {
      const ds = await waitFor('two auth-function-per-row findings', async () => { const d = await diags(two, 'auth-function-per-row'); return d.length === 2 && d; });
      const quick = await quickFixes(two, ds[0]!.range);
      const all = quick.find((a) => a.title === 'Fix all auth-function-per-row in this file (2)');
      assert.ok(all, `quick fixes: ${quick.map((a) => a.title).join(' | ')}`);
      const source = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', two, new vscode.Range(0, 0, 0, 0), 'source.fixAll.databaseEngineer')) ?? [];
      assert.equal(source.length, 1, `source actions: ${source.map((a) => a.title).join(' | ')}`);
      assert.equal(await vscode.workspace.applyEdit(source[0]!.edit!), true);
      const doc = await vscode.workspace.openTextDocument(two);
      assert.match(doc.getText(), /using \(\(select auth\.uid\(\)\) = user_id or \(select auth\.uid\(\)\) = assignee\);/);
      await waitRule(two, 'auth-function-per-row', false);
      await doc.save();
    } finally {
      await closeAll();
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), 'zz_fixall'), { recursive: true, useTrash: false });
    }
  });

  it('the create-index quick fix writes a new migration after the others and opens it', async () => {
    const [d] = await waitRule(base(), 'unindexed-foreign-key', true);
    const actions = await quickFixes(base(), d!.range);
    const fix = actions.find((a) => /Create an index on diag_notes \(org_id\)/.test(a.title));
    assert.ok(fix, `no index fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.match(fix.title, /new migration 0003_index_diag_notes_org_id\.sql/);
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    const created = file('0003_index_diag_notes_org_id.sql');
    // The new file is written by the edit (unsaved until the user saves, like any refactoring edit).
    const createdDoc = await vscode.workspace.openTextDocument(created);
    assert.equal(createdDoc.getText(), 'create index concurrently if not exists diag_notes_org_id_idx on diag_notes (org_id);\n');
    // The action's command shows the new file, so the user sees where it went.
    assert.ok(fix.command, 'a fix that creates a file must open it');
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await waitFor('the new migration in the active editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === created.fsPath);
    await waitRule(base(), 'unindexed-foreign-key', false);
    await closeAll();
    assert.equal(await text(created), createdDoc.getText(), 'saving writes the new migration to disk');
  });

  it('"suppress for this statement" inserts a dbe-ignore comment and the finding goes', async () => {
    const [d] = await waitRule(base(), 'rls-disabled', true);
    const actions = await quickFixes(base(), d!.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Suppress rls-disabled in this file'), titles.join(' | '));
    const suppress = actions.find((a) => a.title === 'Suppress rls-disabled for this statement');
    assert.ok(suppress, titles.join(' | '));
    assert.equal(await vscode.workspace.applyEdit(suppress.edit!), true);
    const doc = await vscode.workspace.openTextDocument(base());
    assert.equal(doc.lineAt(7).text, '-- dbe-ignore rls-disabled');
    assert.equal(doc.lineAt(8).text, 'create table public.diag_notes (');
    await waitRule(base(), 'rls-disabled', false);
    await doc.save();
  });

  it('a broken .dbe.json shows one diagnostic on that file; a valid one applies', async () => {
    const config = vscode.Uri.joinPath(root(), '.dbe.json');
    const tags = file('0004_diag_text.sql');
    await write(tags, 'create table public.diag_tags (id bigint primary key, label varchar(40));\nalter table public.diag_tags enable row level security;\n');
    const [pt] = await waitRule(tags, 'prefer-text', true);
    assert.notEqual(pt!.severity, vscode.DiagnosticSeverity.Error);
    await write(config, '{\n  "rules": { "prefer-text": "off", "rls-disabledd": "off" }\n}\n');
    const d = await waitFor('a diagnostic on .dbe.json', async () => (await diags(config)).length === 1 && (await diags(config)));
    assert.match(d[0]!.message, /unknown rule "rls-disabledd"/);
    assert.equal(d[0]!.severity, vscode.DiagnosticSeverity.Error);
    // The broken file is not half-applied: findings still show, with the defaults.
    assert.equal((await diags(tags, 'prefer-text')).length, 1);
    // A valid config: severities apply, the config diagnostic goes.
    await write(config, '{ "rules": { "prefer-text": "error" } }\n');
    await waitFor('prefer-text as an error', async () => (await diags(tags, 'prefer-text'))[0]?.severity === vscode.DiagnosticSeverity.Error);
    await waitFor('.dbe.json diagnostic gone', async () => (await diags(config)).length === 0);
    await vscode.workspace.fs.delete(config);
    await waitFor('prefer-text back to its default severity', async () => (await diags(tags, 'prefer-text'))[0]?.severity === pt!.severity);
  });

  it('settings merge over .dbe.json: a rule turned off in databaseEngineer.lint.rules disappears', async () => {
    const settings = vscode.workspace.getConfiguration('databaseEngineer.lint');
    await waitRule(file('0004_diag_text.sql'), 'prefer-text', true);
    await settings.update('rules', { 'prefer-text': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitRule(file('0004_diag_text.sql'), 'prefer-text', false);
    } finally {
      await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitRule(file('0004_diag_text.sql'), 'prefer-text', true);
  });

  it('deleting a migration file removes its diagnostics', async () => {
    const uri = file('0004_diag_text.sql');
    await waitRule(uri, 'prefer-text', true);
    await vscode.workspace.fs.delete(uri);
    await waitFor('diagnostics of the deleted file gone', async () => (await diags(uri)).length === 0);
  });

  it('the enable-RLS quick fix in the newest migration adds RLS and an owner starter policy in place', async () => {
    const uri = file('0006_diag_items.sql');
    await write(uri, 'create table public.diag_items (\n  id bigint generated always as identity primary key,\n  user_id uuid not null,\n  name text not null\n);\n');
    const [d] = await waitRule(uri, 'rls-disabled', true);
    const fix = (await quickFixes(uri, d!.range)).find((a) => /Enable row level security/.test(a.title));
    assert.ok(fix, 'enable-RLS fix expected');
    assert.ok(!/new migration/.test(fix.title), `the newest migration is edited in place: ${fix.title}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    const doc = await vscode.workspace.openTextDocument(uri);
    // Qualified like the file writes its names (`create table public.diag_items`).
    assert.match(doc.getText(), /\);\n\nalter table public\.diag_items enable row level security;\n/);
    assert.match(doc.getText(), /create policy "Owners manage their diag_items" on public\.diag_items\n  for all to authenticated\n  using \(\(select auth\.uid\(\)\) = user_id\)/);
    await waitRule(uri, 'rls-disabled', false);
    await doc.save();
  });

  it('a syntax error shows as a diagnostic while typing and goes when fixed', async () => {
    const editor = await vscode.window.showTextDocument(file('0006_diag_items.sql'));
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, '\ncreate tabel public.oops (id int);\n'));
    const [d] = await waitRule(editor.document.uri, 'syntax-error', true);
    assert.equal(d!.range.start.line, editor.document.lineCount - 2);
    assert.equal(d!.severity, vscode.DiagnosticSeverity.Error);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitRule(editor.document.uri, 'syntax-error', false);
    await closeAll();
  });

  it('closing a document with unsaved edits goes back to the file on disk', async () => {
    const uri = file('0006_diag_items.sql');
    const editor = await vscode.window.showTextDocument(uri);
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, '\ncreate table public.diag_unsaved (id bigint primary key);\n'));
    await waitRule(uri, 'rls-disabled', true);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitRule(uri, 'rls-disabled', false);
  });

  it('a renamed migration keeps its findings under the new name', async () => {
    const from = file('0007_diag_rename.sql');
    const to = file('0008_diag_renamed.sql');
    await write(from, 'create table public.diag_moved (id bigint primary key, label varchar(20));\nalter table public.diag_moved enable row level security;\n');
    await waitRule(from, 'prefer-text', true);
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(from, to);
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await waitRule(to, 'prefer-text', true);
    await waitFor('no diagnostics left on the old name', async () => (await diags(from)).length === 0);
    await vscode.workspace.fs.delete(to);
  });

  it('scope "openFiles" shows diagnostics only for files open in an editor', async () => {
    const settings = vscode.workspace.getConfiguration('databaseEngineer.lint');
    const uri = file('0009_diag_scope.sql');
    await write(uri, 'create table public.diag_scoped (id bigint primary key);\n');
    await waitRule(uri, 'rls-disabled', true);
    await closeAll();
    await settings.update('scope', 'openFiles', vscode.ConfigurationTarget.Workspace);
    try {
      await waitRule(uri, 'rls-disabled', false);
      await vscode.window.showTextDocument(uri);
      await waitRule(uri, 'rls-disabled', true);
      await closeAll();
      await waitRule(uri, 'rls-disabled', false);
    } finally {
      await settings.update('scope', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitRule(uri, 'rls-disabled', true);
    await vscode.workspace.fs.delete(uri);
  });

  it('every other mechanical fix applies through the editor and clears its finding', async () => {
    const old = file('fixes', '0001_old.sql');
    const newer = file('fixes', '0002_new.sql');
    await write(old, [
      'create table public.fx_accounts (',
      '  id bigint generated always as identity primary key,',
      '  owner_id uuid not null,',
      '  email text not null',
      ');',
      'alter table public.fx_accounts enable row level security;',
      'create policy "own accounts" on public.fx_accounts for select to authenticated using ((select auth.uid()) = owner_id);',
      'create index fx_accounts_owner_idx on public.fx_accounts (owner_id);',
      '',
    ].join('\n'));
    await write(newer, [
      'create index fx_accounts_email_idx on public.fx_accounts (email);',
      '',
      "alter table public.fx_accounts add constraint fx_accounts_email_chk check (email <> '');",
      '',
      'create function public.fx_whoami() returns uuid',
      '  language sql security definer',
      '  as $$ select auth.uid() $$;',
      '',
      'create view public.fx_account_emails as select id, email from public.fx_accounts;',
      '',
    ].join('\n'));
    // The workspace is a Supabase project: the CLI runs each migration file in one transaction, so the fixes that
    // cannot run there (CREATE INDEX CONCURRENTLY, a VALIDATE that would keep ADD's lock) go to a new migration.
    const expected: [string, RegExp, RegExp | null][] = [
      ['require-concurrent-index', /^(?![\s\S]*create index fx_accounts_email_idx)/, /create index concurrently (if not exists )?fx_accounts_email_idx/],
      ['constraint-missing-not-valid', /check \(email <> ''\) not valid;/, /validate constraint fx_accounts_email_chk/],
      ['security-definer-search-path', /security definer\nset search_path = ''/, null],
      ['security-definer-view', /^/, /alter view (public\.)?fx_account_emails set \(security_invoker = on\);/],
    ];
    const folder = file('fixes');
    const names = async () => new Set((await vscode.workspace.fs.readDirectory(folder)).map(([n]) => n));
    for (const [rule, after, moved] of expected) {
      const [d] = await waitRule(newer, rule, true);
      const actions = await quickFixes(newer, d!.range);
      const fix = actions.find((a) => a.isPreferred && !a.title.startsWith('Suppress'));
      assert.ok(fix?.edit, `${rule}: no preferred fix among ${actions.map((a) => a.title).join(' | ')}`);
      const before = await names();
      assert.equal(await vscode.workspace.applyEdit(fix.edit), true, rule);
      const doc = await vscode.workspace.openTextDocument(newer);
      assert.match(doc.getText(), after, `${rule}:\n${doc.getText()}`);
      const added = [...await names()].filter((n) => !before.has(n));
      if (moved) {
        assert.equal(added.length, 1, `${rule}: one new migration, got ${added.join(', ')}`);
        const created = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, added[0]!));
        assert.match(created.getText(), moved, `${rule}: ${added[0]}`);
      } else {
        assert.deepEqual(added, [], `${rule}: fixed in place`);
      }
      await waitRule(newer, rule, false);
    }
    await closeAll();
    // What is left is advice (info), such as require-lock-timeout on the ALTER of an existing table.
    assert.deepEqual((await diags(newer)).filter((d) => d.severity !== vscode.DiagnosticSeverity.Information).map((d) => (d.code as { value: string }).value), []);
  });

  it('a duplicate index carries related information and is faded as unnecessary', async () => {
    // After the fixes above the first index lives in the migration the CONCURRENTLY fix created; this one goes last.
    const uri = file('fixes', '0009_dup.sql');
    await write(uri, 'create index concurrently fx_accounts_email_again on public.fx_accounts (email);\n');
    const [d] = await waitRule(uri, 'duplicate-index', true);
    assert.deepEqual(d!.tags, [vscode.DiagnosticTag.Unnecessary]);
    const related = d!.relatedInformation ?? [];
    assert.equal(related.length, 1);
    const first = await vscode.workspace.openTextDocument(related[0]!.location.uri);
    assert.match(first.lineAt(related[0]!.location.range.start.line).text, /create index concurrently (if not exists )?fx_accounts_email_idx/);
    assert.match(related[0]!.message, /fx_accounts_email_idx/);
  });

  it('measures one update after typing in a 1,000-statement migration', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 250; i++) {
      lines.push(
        `create table public.diag_big_${i} (id bigint generated always as identity primary key, owner_id uuid not null, body text);`,
        `alter table public.diag_big_${i} enable row level security;`,
        `create policy "own ${i}" on public.diag_big_${i} for select to authenticated using ((select auth.uid()) = owner_id);`,
        `create index diag_big_${i}_owner_idx on public.diag_big_${i} (owner_id);`,
      );
    }
    const big = file('0005_diag_big.sql');
    await write(big, lines.join('\n') + '\n');
    await waitFor('the big file analysed', async () => { await api.whenIdle(); return api.collection.has(big) || vscode.languages.getDiagnostics(big) !== undefined; });
    const editor = await vscode.window.showTextDocument(big);
    await api.whenIdle();
    const samples: number[] = [];
    const parts: string[] = [];
    for (let i = 0; i < 7; i++) {
      // Retype a column type inside one CREATE TABLE: that statement really changes and is re-parsed.
      const line = 4 * (i * 30 + 1);
      const at = editor.document.lineAt(line).text.indexOf('body text');
      const typed = i % 2 ? 'body text' : 'body  text';
      await editor.edit((b) => b.replace(new vscode.Range(line, at, line, at + (i % 2 ? 10 : 9)), typed));
      await api.whenIdle();
      const u = api.lastUpdate();
      samples.push(u.ms);
      parts.push(`${u.ms.toFixed(0)} (apply ${u.applyMs.toFixed(0)}, rules ${u.analyseMs.toFixed(0)}, send ${u.sendMs.toFixed(0)})`);
    }
    // A varchar column typed in the middle shows up: the update really re-analysed the file.
    await editor.edit((b) => b.insert(editor.document.lineAt(400).range.end, '\nalter table public.diag_big_100 add column note varchar(10);'));
    await waitRule(big, 'prefer-text', true);
    samples.sort((a, b) => a - b);
    console.log(`[figure] update latency on a 1,000-statement file: median ${samples[3]!.toFixed(1)} ms, max ${samples[6]!.toFixed(1)} ms after the 200 ms debounce; samples ${parts.join('; ')}`);
    await closeAll();
    await vscode.workspace.fs.delete(big);
  });
});
