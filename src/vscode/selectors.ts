/**
 * Which documents each provider serves and the code action kinds it offers: read by the shell (registration at
 * activation) and by the services (building the actions), so the two never disagree.
 */
import * as vscode from 'vscode';

export const SQL_FILES: vscode.DocumentSelector = [
  { language: 'sql', scheme: 'file' },
  { pattern: '**/*.sql', scheme: 'file' },
];

/** Prisma schemas, whether or not the Prisma extension (language id `prisma`) is installed. */
export const PRISMA_FILES: vscode.DocumentSelector = [
  { language: 'prisma', scheme: 'file' },
  { pattern: '**/*.prisma', scheme: 'file' },
];

/** Explain works on unsaved SQL too. */
export const EXPLAINABLE_FILES: vscode.DocumentSelector = [...SQL_FILES, { language: 'sql', scheme: 'untitled' }];

export const SCRIPT_LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

/** Optimize Query: SQL statements, and selected queries in TypeScript / JavaScript. */
export const OPTIMIZABLE_FILES: vscode.DocumentSelector = [{ language: 'sql' }, { pattern: '**/*.sql' }, ...SCRIPT_LANGUAGES.map((language) => ({ language }))];

export const KIND = {
  quickFix: vscode.CodeActionKind.QuickFix,
  /** "Explain query": not a fix (nothing is wrong) and not a refactoring. */
  explain: vscode.CodeActionKind.Empty.append('databaseEngineer').append('explain'),
  /** Hand a Prisma model or schema to the @prisma agent. */
  prismaChat: vscode.CodeActionKind.Refactor.append('databaseEngineer'),
  optimize: vscode.CodeActionKind.RefactorRewrite,
  /** `source.fixAll.databaseEngineer`: every mechanical fix of a file at once (FIX_ALL_RULES in core). */
  fixAll: vscode.CodeActionKind.SourceFixAll.append('databaseEngineer'),
};

/** Virtual documents: rule docs (`dbe-rule:/<id>.md`) and a proposed edit's right-hand side of the diff. */
export const SCHEME = {
  ruleDocs: 'dbe-rule',
  proposed: 'dbe-proposed',
} as const;
