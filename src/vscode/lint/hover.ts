import * as vscode from 'vscode';
import { describeTable } from '../../core/analysis';
import type { LintController } from './controller';

/** Hover on a table name anywhere in SQL: its model (columns, keys, indexes, RLS, policies, where defined). */
export class TableHover implements vscode.HoverProvider {
  constructor(private readonly controller: LintController) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const linter = this.controller.syncDocument(document);
    if (!linter) return undefined;
    const table = linter.analyzer.tableAt(document.uri.fsPath, { line: position.line, column: position.character });
    if (!table) return undefined;
    const md = new vscode.MarkdownString(describeTable(linter.analyzer.model(), table, linter.root));
    md.supportHtml = false;
    const range = document.getWordRangeAtPosition(position, /"(?:[^"]|"")+"|[A-Za-z_][\w$]*/);
    return new vscode.Hover(md, range);
  }
}
