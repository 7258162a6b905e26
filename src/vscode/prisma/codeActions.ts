import * as vscode from 'vscode';
import { buildSchemas, modelAt, optimizeModelQuery, reviewSchemaQuery } from '../../core/prisma';
import { suppressPrismaFileEdit, suppressPrismaLineEdit } from '../../core/editing/suppress';
import { ruleOf, toRange } from '../lint/convert';
import type { LintController } from '../lint/controller';
import { BUILTIN } from '../commands';
import { KIND } from '../selectors';

const CHAT_KIND = KIND.prismaChat;

/**
 * Prisma-only actions next to the rules' own fixes (which LintCodeActions provides): suppress a rule for a
 * model/field or the file, and hand the model ("Optimize model") or the whole schema ("Review schema") to the
 * `@prisma` agent in chat, with the model's table as the migrations leave it.
 */
export class PrismaCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly controller: LintController) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const linter = this.controller.syncDocument(document);
    const file = linter?.analyzer.prismaFile(document.uri.fsPath);
    if (!linter || !file) return [];
    const actions: vscode.CodeAction[] = [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);
    if (wants(vscode.CodeActionKind.QuickFix)) {
      const fileDone = new Set<string>();
      for (const d of context.diagnostics) {
        const rule = ruleOf(d);
        if (!rule) continue;
        const target = { rule, range: { start: { line: d.range.start.line, column: d.range.start.character }, end: { line: d.range.end.line, column: d.range.end.character } } };
        const model = modelAt(file, target.range.start.line);
        const onModel = model && model.nameRange.start.line === target.range.start.line;
        const line = suppressPrismaLineEdit(file, target);
        const one = new vscode.CodeAction(`Suppress ${rule} for this ${onModel ? 'model' : 'field'}`, vscode.CodeActionKind.QuickFix);
        one.edit = new vscode.WorkspaceEdit();
        one.edit.replace(document.uri, toRange(line.range), line.newText);
        one.diagnostics = [d];
        actions.push(one);
        if (fileDone.has(rule)) continue;
        fileDone.add(rule);
        const all = new vscode.CodeAction(`Suppress ${rule} in this file`, vscode.CodeActionKind.QuickFix);
        const fe = suppressPrismaFileEdit(file, rule);
        all.edit = new vscode.WorkspaceEdit();
        all.edit.replace(document.uri, toRange(fe.range), fe.newText);
        all.diagnostics = context.diagnostics.filter((x) => ruleOf(x) === rule);
        actions.push(all);
      }
    }
    if (wants(CHAT_KIND) && !file.parseError) {
      const model = modelAt(file, range.start.line);
      if (model) {
        const a = new vscode.CodeAction(`Optimize model ${model.name} with @prisma`, CHAT_KIND);
        a.command = { command: BUILTIN.chatOpen, title: a.title, arguments: [{ query: optimizeModelQuery(file, model, linter.analyzer.model()) }] };
        actions.push(a);
      }
      // The files of this file's schema (a prisma/schema folder), not every .prisma file of the workspace.
      const all = linter.analyzer.paths().map((p) => linter.analyzer.prismaFile(p)).filter((f): f is NonNullable<typeof f> => f !== undefined && !f.parseError);
      const schemaFiles = buildSchemas(all).find((s) => s.files.some((f) => f.path === file.path))?.files ?? [];
      const review = new vscode.CodeAction('Review schema with @prisma', CHAT_KIND);
      review.command = { command: BUILTIN.chatOpen, title: review.title, arguments: [{ query: reviewSchemaQuery(schemaFiles.length ? schemaFiles : [file]) }] };
      actions.push(review);
    }
    return actions;
  }
}
