import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFindings } from '../lint/lint-helpers';

test('multiple-permissive-policies: 4,000 policies on one table give bounded messages (a few named, the rest counted)', async () => {
  const n = 4000;
  const sql = 'create table d (id bigint primary key, public boolean); alter table d enable row level security;\n'
    + Array.from({ length: n }, (_, i) => `create policy p${i} on d for select to authenticated using (public);`).join('\n');
  const findings = await ruleFindings('multiple-permissive-policies', sql);
  assert.equal(findings.length, n - 1);
  const longest = Math.max(...findings.map((f) => f.message.length));
  assert.ok(longest < 300, `longest message ${longest} characters`);
  assert.match(findings[0]!.message, /overlaps "p0", "p2", "p3" and 3996 others for role authenticated and SELECT/);
  assert.ok(findings.every((f) => (f.related?.length ?? 0) <= 3));
});
