// The editor's log channel masks secrets in every way a service can write to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { redactingLog } from '../../src/vscode/redactingLog';

test('every writer of the log channel goes through the redaction; other members pass through', () => {
  const lines: string[] = [];
  const fake = {
    name: 'Database Engineer',
    logLevel: 2,
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (e: string | Error) => lines.push(`error ${e instanceof Error ? e.message : e}`),
    appendLine: (m: string) => lines.push(`line ${m}`),
  } as unknown as vscode.LogOutputChannel;
  const log = redactingLog(fake);
  log.info('connecting to postgres://app:s3cret-Pass@db.example.com:5432/prod');
  log.warn('ANTHROPIC key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 rejected');
  log.error(new Error('failed: postgresql://u:hunter2hunter2@10.0.0.1/x'));
  log.appendLine('plain line');
  assert.equal(log.name, 'Database Engineer');
  assert.equal(lines.length, 4);
  const all = lines.join('\n');
  for (const secret of ['s3cret-Pass', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789', 'hunter2hunter2']) assert.ok(!all.includes(secret), `${secret} leaked: ${all}`);
  assert.match(lines[0]!, /^info connecting to postgres:\/\/app:.+@db\.example\.com:5432\/prod$/);
  assert.equal(lines[3], 'line plain line');
});
