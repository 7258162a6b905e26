import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { Finding } from '../../core/analysis';
import { FIX_ALL_RULES, fixAllEdits } from '../../core/analysis';
import { suppressFileEdit, suppressStatementEdit } from '../../core/editing/suppress';
import { fixToWorkspaceEdit, ruleOf, toRange } from './convert';
import type { LintController } from './controller';
import { BUILTIN } from '../commands';
import { KIND } from '../selectors';

/**
 * Quick fixes for our diagnostics: one action per mechanical fix the rule offers (edits and new migration
 * files in one WorkspaceEdit; a created file is opened afterwards so the user sees where it went), plus
 * suppressing the rule for the statement or the whole file.
 */
export class LintCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly controller: LintController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only?.intersects(KIND.fixAll)) return this.fixAll(document);
    if (context.only && !context.only.intersects(vscode.CodeActionKind.QuickFix)) return [];
    const ours = context.diagnostics.filter((d) => ruleOf(d));
    if (ours.length === 0) return [];
    const linter = this.controller.syncDocument(document);
    if (!linter) return [];
    const path = document.uri.fsPath;
    const findings = linter.findingsFor(path);
    const parsed = linter.analyzer.parsed(path);
    const actions: vscode.CodeAction[] = [];
    const fileSuppressed = new Set<string>();
    const offered = new Set<string>();
    for (const d of ours) {
      const rule = ruleOf(d)!;
      const f = matchFinding(findings, rule, d.range);
      for (const fix of f?.fixes ?? []) {
        // Two findings may offer the very same fix (a Prisma relation's missing @@index): list it once.
        const key = JSON.stringify([fix.title, fix.edits, fix.create]);
        if (offered.has(key)) continue;
        offered.add(key);
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = fixToWorkspaceEdit(fix);
        action.diagnostics = [d];
        action.isPreferred = Boolean(fix.isPreferred);
        const created = fix.create?.[0];
        if (created) {
          action.command = { command: BUILTIN.open, title: `Open ${basename(created.file)}`, arguments: [vscode.Uri.file(created.file)] };
        }
        actions.push(action);
      }
      // Several mechanical fixes of this rule in the file (two auth.uid() in one policy): one action for all.
      const sameRule = FIX_ALL_RULES.has(rule) && !offered.has(`all:${rule}`) ? fixAllEdits(findings.filter((x) => x.rule === rule), path) : [];
      if (sameRule.length > 1) {
        offered.add(`all:${rule}`);
        const all = new vscode.CodeAction(`Fix all ${rule} in this file (${sameRule.length})`, vscode.CodeActionKind.QuickFix);
        all.edit = new vscode.WorkspaceEdit();
        for (const e of sameRule) all.edit.replace(document.uri, toRange(e.range), e.newText);
        all.diagnostics = ours.filter((x) => ruleOf(x) === rule);
        actions.push(all);
      }
      if (!parsed) continue;
      const target = f ?? { rule, range: { start: { line: d.range.start.line, column: d.range.start.character }, end: { line: d.range.end.line, column: d.range.end.character } } };
      const stmtEdit = suppressStatementEdit(parsed, target);
      const suppress = new vscode.CodeAction(`Suppress ${rule} for this statement`, vscode.CodeActionKind.QuickFix);
      suppress.edit = new vscode.WorkspaceEdit();
      suppress.edit.replace(document.uri, toRange(stmtEdit.range), stmtEdit.newText);
      suppress.diagnostics = [d];
      actions.push(suppress);
      if (!fileSuppressed.has(rule)) {
        fileSuppressed.add(rule);
        const fileEdit = suppressFileEdit(parsed, rule);
        const all = new vscode.CodeAction(`Suppress ${rule} in this file`, vscode.CodeActionKind.QuickFix);
        all.edit = new vscode.WorkspaceEdit();
        all.edit.replace(document.uri, toRange(fileEdit.range), fileEdit.newText);
        all.diagnostics = ours.filter((x) => ruleOf(x) === rule);
        actions.push(all);
      }
    }
    return actions;
  }

  /** One action applying the mechanical fixes of every finding in the file (none when there are none). */
  private fixAll(document: vscode.TextDocument): vscode.CodeAction[] {
    const linter = this.controller.syncDocument(document);
    if (!linter) return [];
    const path = document.uri.fsPath;
    const edits = fixAllEdits(linter.findingsFor(path), path);
    if (!edits.length) return [];
    const action = new vscode.CodeAction(`Fix all mechanical Database Engineer findings (${edits.length})`, KIND.fixAll);
    action.edit = new vscode.WorkspaceEdit();
    for (const e of edits) action.edit.replace(document.uri, toRange(e.range), e.newText);
    return [action];
  }
}

/** The finding behind a diagnostic: same rule and range, else the same rule at the same start line. */
function matchFinding(findings: Finding[], rule: string, range: vscode.Range): Finding | undefined {
  const same = findings.filter((f) => f.rule === rule);
  return same.find((f) => toRange(f.range).isEqual(range)) ?? same.find((f) => f.range.start.line === range.start.line);
}
