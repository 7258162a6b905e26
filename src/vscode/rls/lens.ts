/**
 * Above each `create policy` and `enable row level security` in a migration: what it allows in the simulation
 * ("authenticated: select own rows"), leaks first. On a leaking policy's line, the fix as a quick action.
 */
import * as vscode from 'vscode';
import type { TableReport } from '../../core/rls/types';
import { leaksOf, policyLensTitle, tableLensTitle } from './facts';
import type { RlsReports } from './reports';
import { COMMAND } from '../commands';

const POLICY = /\bcreate\s+policy\b/i;
const ENABLE = /\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)\s+enable\s+row\s+level\s+security/gi;

const unquote = (name: string) => name.split('.').map((p) => p.trim()).map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase()));
const tableKey = (name: string) => {
  const parts = unquote(name);
  return parts.length === 1 ? `public.${parts[0]}` : parts.join('.');
};

export interface LensFact { line: number; title: string; table: string }

export class RlsLenses implements vscode.CodeLensProvider, vscode.CodeActionProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly reports: RlsReports) {
    reports.onDidChange(() => this.changed.fire());
  }

  /**
   * The facts shown over a document's statements (0-based lines), for the lenses and the tests. `wait`: wait for the
   * simulation (tests); otherwise only a report already made is used.
   */
  async facts(document: vscode.TextDocument, wait = true): Promise<LensFact[]> {
    const text = document.getText();
    if (!POLICY.test(text) && !/enable\s+row\s+level\s+security/i.test(text)) return [];
    const found = await this.tablesFor(document, wait);
    if (!found) return [];
    const { rel, tables } = found;
    const out: LensFact[] = [];
    for (const t of tables) {
      for (const p of t.policies ?? []) if (p.file === rel && p.line) out.push({ line: p.line - 1, title: policyLensTitle(t, p), table: t.table });
    }
    for (const m of text.matchAll(ENABLE)) {
      const t = tables.find((x) => x.table === tableKey(m[1]!));
      if (t) out.push({ line: document.positionAt(m.index!).line, title: tableLensTitle(t), table: t.table });
    }
    return out.sort((a, b) => a.line - b.line);
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return [];
    return (await this.facts(document, false)).map((f) => new vscode.CodeLens(new vscode.Range(f.line, 0, f.line, 0),
      { title: f.title, command: COMMAND.rlsShowMatrix, arguments: [folder.uri, f.table] }));
  }

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
    // Only from a report already made: a light bulb must never wait for a simulation.
    const found = await this.tablesFor(document, false, false);
    if (!found) return [];
    const actions: vscode.CodeAction[] = [];
    for (const t of found.tables) {
      for (const l of t.leaks) {
        if (l.file !== found.rel || !l.line || l.line - 1 !== range.start.line) continue;
        const a = new vscode.CodeAction(`Fix RLS leak (${l.kind}, ${l.role} ${l.command}) in a new migration`, vscode.CodeActionKind.QuickFix);
        a.command = { command: COMMAND.rlsApplyFix, title: a.title, arguments: [found.folder.uri, t.table, t.leaks.indexOf(l)] };
        a.isPreferred = true;
        actions.push(a);
      }
    }
    return actions;
  }

  private async tablesFor(document: vscode.TextDocument, wait: boolean, start = true): Promise<{ folder: vscode.WorkspaceFolder; rel: string; tables: TableReport[] } | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return undefined;
    const state = wait ? await this.reports.get(folder) : this.reports.peek(folder, start);
    if (state?.status !== 'ok') return undefined;
    return { folder, rel: vscode.workspace.asRelativePath(document.uri, false).split('\\').join('/'), tables: state.report.tables };
  }
}

export { leaksOf };
