// A server error's position (PostgreSQL counts from the start of "EXPLAIN (…)") lands on the word in the text
// as given, comments before the statement included: what the editor's diagnostic and the panel rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { embeddedTarget } from '../../../src/core/db/explainTarget';
import { explain, ExplainError } from '../../../src/core/db/explain';

test('a typo in a column name: line and column of the word, after a leading comment', async () => {
  const db = await PGlite.create();
  try {
    await db.exec('create table documents(id int, title text)');
    const err = await explain(embeddedTarget(db), { query: '-- a typo\nselect id, titel\nfrom documents' }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof ExplainError);
    assert.equal(err.kind, 'server');
    assert.deepEqual({ line: err.details.line, column: err.details.column }, { line: 2, column: 12 });
    assert.equal(err.details.reason, 'column "titel" does not exist');
  } finally {
    await db.close();
  }
});
