// Prisma schemas in a real VS Code: the example project (examples/prisma-supabase-app) is written into the test workspace
// (zz_prisma/), and opening its schema.prisma must show prisma-rls-missing on the model name and
// prisma-unindexed-relation on the field, with one-click fixes that work: the @@index quick fix edits the model,
// the RLS quick fix writes a new Prisma migration, and both findings go away. Edits re-lint as you type, and the
// "Optimize model" / "Review schema" actions hand the model to the @prisma agent.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getApi, ourExtension, waitFor } from './util';
import type { TestServices } from '../../../src/vscode/testApi';


const EXAMPLE_FILES = ['prisma/schema.prisma', 'prisma/migrations/20250101000000_init/migration.sql', 'prisma/migrations/20250115000000_enable_rls/migration.sql'];

const root = () => vscode.workspace.workspaceFolders![0]!.uri;
const target = (...p: string[]) => vscode.Uri.joinPath(root(), 'zz_prisma', ...p);
const schemaUri = () => target('prisma', 'schema.prisma');

let api: TestServices['diagnostics'];

function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

async function diags(uri: vscode.Uri, rule: string): Promise<vscode.Diagnostic[]> {
  await api.whenIdle();
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Database Engineer' && codeOf(d) === rule);
}

/** Waits until `rule` shows on `uri` at a diagnostic `match` accepts (present) or none does (absent). */
function waitRule(uri: vscode.Uri, rule: string, present: boolean, match: (d: vscode.Diagnostic) => boolean = () => true): Promise<vscode.Diagnostic[]> {
  return waitFor(`${rule} ${present ? 'on' : 'gone from'} ${vscode.workspace.asRelativePath(uri)}`, async () => {
    const ds = (await diags(uri, rule)).filter(match);
    return (present ? ds.length > 0 : ds.length === 0) && ds;
  }, { timeoutMs: 30000 });
}

const at = (line: number, character: number) => (d: vscode.Diagnostic) => d.range.start.line === line && d.range.start.character === character;

async function actions(uri: vscode.Uri, range: vscode.Range, kind: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind.value)) ?? [];
}

describe('prisma', function () {
  this.timeout(90000);

  before(async () => {
    api = (await getApi()).diagnostics;
    assert.ok(api, 'the test API has no diagnostics');
    const ext = await ourExtension();
    await vscode.workspace.fs.delete(target(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    for (const rel of EXAMPLE_FILES) {
      const content = await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(ext.extensionPath, 'examples', 'prisma-supabase-app', rel)));
      await vscode.workspace.fs.writeFile(target(...rel.split('/')), content);
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revertAll').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(target(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  it('opening schema.prisma shows prisma-rls-missing on the model name and prisma-unindexed-relation on the field', async () => {
    const doc = await vscode.workspace.openTextDocument(schemaUri());
    await vscode.window.showTextDocument(doc);
    // `model Post {` is line 27 (0-based 26); `  authorId  String …` line 32 (0-based 31).
    const [rls] = await waitRule(schemaUri(), 'prisma-rls-missing', true, at(26, 6));
    assert.equal(doc.getText(rls!.range), 'Post');
    assert.equal(rls!.severity, vscode.DiagnosticSeverity.Error, 'as severe as rls-disabled, which stays quiet on the generated migration');
    assert.match(rls!.message, /table "Post"/);
    const [fk] = await waitRule(schemaUri(), 'prisma-unindexed-relation', true);
    assert.equal(doc.getText(fk!.range), 'authorId');
    assert.equal(fk!.range.start.line, 31);
    // Quiet where the example is right: User, Comment, Order and Tag have RLS in the second migration.
    // (Waits for every migration file to be read: each lives in a folder of its own, created in one go.)
    await waitFor('prisma-rls-missing on Post and Post.tags only', async () =>
      JSON.stringify((await diags(schemaUri(), 'prisma-rls-missing')).map((d) => doc.getText(d.range)).sort()) === '["Post","tags"]');
  });

  it('the @@index quick fix inserts @@index([authorId]) into the model and the finding goes away', async () => {
    const [fk] = await waitRule(schemaUri(), 'prisma-unindexed-relation', true);
    const list = await actions(schemaUri(), fk!.range, vscode.CodeActionKind.QuickFix);
    const fix = list.find((a) => a.title === 'Add @@index([authorId]) to Post');
    assert.ok(fix, `no index fix among: ${list.map((a) => a.title).join(' | ')}`);
    assert.ok(list.some((a) => a.title === 'Suppress prisma-unindexed-relation for this field'), 'a suppression is offered too');
    // The cascade finding on the next line offers the same fix; over both lines it is listed once.
    const both = await actions(schemaUri(), new vscode.Range(fk!.range.start, new vscode.Position(fk!.range.start.line + 1, 80)), vscode.CodeActionKind.QuickFix);
    assert.equal(both.filter((a) => a.title === fix.title).length, 1, both.map((a) => a.title).join(' | '));
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    const doc = await vscode.workspace.openTextDocument(schemaUri());
    assert.match(doc.getText(), /  tags      Tag\[\]\n  createdAt DateTime  @default\(now\(\)\)\n\n  @@index\(\[authorId\]\)\n}\n/);
    await waitRule(schemaUri(), 'prisma-unindexed-relation', false);
    await waitRule(schemaUri(), 'prisma-cascade-delete-unindexed', false);
  });

  it('the RLS quick fix writes a Prisma migration enabling RLS with an owner policy; the finding goes away', async () => {
    const [rls] = await waitRule(schemaUri(), 'prisma-rls-missing', true, at(26, 6));
    const list = await actions(schemaUri(), rls!.range, vscode.CodeActionKind.QuickFix);
    const fix = list.find((a) => /^Create RLS migration for "Post" \(\d{14}_enable_rls_post\)$/.test(a.title));
    assert.ok(fix, `no RLS fix among: ${list.map((a) => a.title).join(' | ')}`);
    const created = fix.command?.arguments?.[0] as vscode.Uri;
    assert.ok(created, 'the fix opens the migration it creates');
    assert.match(vscode.workspace.asRelativePath(created), /^zz_prisma\/prisma\/migrations\/\d{14}_enable_rls_post\/migration\.sql$/);
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    const sql = (await vscode.workspace.openTextDocument(created)).getText();
    assert.match(sql, /^alter table "Post" enable row level security;$/m);
    assert.match(sql, /create policy "Owners manage their Post" on "Post"\n  for all to authenticated\n  using \(\(select auth\.uid\(\)\) = "authorId"\)\n  with check \(\(select auth\.uid\(\)\) = "authorId"\);/);
    await waitRule(schemaUri(), 'prisma-rls-missing', false, at(26, 6));
    // The SQL analyzer sees the same migration: rls-disabled on "Post" in the init migration is gone as well.
    await waitRule(target('prisma', 'migrations', '20250101000000_init', 'migration.sql'), 'rls-disabled', false, at(11, 13));
    await vscode.workspace.save(created);
  });

  it('typing in schema.prisma re-lints it (a new money Float appears, a suppression comment hides it)', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(schemaUri()));
    const line = editor.document.getText().split('\n').findIndex((l) => l.startsWith('  exchangeRate'));
    await editor.edit((e) => e.insert(new vscode.Position(line, 0), '  shippingFee  Float\n'));
    const [fee] = await waitRule(schemaUri(), 'prisma-float-money', true, (d) => d.range.start.line === line);
    assert.equal(editor.document.getText(fee!.range), 'Float');
    await editor.edit((e) => e.insert(new vscode.Position(line, 0), '  // dbe-ignore prisma-float-money\n'));
    await waitRule(schemaUri(), 'prisma-float-money', false, (d) => d.range.start.line === line + 1);
  });

  it('hovering a model name or a relation type shows its table as the migrations leave it', async () => {
    const doc = await vscode.workspace.openTextDocument(schemaUri());
    const lines = doc.getText().split('\n');
    const hoverText = async (line: number, character: number) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', schemaUri(), new vscode.Position(line, character));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    const order = await hoverText(lines.findIndex((l) => l.startsWith('model Order')), 8);
    assert.match(order, /Prisma model \*\*Order\*\* → table orders/);
    assert.match(order, /Row level security: enabled/);
    const user = await hoverText(lines.findIndex((l) => l.startsWith('  author    User')), 13);
    assert.match(user, /Prisma model \*\*User\*\* → table users/);
  });

  it('"Optimize model" and "Review schema" open the @prisma agent in chat with the model and its table', async () => {
    const doc = await vscode.workspace.openTextDocument(schemaUri());
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('model Order'));
    const list = await actions(schemaUri(), new vscode.Range(line + 2, 4, line + 2, 4), vscode.CodeActionKind.Refactor);
    const optimize = list.find((a) => a.title === 'Optimize model Order with @prisma');
    assert.ok(optimize, `no optimize action among: ${list.map((a) => a.title).join(' | ')}`);
    assert.equal(optimize.command?.command, 'workbench.action.chat.open');
    const query = (optimize.command!.arguments![0] as { query: string }).query;
    assert.match(query, /^@prisma Optimize the Prisma model Order \(table orders\)/);
    assert.match(query, /```prisma\nmodel Order \{\n[\s\S]*@@map\("orders"\)\n\}\n```/);
    assert.match(query, /Row level security: enabled\n- policy "Customers read their orders"/, 'the table as the migrations leave it is attached');
    assert.match(query, /Indexes: .*orders_user_id_created_at_idx/);
    const review = list.find((a) => a.title === 'Review schema with @prisma');
    assert.ok(review);
    assert.match((review.command!.arguments![0] as { query: string }).query, /^@prisma Review this Prisma schema[\s\S]*model AuditEvent/);
  });
});
