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

test('a statement too deep for the parser is "too complex to analyse", and the next parse works', async () => {
  const deep = `select ${'('.repeat(50_000)}1${')'.repeat(50_000)};`;
  const union = Array.from({ length: 10_000 }, (_, i) => `select ${i}`).join(' union all ') + ';';
  const writes: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => { writes.push(String(chunk)); return true; }) as typeof process.stdout.write;
  let found;
  try {
    found = [...await ruleFindings('statement-too-complex', deep), ...await ruleFindings('statement-too-complex', union)];
    assert.deepEqual([...await ruleFindings('syntax-error', deep), ...await ruleFindings('syntax-error', union)], [], 'not a syntax error');
  } finally {
    process.stdout.write = write;
  }
  for (const f of found) assert.doesNotMatch(f.message, /Maximum call stack|memory access out of bounds/, f.message);
  assert.ok(found.length >= 1, 'the deep statement is reported as too complex');
  assert.match(found[0]!.message, /too complex to analyse/);
  assert.ok(!writes.some((w) => /memory|heap/i.test(w)), 'nothing from the wasm module on stdout');
  assert.deepEqual(await ruleFindings('syntax-error', 'select 1;'), []);
  assert.equal((await ruleFindings('syntax-error', 'selec 1;')).length, 1);
});
