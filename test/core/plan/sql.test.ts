// The SQL built into fixes: which columns a condition compares, and how identifiers are quoted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionColumns, createIndexSql, quoteIdent } from '../../../src/core/plan/sql';
import { isWebviewToHost } from '../../../src/core/plan/protocol';

test('columns of the scanned relation, equality before range, literals and casts ignored', () => {
  assert.deepEqual(conditionColumns(`((o.total > '500'::numeric) AND (o.status = 'open'::text))`, ['o', 'orders']), { equality: ['status'], range: ['total'] });
  assert.deepEqual(conditionColumns(`(status = 'a = b'::text)`, ['orders']), { equality: ['status'], range: [] });
  // The other side of a join condition belongs to another relation.
  assert.deepEqual(conditionColumns('(l.order_id = o.id)', ['l', 'lines']), { equality: ['order_id'], range: [] });
  assert.deepEqual(conditionColumns('(o.id = l.order_id)', ['l', 'lines']), { equality: ['order_id'], range: [] });
  // Function calls are not columns; quoted identifiers are unquoted.
  assert.deepEqual(conditionColumns(`(("Owner Id" = auth.uid()) AND (lower(email) ~~ 'a%'::text))`, ['t']), { equality: ['Owner Id'], range: [] });
  assert.deepEqual(conditionColumns('(deleted_at IS NULL)', ['t']), { equality: ['deleted_at'], range: [] });
  assert.deepEqual(conditionColumns(`(name ~~ 'abc%'::text)`, ['t']), { equality: [], range: ['name'] });
});

test('index statements quote what needs quoting and keep names within 63 bytes', () => {
  assert.equal(quoteIdent('orders'), 'orders');
  assert.equal(quoteIdent('Orders'), '"Orders"');
  assert.equal(quoteIdent('user'), '"user"');
  assert.equal(quoteIdent('a"b'), '"a""b"');
  assert.equal(createIndexSql('public', 'Order Lines', ['Order Id']), 'CREATE INDEX CONCURRENTLY order_lines_order_id_idx ON public."Order Lines" ("Order Id");');
  const long = createIndexSql(null, 'x'.repeat(80), ['a']);
  const name = /INDEX CONCURRENTLY (\S+) ON/.exec(long)![1]!;
  assert.ok(name.length <= 63 && name.endsWith('_idx'), name);
});

test('the panel protocol accepts only well-formed webview messages', () => {
  assert.ok(isWebviewToHost({ type: 'ready' }));
  assert.ok(isWebviewToHost({ type: 'ask', nodeId: null }));
  assert.ok(isWebviewToHost({ type: 'ask', nodeId: 3 }));
  assert.ok(isWebviewToHost({ type: 'select', nodeId: 0 }));
  assert.ok(!isWebviewToHost({ type: 'select', nodeId: '0' }));
  assert.ok(!isWebviewToHost({ type: 'exec', sql: 'drop table x' }));
  assert.ok(!isWebviewToHost(null));
});
