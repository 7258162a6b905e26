import * as vscode from 'vscode';
import type { Feature, FeatureContext } from './feature';
import type { Analyzer } from '../core/analysis';
import { LintController } from './lint/controller';
import { LintCodeActions } from './lint/codeActions';
import { TableHover } from './lint/hover';
import { registerRuleDocs } from './lint/ruleDocs';
import type { FolderLinter } from './lint/folderLinter';
import { PrismaCodeActions, PRISMA_SELECTORS } from './prisma/codeActions';
import { PrismaModelHover } from './prisma/hover';

/** `ctx.api.diagnostics`: what the extension-host tests (and other features) reach. */
export interface DiagnosticsApi {
  collection: vscode.DiagnosticCollection;
  /** Resolves once pending analysis (initial load, debounced edits, file and config changes) has published. */
  whenIdle(): Promise<void>;
  /** The analyzer of the workspace folder holding `uri` (or of the first folder). */
  analyzer(uri?: vscode.Uri): Analyzer | undefined;
  linters(): FolderLinter[];
  /** Timing of the last batch (ms): total, applying text (parse), rules, sending diagnostics; files re-published. */
  lastUpdate(): { ms: number; applyMs: number; analyseMs: number; sendMs: number; republished: number; at: number };
}

const SQL_SELECTORS: vscode.DocumentSelector = [
  { language: 'sql', scheme: 'file' },
  { pattern: '**/*.sql', scheme: 'file' },
];

/**
 * The analyzer's editor face: diagnostics on every .sql file of the workspace (or only open ones), kept up to
 * date as you type, quick fixes, suppressions, table hovers, and rule docs behind every diagnostic code.
 */
export const diagnosticsFeature: Feature = {
  name: 'diagnostics',
  register(ctx: FeatureContext) {
    const controller = new LintController(ctx.log);
    ctx.extension.subscriptions.push(controller);
    registerRuleDocs(ctx.extension.subscriptions, ctx.log);
    ctx.extension.subscriptions.push(
      vscode.languages.registerCodeActionsProvider(SQL_SELECTORS, new LintCodeActions(controller), LintCodeActions.metadata),
      // Prisma schemas: the rules' fixes (same provider), plus suppressions and the @prisma chat actions.
      vscode.languages.registerCodeActionsProvider(PRISMA_SELECTORS, new LintCodeActions(controller), LintCodeActions.metadata),
      vscode.languages.registerCodeActionsProvider(PRISMA_SELECTORS, new PrismaCodeActions(controller), PrismaCodeActions.metadata),
      vscode.languages.registerHoverProvider(PRISMA_SELECTORS, new PrismaModelHover(controller)),
      vscode.languages.registerHoverProvider(SQL_SELECTORS, new TableHover(controller)),
    );
    const api: DiagnosticsApi = {
      collection: controller.collection,
      whenIdle: () => controller.whenIdle(),
      analyzer: (uri) => (uri ? controller.linterFor(uri) : controller.all()[0])?.analyzer,
      linters: () => controller.all(),
      lastUpdate: () => controller.lastUpdate,
    };
    ctx.api.diagnostics = api;
    // Loading runs in the background with progress; activation does not wait for it.
    const started = controller.start().catch((err) => ctx.log.error(`lint: start failed: ${(err as Error).stack ?? err}`));
    void started;
  },
};
