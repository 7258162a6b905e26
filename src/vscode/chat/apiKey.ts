import * as vscode from 'vscode';
import type { CommandHandlers } from '../commands';
import type { Host } from '../host';

/** Key under which the Anthropic API key sits in the editor's SecretStorage. */
export const API_KEY_SECRET = 'databaseEngineer.anthropicApiKey';

/** The key to use: SecretStorage first, then ANTHROPIC_API_KEY from the editor's environment. */
export function apiKeyGetter(secrets: vscode.SecretStorage, env: NodeJS.ProcessEnv = process.env): () => Promise<string | undefined> {
  return async () => {
    const stored = (await secrets.get(API_KEY_SECRET))?.trim();
    return stored || env['ANTHROPIC_API_KEY']?.trim() || undefined;
  };
}

/**
 * "Set Anthropic API Key" (password input box; an argument skips the box, for scripted setups and tests) and
 * "Clear Anthropic API Key". The key is never logged or echoed.
 */
export function apiKeyCommands({ extension, log }: Host): Pick<CommandHandlers, 'setApiKey' | 'clearApiKey'> {
  return {
    setApiKey: async (given?: unknown) => {
      const key =
        typeof given === 'string'
          ? given.trim()
          : (
              await vscode.window.showInputBox({
                title: 'Anthropic API Key',
                prompt: "Paste your Anthropic API key. It is kept in the editor's secret storage, never in settings.",
                placeHolder: 'sk-ant-…',
                password: true,
                ignoreFocusOut: true,
                validateInput: (v) => (v.trim() ? undefined : 'Enter a key, or press Escape to cancel.'),
              })
            )?.trim();
      if (!key) return false;
      await extension.secrets.store(API_KEY_SECRET, key);
      log.info('Anthropic API key stored in secret storage');
      if (typeof given !== 'string') void vscode.window.showInformationMessage('Anthropic API key saved. Database Engineer agents will use it from now on.');
      return true;
    },
    clearApiKey: async () => {
      await extension.secrets.delete(API_KEY_SECRET);
      log.info('Anthropic API key removed from secret storage');
      const envKey = process.env['ANTHROPIC_API_KEY'] ? ' ANTHROPIC_API_KEY is still set in the environment and will be used.' : '';
      void vscode.window.showInformationMessage(`Anthropic API key removed from secret storage.${envKey}`);
    },
  };
}
