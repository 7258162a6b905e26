import * as vscode from 'vscode';
import type { Finding, Fix, Range, Severity } from '../../core/analysis';
import { COMMAND } from '../commands';

/** Conversions between the analyzer's types and VS Code's. Positions already are 0-based lines / UTF-16 columns. */

export const SOURCE = 'Database Engineer';

export const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Rules whose finding marks code that does nothing useful: the editor fades it. */
const UNNECESSARY = new Set(['duplicate-index']);

/**
 * The link behind a diagnostic's code. A `command:` URI, because the Problems panel, the hover and the
 * markers view open code links with commands allowed, and the command can render the docs as a markdown
 * preview (a plain document URI would open as raw text).
 */
export function ruleDocsTarget(rule: string): vscode.Uri {
  return vscode.Uri.parse(`command:${COMMAND.showRuleDocs}?${encodeURIComponent(JSON.stringify([rule]))}`);
}

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity]);
  d.source = SOURCE;
  d.code = { value: f.rule, target: ruleDocsTarget(f.rule) };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)), r.message));
  }
  if (UNNECESSARY.has(f.rule)) d.tags = [vscode.DiagnosticTag.Unnecessary];
  return d;
}

/** A stable text of what a diagnostic shows, to skip re-publishing files whose findings did not change. */
export function findingsSignature(findings: readonly Finding[]): string {
  return JSON.stringify(findings.map((f) => [f.rule, f.severity, f.message, f.range, f.related ?? null]));
}

/** The rule id of one of our diagnostics, else undefined. */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== SOURCE) return undefined;
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

/** One WorkspaceEdit for a fix: new files (with their content) first, then the edits. */
export function fixToWorkspaceEdit(fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const c of fix.create ?? []) {
    // Create + insert rather than `contents`: the latter does not survive the round trip through
    // `vscode.executeCodeActionProvider` ("Could not revive data transfer file" in 1.100).
    const uri = vscode.Uri.file(c.file);
    edit.createFile(uri, { overwrite: false, ignoreIfExists: false });
    edit.insert(uri, new vscode.Position(0, 0), c.content);
  }
  for (const group of fix.edits) {
    const uri = vscode.Uri.file(group.file);
    for (const e of group.edits) edit.replace(uri, toRange(e.range), e.newText);
  }
  return edit;
}
