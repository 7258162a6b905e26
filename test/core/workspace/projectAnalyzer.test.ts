// The Project's one analyzer: overlays (unsaved editor text) seen by every reader, the other SQL files and the
// .prisma files analysed with the migrations, and the two ways of staying current (walk every time, or watched).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findingsWithExtraFile, Project } from '../../../src/core/workspace/project';
import { lintSql, runTool } from '../../../src/core/tools';
import { findingsOn } from '../../../src/core/assist/slashCommands';

const made: string[] = [];
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dbe-analysis-'));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return root;
}

function write(root: string, rel: string, text: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

const SAFE = 'create table public.notes (id bigint generated always as identity primary key, body text);\nalter table public.notes enable row level security;\n';
const UNSAFE = 'create table public.notes (id bigint generated always as identity primary key, body text);\n';
const rules = (list: { rule: string }[]) => list.map((f) => f.rule).sort();

test('an overlay stands in for the file: the analysis, the lint_sql tool and /review see the unsaved text; clearing it brings the disk back', async () => {
  const root = tree({ 'supabase/migrations/0001_notes.sql': SAFE });
  const migration = join(root, 'supabase/migrations/0001_notes.sql');
  const project = new Project({ root });
  assert.ok(!rules((await project.analysis()).analyzer.findingsFor(migration)).includes('rls-disabled'));

  project.setOverlay(migration, UNSAFE);
  const ws = await project.analysis();
  assert.equal(ws.analyzer.textOf(migration), UNSAFE, 'the walk reads the overlay, not the disk');
  assert.ok(rules(ws.analyzer.findingsFor(migration)).includes('rls-disabled'));

  const tool = await runTool(lintSql, { files: ['supabase/migrations/0001_notes.sql'] }, { project });
  assert.match(tool.content, /0001_notes\.sql:1:\d+ \w+ \[rls-disabled\]/);
  const review = await findingsOn(project, { path: migration, text: UNSAFE });
  assert.ok(rules(review).includes('rls-disabled'));

  project.clearOverlay(migration);
  const back = await project.analysis();
  assert.equal(back.analyzer.textOf(migration), SAFE);
  assert.ok(!rules(back.analyzer.findingsFor(migration)).includes('rls-disabled'));
});

test('the other SQL files and the .prisma files are analysed after the migrations; the schema the agents see is the migrations\'', async () => {
  const root = tree({
    'supabase/migrations/0001_notes.sql': SAFE,
    'queries/broken.sql': 'selec * from public.notes;\n',
    'scratch/try.sql': 'create table public.scratch_t (id int);\n',
    'zz/prisma/schema.prisma': 'model Note {\n  body String?\n  @@map("notes")\n}\n',
  });
  const project = new Project({ root });
  const ws = await project.analysis();
  assert.deepEqual(ws.files, [join(root, 'supabase/migrations/0001_notes.sql')]);
  assert.deepEqual(ws.otherFiles, [join(root, 'queries/broken.sql'), join(root, 'scratch/try.sql')]);
  assert.deepEqual(ws.prismaFiles, [join(root, 'zz/prisma/schema.prisma')]);
  assert.deepEqual(ws.analyzer.paths(), [...ws.files, ...ws.otherFiles, ...ws.prismaFiles], 'migrations first, in apply order');
  assert.deepEqual(rules(ws.analyzer.findingsFor(join(root, 'queries/broken.sql'))), ['syntax-error']);
  // The model's table has RLS on and no policy: said on the model too (prisma-rls-without-policy).
  assert.deepEqual(rules(ws.analyzer.findings().filter((f) => f.file === join(root, 'zz/prisma/schema.prisma'))), ['prisma-missing-id', 'prisma-rls-without-policy']);
  assert.ok(ws.analyzer.model().tables.has('public.scratch_t'), 'the linter\'s model applies every file, as the editor always did');
  assert.deepEqual([...ws.schema().tables.keys()], ['public.notes'], 'a scratch file is not the database');
  assert.equal(ws.schema(), ws.schema(), 'built once while the migrations stay the same');
});

test('unwatched, every analysis() reads the disk again; watched, only what fileChanged reported', async () => {
  const root = tree({ 'migrations/0001_notes.sql': SAFE });
  const first = join(root, 'migrations/0001_notes.sql');
  const second = join(root, 'migrations/0002_more.sql');
  const unwatched = new Project({ root });
  const watched = new Project({ root, watched: true });
  await unwatched.analysis();
  await watched.analysis();

  writeFileSync(first, UNSAFE);
  write(root, 'migrations/0002_more.sql', 'create table public.more (id int primary key);\n');
  assert.equal((await unwatched.analysis()).analyzer.textOf(first), UNSAFE);
  assert.deepEqual((await unwatched.analysis()).files, [first, second]);
  assert.equal((await watched.analysis()).analyzer.textOf(first), SAFE, 'not reported yet: not read');

  watched.fileChanged(first);
  assert.equal((await watched.analysis()).analyzer.textOf(first), UNSAFE);
  watched.fileChanged(second);
  assert.deepEqual((await watched.analysis()).files, [first, second], 'a new file: the set is walked again');

  unlinkSync(first);
  watched.fileChanged(first);
  const ws = await watched.analysis();
  assert.deepEqual(ws.files, [second]);
  assert.ok(!ws.analyzer.hasFile(first));
});

test('an overlay applies to the loaded analyzer at once, and a closed buffer of a deleted file leaves the analysis', async () => {
  const root = tree({ 'migrations/0001_notes.sql': SAFE });
  const project = new Project({ root, watched: true });
  const { analyzer } = await project.analysis();
  const path = join(root, 'migrations/0001_notes.sql');
  assert.equal(project.setOverlay(path, UNSAFE), true, 'applied without a sync: a keystroke costs the analyzer\'s update only');
  assert.equal(analyzer.textOf(path), UNSAFE);
  assert.equal(project.setOverlay(path, UNSAFE), false, 'unchanged text is not redone');

  // A new, unsaved file (no disk content yet) is analysed from its buffer; closing it unsaved drops it.
  const draft = join(root, 'queries/draft.sql');
  project.setOverlay(draft, 'selec 1;\n');
  assert.deepEqual(rules((await project.analysis()).analyzer.findingsFor(draft)), ['syntax-error']);
  project.clearOverlay(draft);
  assert.ok(!(await project.analysis()).analyzer.hasFile(draft));
});

test('findingsWithExtraFile on a file of the project restores its text afterwards', async () => {
  const root = tree({ 'migrations/0001_notes.sql': SAFE, 'queries/q.sql': 'select 1;\n' });
  const ws = await new Project({ root }).analysis();
  for (const path of [join(root, 'migrations/0001_notes.sql'), join(root, 'queries/q.sql')]) {
    const before = ws.analyzer.textOf(path);
    assert.deepEqual(rules(findingsWithExtraFile(ws, path, 'selec 2;\n')), ['syntax-error']);
    assert.equal(ws.analyzer.textOf(path), before);
  }
  assert.deepEqual(ws.analyzer.paths(), [join(root, 'migrations/0001_notes.sql'), join(root, 'queries/q.sql')]);
});
