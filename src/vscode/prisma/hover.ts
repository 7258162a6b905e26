import * as vscode from 'vscode';
import { describeTable } from '../../core/analysis';
import { modelAtPosition, type PrismaFile } from '../../core/prisma';
import { sqlName } from '../../core/schema/names';
import type { LintController } from '../lint/controller';

/** Hover on a model name in a .prisma file: the real table as the migrations leave it (columns, indexes, RLS, policies). */
export class PrismaModelHover implements vscode.HoverProvider {
  constructor(private readonly controller: LintController) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const linter = this.controller.syncDocument(document);
    if (!linter) return undefined;
    const an = linter.analyzer;
    const files = an.paths().map((p) => an.prismaFile(p)).filter((f): f is PrismaFile => f !== undefined);
    const m = modelAtPosition(files, document.uri.fsPath, { line: position.line, column: position.character });
    if (!m) return undefined;
    const table = an.model().tables.get(m.table.key);
    const md = new vscode.MarkdownString(
      table
        ? `Prisma model **${m.model.name}** → table ${sqlName(m.table.key)}\n\n${describeTable(an.model(), table, linter.root)}`
        : `Prisma model **${m.model.name}** → table ${sqlName(m.table.key)}, which no migration in this workspace creates yet.`,
    );
    md.supportHtml = false;
    return new vscode.Hover(md, document.getWordRangeAtPosition(position, /[A-Za-z][\w]*/));
  }
}
