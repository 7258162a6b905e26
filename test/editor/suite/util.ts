// Helpers for the extension-host suite: reach our extension's exported API, wait for conditions, and drive
// the Chat view the way a user would (`sendChat`).
import * as vscode from 'vscode';
import type { TestApi, TestServices } from '../../../src/vscode/testApi';

export const EXTENSION_ID = 'database-engineer.database-engineer';
/** The test-only helper extension in test/editor/lm-helper (default language model + `@dbe-echo`). */
export const LM_HELPER_ID = 'database-engineer-tests.lm-helper';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something other than undefined/false; fails with `what` after the timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 20000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `; last error: ${(lastError as Error).message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** Our extension, activated. */
export async function ourExtension(): Promise<vscode.Extension<TestApi>> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded in this editor`);
  await ext.activate();
  return ext;
}

/** The services behind our extension, through the typed test API `activate` returns (src/vscode/testApi.ts). */
export async function getApi(): Promise<TestServices> {
  return (await ourExtension()).exports.services();
}

export interface ChatRecord {
  prompt: string;
  command: string | undefined;
  participant: string;
  /** The handler ran and returned. */
  handled: boolean;
  /** VS Code asked for follow-ups, which it does only once the response is complete. */
  completed: boolean;
}

export interface LmHelperApi {
  /** The live `@dbe-echo` participant object (for spyOnParticipant). */
  participant: vscode.ChatParticipant;
  records: ChatRecord[];
  waitForRecord(match: (r: ChatRecord) => boolean, timeoutMs?: number): Promise<ChatRecord>;
  hasLanguageModel: boolean;
  clear(): void;
}

export async function lmHelper(): Promise<LmHelperApi> {
  const ext = vscode.extensions.getExtension<LmHelperApi>(LM_HELPER_ID);
  if (!ext) throw new Error(`test helper ${LM_HELPER_ID} is not loaded: pass test/editor/lm-helper as a second --extensionDevelopmentPath`);
  return ext.activate();
}

/**
 * Types `query` into the Chat view and submits it, as a user would (`@participant text` routes to a
 * participant), then resolves with whatever `until` resolves — typically a promise that settles when the
 * target handler has recorded the request. Start waiting before sending if the handler might be quick:
 *   const seen = myApi.waitForRequest(...); await sendChat('@pg-expert why', () => seen);
 */
export async function sendChat<T>(query: string, until: () => Promise<T>): Promise<T> {
  await vscode.commands.executeCommand('workbench.action.chat.open', { query, isPartialQuery: false });
  return until();
}

/** `sendChat` to the helper's `@dbe-echo` participant; resolves once its response completed. */
export async function sendEchoChat(text: string, timeoutMs = 30000): Promise<ChatRecord> {
  const helper = await lmHelper();
  const done = helper.waitForRecord((r) => r.prompt.trim() === text && r.completed, timeoutMs);
  return sendChat(`@dbe-echo ${text}`, () => done);
}
