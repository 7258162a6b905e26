import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRuleMetas } from '../../../src/core/analysis';
import { MIGRATION_TOOL_IDS } from '../../../src/core/workspace/migrationTool';

const DOC = readFileSync(join(__dirname, '../../../docs/rules.md'), 'utf8');

test('docs/rules.md lists every rule with its default severity, and every migration tool', () => {
  for (const r of allRuleMetas) {
    if (r.id === 'syntax-error') continue;
    const row = DOC.split('\n').find((l) => l.startsWith(`| \`${r.id}\` |`));
    assert.ok(row, `${r.id} is missing from docs/rules.md`);
    assert.ok(row.includes(`| ${r.severity} |`), `${r.id}: docs/rules.md says ${row}, the rule's default is ${r.severity}`);
  }
  for (const t of MIGRATION_TOOL_IDS) assert.ok(DOC.includes(`(\`${t}\`)`), t);
});

test('every SQL rule names its peers in its own docs', () => {
  for (const r of allRuleMetas) {
    if (r.category === 'prisma' || r.id === 'syntax-error' || r.id === 'unapplied-statement' || r.id === 'statement-too-complex') continue;
    assert.match(r.docs, /\*\*Peers:\*\*/, r.id);
  }
});
