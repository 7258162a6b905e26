/** Wires the RLS editor parts into the extension (view, commands, CodeLens, quick fixes). */
import * as vscode from 'vscode';
import type { Feature } from '../feature';
import { createRls, RLS_COMMAND_IDS } from './index';

const SQL: vscode.DocumentSelector = [{ language: 'sql' }, { pattern: '**/*.sql' }];

export const rlsFeature: Feature = {
  name: 'rls',
  register(ctx) {
    const rls = createRls(ctx);
    const subs = ctx.extension.subscriptions;
    subs.push(...rls.disposables,
      vscode.window.registerTreeDataProvider('databaseEngineer.rls', rls.api.tree),
      vscode.languages.registerCodeLensProvider(SQL, rls.api.lenses),
      vscode.languages.registerCodeActionsProvider(SQL, rls.api.lenses, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
    for (const [name, id] of Object.entries(RLS_COMMAND_IDS) as [keyof typeof RLS_COMMAND_IDS, string][]) {
      subs.push(vscode.commands.registerCommand(id, (...args: unknown[]) => rls.commands[name](...args)));
    }
    ctx.api.rls = rls.api;
  },
};
