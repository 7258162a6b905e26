/** What the extension's own package.json contributes, as the shell and the services both read it. */
import type * as vscode from 'vscode';

export interface ManifestParticipant {
  id: string;
  name?: string;
}

function contributes(extension: vscode.ExtensionContext): Record<string, unknown> {
  return (extension.extension.packageJSON as { contributes?: Record<string, unknown> }).contributes ?? {};
}

/** The `contributes.chatParticipants` entries. */
export function manifestParticipants(extension: vscode.ExtensionContext): ManifestParticipant[] {
  const list = contributes(extension)['chatParticipants'];
  if (!Array.isArray(list)) return [];
  return list.filter((p): p is ManifestParticipant => typeof p?.id === 'string');
}

/** The names of the `contributes.languageModelTools` entries. */
export function manifestTools(extension: vscode.ExtensionContext): string[] {
  const list = contributes(extension)['languageModelTools'];
  if (!Array.isArray(list)) return [];
  return list.map((t: { name?: unknown }) => t?.name).filter((n): n is string => typeof n === 'string');
}
