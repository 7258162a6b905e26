/**
 * The one list of the extension's command ids. The shell registers every id here at activation (handlers load on
 * first use), the services implement one handler per id (a missing one is a type error), and `contributes.commands`
 * in package.json lists exactly these (test/vscode/commands.test.ts). Free of `vscode` so plain Node tests read it.
 */
export const COMMAND = {
  setApiKey: 'databaseEngineer.setApiKey',
  clearApiKey: 'databaseEngineer.clearApiKey',
  useAgent: 'databaseEngineer.useAgent',
  showRuleDocs: 'databaseEngineer.showRuleDocs',
  connect: 'databaseEngineer.connect',
  testConnection: 'databaseEngineer.testConnection',
  disconnect: 'databaseEngineer.disconnect',
  setReadOnly: 'databaseEngineer.setReadOnly',
  openPlanFile: 'databaseEngineer.openPlanFile',
  comparePlanFiles: 'databaseEngineer.comparePlanFiles',
  saveMigration: 'databaseEngineer.saveMigration',
  insertSql: 'databaseEngineer.insertSql',
  applySql: 'databaseEngineer.applySql',
  acceptProposedEdit: 'databaseEngineer.acceptProposedEdit',
  openQueryPlan: 'databaseEngineer.openQueryPlan',
  optimizeQuery: 'databaseEngineer.optimizeQuery',
  explainQuery: 'databaseEngineer.explainQuery',
  explainAnalyzeQuery: 'databaseEngineer.explainAnalyzeQuery',
  explainAnalyzeQueryAs: 'databaseEngineer.explainAnalyzeQueryAs',
} as const;

export type CommandName = keyof typeof COMMAND;

/** What the services provide: one handler per command. */
export type CommandHandlers = { [K in CommandName]: (...args: any[]) => unknown };

/** VS Code's own commands this extension runs (not ours, so not in `contributes.commands`). */
export const BUILTIN = {
  chatOpen: 'workbench.action.chat.open',
  markdownPreview: 'markdown.showPreview',
  diff: 'vscode.diff',
  open: 'vscode.open',
} as const;
