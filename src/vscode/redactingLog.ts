/**
 * The log channel every service writes to, passed through the one redaction (core/security/redact): a connection
 * URL, a key or a token that slips into a message is masked before it reaches the Output view or the log file.
 */
import type * as vscode from 'vscode';
import { redact } from '../core/security/redact';

const WRITERS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

export function redactingLog(log: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(log, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !WRITERS.has(prop) || typeof value !== 'function') return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args.map(clean));
    },
  });
}

function clean(arg: unknown): unknown {
  if (typeof arg === 'string') return redact(arg);
  if (arg instanceof Error) return redact(arg.stack ?? arg.message);
  return arg;
}
