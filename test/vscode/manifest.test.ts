// The extension's registries agree with its manifest: every command id in src/vscode/commands.ts is contributed
// (and nothing else is), every setting has a reload entry in src/vscode/settings.ts, and activation stays off plain
// TypeScript/JavaScript workspaces. Pure data on both sides, so no editor is needed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND } from '../../src/vscode/commands';
import { reloadsFor, SECTION, SETTINGS, type SettingKey } from '../../src/vscode/settings';
import { COMMANDS as CORE_BUTTON_COMMANDS } from '../../src/core/chat/turn';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

test('contributes.commands lists exactly the command registry', () => {
  const contributed = (manifest.contributes.commands as { command: string }[]).map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(COMMAND).sort());
});

test('every command a menu or a core button names is in the registry', () => {
  const ids = new Set<string>(Object.values(COMMAND));
  const menus = Object.values(manifest.contributes.menus as Record<string, { command: string }[]>).flat().map((m) => m.command);
  for (const id of [...menus, ...Object.values(CORE_BUTTON_COMMANDS)]) assert.ok(ids.has(id), `${id} is not in src/vscode/commands.ts`);
});

test('contributes.configuration lists exactly the settings config.ts reads', () => {
  const contributed = Object.keys(manifest.contributes.configuration.properties).sort();
  assert.deepEqual(contributed, Object.keys(SETTINGS).map((k) => `${SECTION}.${k}`).sort());
});

test('a settings change maps to the reloads it needs', () => {
  const only = (...keys: SettingKey[]) => (k: SettingKey) => keys.includes(k);
  assert.deepEqual([...reloadsFor(only('lint.rules'))], ['lint']);
  assert.deepEqual([...reloadsFor(only('lint.migrationFolders'))].sort(), ['embedded', 'lint']);
  assert.deepEqual([...reloadsFor(only('chat.provider', 'explain.statementTimeoutMs'))], [], 'read on every use: nothing to reload');
});

test('activation: SQL and Prisma workspaces and files, not every TypeScript or JavaScript file', () => {
  const events: string[] = manifest.activationEvents;
  for (const e of ['workspaceContains:**/*.sql', 'onLanguage:sql', 'onLanguage:prisma']) assert.ok(events.includes(e), e);
  assert.ok(events.some((e) => e.startsWith('workspaceContains:') && e.endsWith('.prisma')));
  assert.deepEqual(events.filter((e) => /onLanguage:(typescript|javascript)/.test(e) || e === '*'), []);
});
