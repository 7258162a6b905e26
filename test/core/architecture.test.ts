import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The architecture rules of .dependency-cruiser.cjs (docs/architecture.md), checked with dependency-cruiser.
const root = join(__dirname, '..', '..');
const config = join(root, '.dependency-cruiser.cjs');
const bin = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }

/** Runs the checker over `dir`'s src/ and returns its violations (`rule from → to`). */
function violations(cwd: string): string[] {
  const r = spawnSync(process.execPath, [bin, 'src', '--config', config, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(r.stdout, `dependency-cruiser printed nothing (exit ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { violations: Violation[] } };
  return out.summary.violations.map((v) => `${v.rule.name} ${v.from} → ${v.to}`);
}

test('src keeps the architecture rules: core without vscode, no cycles (types too), core/sql at the bottom, faces apart', () => {
  assert.deepEqual(violations(root), []);
});

test('the check fails on a planted import cycle (type-only included), a vscode import in core, and faces importing each other', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbe-arch-'));
  try {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'Node16', moduleResolution: 'Node16', strict: true }, include: ['src'] }),
      'src/core/sql/a.ts': "import { b } from '../lint/b';\nexport const a = b;\n",
      'src/core/lint/b.ts': "export const b = 1;\n",
      'src/core/chat/x.ts': "import type { Y } from './y';\nexport interface X { y?: Y }\n",
      'src/core/chat/y.ts': "import type { X } from './x';\nexport interface Y { x?: X }\n",
      'src/core/db/editor.ts': "import * as vscode from 'vscode';\nexport const w = vscode.window;\n",
      'src/cli/main.ts': "import { panel } from '../vscode/panel';\nexport const m = panel;\n",
      'src/vscode/panel.ts': "export const panel = 1;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const found = violations(dir).sort();
    assert.deepEqual(found, [
      'core-without-vscode src/core/db/editor.ts → vscode',
      'faces-apart src/cli/main.ts → src/vscode/panel.ts',
      'no-cycles src/core/chat/x.ts → src/core/chat/y.ts', // type-only imports, reported once per cycle
      'sql-at-the-bottom src/core/sql/a.ts → src/core/lint/b.ts',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
