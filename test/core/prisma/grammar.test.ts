// The Prisma grammar the extension contributes when the Prisma extension is absent: well-formed, wired in the
// manifest under the official language id, and its patterns match what they should on real schema lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const grammarPath = join(root, 'syntaxes', 'prisma.tmLanguage.json');
const grammar = JSON.parse(readFileSync(grammarPath, 'utf8'));

type Rule = { match?: string; begin?: string; end?: string; include?: string; patterns?: Rule[]; captures?: Record<string, Rule>; beginCaptures?: Record<string, Rule> };

function* rules(r: Rule): Generator<Rule> {
  yield r;
  for (const p of r.patterns ?? []) yield* rules(p);
  for (const c of Object.values({ ...r.captures, ...r.beginCaptures })) yield* rules(c);
}
const all = [...(grammar.patterns as Rule[]), ...(Object.values(grammar.repository) as Rule[])].flatMap((r) => [...rules(r)]);

test('the manifest contributes language `prisma` (the Prisma extension\'s id) with this grammar under its own scope name', () => {
  const lang = manifest.contributes.languages.find((l: { id: string }) => l.id === 'prisma');
  assert.ok(lang, 'no prisma language contribution');
  assert.deepEqual(lang.extensions, ['.prisma']);
  assert.ok(existsSync(join(root, lang.configuration)));
  const g = manifest.contributes.grammars.find((x: { language: string }) => x.language === 'prisma');
  assert.equal(join(root, g.path), grammarPath);
  assert.equal(g.scopeName, grammar.scopeName);
  assert.notEqual(grammar.scopeName, 'source.prisma', 'the official extension owns source.prisma; ours must not replace its file');
  assert.match(readFileSync(join(root, '.vscodeignore'), 'utf8'), /^!syntaxes\/\*\*$/m, 'the grammar ships in the .vsix');
});

test('every include resolves and every pattern compiles', () => {
  for (const r of all) {
    if (r.include?.startsWith('#')) assert.ok(grammar.repository[r.include.slice(1)], `unresolved ${r.include}`);
    for (const re of [r.match, r.begin, r.end]) if (re) assert.doesNotThrow(() => new RegExp(re), re);
  }
});

test('the patterns recognise a model block, typed fields, attributes with arguments and comments', () => {
  const repo = grammar.repository;
  const block = new RegExp(repo.block.begin).exec('model Post {');
  assert.deepEqual(block?.slice(1, 4), ['model', 'Post', '{']);
  const field = new RegExp(repo.field.match).exec('  authorId  String?  @map("author_id") @db.Uuid');
  assert.deepEqual(field?.slice(1, 5), ['authorId', 'String', undefined, '?']);
  const list = new RegExp(repo.field.match).exec('  posts Post[]');
  assert.deepEqual(list?.slice(1, 4), ['posts', 'Post', '[]']);
  const [withArgs, bare] = repo.attribute.patterns as Rule[];
  assert.deepEqual(new RegExp(withArgs!.begin!).exec('@db.Timestamptz(3)')?.slice(1, 4), ['@', 'db.Timestamptz', '(']);
  assert.deepEqual(new RegExp(withArgs!.begin!).exec('@@index([authorId])')?.slice(1, 3), ['@@', 'index']);
  assert.deepEqual(new RegExp(bare!.match!).exec('@id')?.slice(1, 3), ['@', 'id']);
  assert.ok(new RegExp(repo.comments.patterns[0].match).test('/// The author'));
});
