import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensurePrismaParser, parsePrismaFile, buildSchemas, columnOf, modelAtPosition } from '../../../src/core/prisma';
import { slice } from './helpers';

before(() => ensurePrismaParser());

const at = (text: string, needle: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  const lines = text.slice(0, i).split('\n');
  return { line: lines.length - 1, column: lines[lines.length - 1]!.length };
};

test('ranges are 0-based lines and UTF-16 columns, also after multi-byte characters on the same line', () => {
  // Prisma identifiers are ASCII; multi-byte text lives in comments, strings and @map names.
  const text = `// Ünïcødé 😀 header\nmodel Cafe {\n  id   Int    @id\n  name String @default("😀é") @map("name_😀") // ✓ 😀\n  note String @db.Text\n}\n`;
  const f = parsePrismaFile('/ws/schema.prisma', text);
  assert.equal(f.parseError, undefined);
  const m = f.models[0]!;
  assert.equal(m.name, 'Cafe');
  assert.deepEqual(m.nameRange.start, at(text, 'Cafe'));
  assert.equal(slice(text, m.nameRange), 'Cafe');
  const name = m.fields.find((x) => x.name === 'name')!;
  assert.equal(slice(text, name.nameRange), 'name');
  assert.equal(slice(text, name.typeRange), 'String');
  const map = name.attributes.find((a) => a.name === 'map')!;
  // "@map" comes after "😀é" (3 UTF-16 units) on the same line: the column counts UTF-16 units.
  assert.deepEqual(map.range.start, at(text, '@map'));
  assert.equal(slice(text, map.range), '@map');
  assert.equal(columnOf(name), 'name_😀');
  const db = m.fields.find((x) => x.name === 'note')!.attributes[0]!;
  assert.equal(db.group, 'db');
  assert.equal(db.name, 'Text');
  assert.deepEqual(m.closeBrace, at(text, '}'));
  assert.deepEqual(m.range.end, { line: at(text, '}').line, column: 1 });
});

test('closing brace is found past braces and slashes inside strings and comments', () => {
  const text = `model A {\n  id Int @id // } not the end\n  s  String @default("}//{")\n}\n\nmodel B {\n  id Int @id\n}\n`;
  const f = parsePrismaFile('/ws/s.prisma', text);
  assert.deepEqual(f.models.map((m) => m.closeBrace), [at(text, '}\n\nmodel B'), at(text, '}', 3)]);
});

test('a syntax error is a value with a position, not a throw', () => {
  const text = `model A {\n  id Int @id\n  oops = = 3\n}\n`;
  const f = parsePrismaFile('/ws/s.prisma', text);
  assert.ok(f.parseError);
  assert.equal(f.models.length, 0);
  assert.equal(f.parseError.range.start.line, 2);
});

test('@@map, @map and @@schema give the real table and column names', () => {
  const text = `datasource db {\n  provider = "postgresql"\n  url = env("X")\n  schemas = ["public", "billing"]\n}\nmodel Invoice {\n  id Int @id\n  totalCents Int @map("total_cents")\n  @@map("invoices")\n  @@schema("billing")\n}\nmodel Plain {\n  id Int @id\n}\n`;
  const [s] = buildSchemas([parsePrismaFile('/ws/prisma/schema.prisma', text)]);
  assert.equal(s!.provider, 'postgresql');
  assert.deepEqual(s!.models.get('Invoice')!.table, { schema: 'billing', name: 'invoices', key: 'billing.invoices' });
  assert.deepEqual(s!.models.get('Plain')!.table.key, 'public.Plain');
  assert.equal(columnOf(s!.models.get('Invoice')!.model.fields[1]!), 'total_cents');
  assert.deepEqual(parsePrismaFile('/ws/p.prisma', text).datasource!.schemas, ['public', 'billing']);
});

test('multi-file schemas (prisma/schema/*.prisma) resolve relations across files; other folders stay apart', () => {
  const main = parsePrismaFile('/ws/prisma/schema/main.prisma', `generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["prismaSchemaFolder"]\n}\ndatasource db {\n  provider = "postgresql"\n  url = env("X")\n}\n`);
  const user = parsePrismaFile('/ws/prisma/schema/user.prisma', `model User {\n  id Int @id\n  posts Post[]\n}\n`);
  const post = parsePrismaFile('/ws/prisma/schema/blog/post.prisma', `model Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\n`);
  const other = parsePrismaFile('/ws/other/schema.prisma', `model Thing {\n  id Int @id\n}\n`);
  assert.deepEqual(main.previewFeatures, ['prismaSchemaFolder']);
  const schemas = buildSchemas([user, other, post, main]);
  assert.equal(schemas.length, 2);
  const s = schemas.find((x) => x.root === '/ws/prisma/schema')!;
  assert.deepEqual([...s.models.keys()].sort(), ['Post', 'User']);
  assert.equal(s.datasourceFile, '/ws/prisma/schema/main.prisma');
});

test('implicit many-to-many join tables: _AToB by model name order, or _Name for a named relation', () => {
  const text = `model Tag {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  tags Tag[]\n  followers User[] @relation("Likes")\n}\nmodel User {\n  id Int @id\n  liked Post[] @relation("Likes")\n}\n`;
  const [s] = buildSchemas([parsePrismaFile('/ws/schema.prisma', text)]);
  const names = s!.joinTables.map((j) => `${j.table.key} ${j.a.model.model.name}.${j.a.field.name} ${j.b.model.model.name}.${j.b.field.name}`).sort();
  assert.deepEqual(names, ['public._Likes Post.followers User.liked', 'public._PostToTag Post.tags Tag.posts']);
});

test('modelAtPosition: a model name, or a field type naming a model in another file of the schema', () => {
  const a = parsePrismaFile('/ws/prisma/schema/a.prisma', `datasource db {\n  provider = "postgresql"\n  url = env("X")\n}\nmodel Post {\n  id     Int  @id\n  author User @relation(fields: [id], references: [id])\n}\n`);
  const b = parsePrismaFile('/ws/prisma/schema/b.prisma', `model User {\n  id Int @id\n  posts Post[]\n  @@map("users")\n}\n`);
  assert.equal(modelAtPosition([a, b], a.path, { line: 4, column: 8 })?.model.name, 'Post');
  assert.equal(modelAtPosition([a, b], a.path, { line: 6, column: 10 })?.table.key, 'public.users');
  assert.equal(modelAtPosition([a, b], a.path, { line: 5, column: 10 }), undefined, 'Int is not a model');
});

test('block-by-block parsing: a cached block moved elsewhere gets its new positions; errors keep file positions', () => {
  const post = `model Post {\n  id    Int    @id\n  title String @map("tïtle")\n}\n`;
  const first = parsePrismaFile('/ws/a.prisma', post);
  const moved = `// 😀 a comment that shifts everything\nenum Role {\n  ADMIN\n}\n\n${post}`;
  const second = parsePrismaFile('/ws/b.prisma', moved);
  assert.deepEqual(first.models[0]!.nameRange.start, { line: 0, column: 6 });
  assert.deepEqual(second.models[0]!.nameRange.start, at(moved, 'Post'));
  assert.equal(slice(moved, second.models[0]!.fields[1]!.attributes[0]!.range), '@map');
  assert.equal(slice(post, first.models[0]!.fields[1]!.attributes[0]!.range), '@map', 'the cached original is untouched');
  assert.deepEqual(second.enums, ['Role']);
  const broken = `${moved}\nmodel Bad {\n  id Int @id\n  x = = 1\n}\n`;
  const bad = parsePrismaFile('/ws/c.prisma', broken);
  assert.equal(bad.parseError?.range.start.line, at(broken, 'x = =').line);
  const junk = parsePrismaFile('/ws/d.prisma', `${post}\nthis is not prisma\n`);
  assert.ok(junk.parseError, 'text outside any block is an error too (whole-file parse)');
  assert.equal(junk.parseError.range.start.line, 5);
});
