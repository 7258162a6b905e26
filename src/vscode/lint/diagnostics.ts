/**
 * The analyzer's editor face: diagnostics on every .sql and .prisma file of the workspace (or only open ones), kept
 * up to date as you type, quick fixes, suppressions, table hovers, and rule docs behind every diagnostic code.
 */
import type * as vscode from 'vscode';
import type { Analyzer } from '../../core/analysis';
import type { CommandHandlers } from '../commands';
import type { Host } from '../host';
import type { Projects } from '../db/projects';
import { LintController } from './controller';
import { LintCodeActions } from './codeActions';
import { TableHover } from './hover';
import { ruleDocsContent, showRuleDocs } from './ruleDocs';
import type { FolderLinter } from './folderLinter';
import { PrismaCodeActions } from '../prisma/codeActions';
import { PrismaModelHover } from '../prisma/hover';

/** What other services and the extension-host tests use of the diagnostics. */
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

export interface Diagnostics {
  api: DiagnosticsApi;
  /** Loads and analyses every workspace folder (with progress); resolves when all are published. */
  start(): Promise<void>;
  commands: Pick<CommandHandlers, 'showRuleDocs'>;
  ruleDocs(uri: vscode.Uri): string;
  providers: {
    lintActions: vscode.CodeActionProvider;
    prismaActions: vscode.CodeActionProvider;
    tableHover: vscode.HoverProvider;
    prismaHover: vscode.HoverProvider;
  };
}

export function createDiagnostics(host: Host, projects: Projects): Diagnostics {
  const controller = new LintController(host.log, host.config, projects);
  host.extension.subscriptions.push(controller);
  return {
    api: {
      collection: controller.collection,
      whenIdle: () => controller.whenIdle(),
      analyzer: (uri) => (uri ? controller.linterFor(uri) : controller.all()[0])?.analyzer,
      linters: () => controller.all(),
      lastUpdate: () => controller.lastUpdate,
    },
    start: () => controller.start(),
    commands: { showRuleDocs: showRuleDocs(host.log) },
    ruleDocs: ruleDocsContent,
    providers: {
      lintActions: new LintCodeActions(controller),
      prismaActions: new PrismaCodeActions(controller),
      tableHover: new TableHover(controller),
      prismaHover: new PrismaModelHover(controller),
    },
  };
}
