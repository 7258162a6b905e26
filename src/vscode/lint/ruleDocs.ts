import * as vscode from 'vscode';
import { allRuleIds, ruleMeta } from '../../core/analysis';
import { ruleDocsMarkdown } from '../../core/editing/ruleDocs';
import { SHOW_RULE_DOCS } from './convert';

/** Rule docs live at `dbe-rule:/<id>.md`, served from the rule metadata bundled in the extension. */
export const RULE_DOCS_SCHEME = 'dbe-rule';

export const ruleDocsUri = (id: string): vscode.Uri => vscode.Uri.from({ scheme: RULE_DOCS_SCHEME, path: `/${id}.md` });

class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    return ruleDocsMarkdown(id) ?? `# Unknown rule "${id}"\n\nRun \`dbe lint --rules\` to list the rules this version knows.\n`;
  }
}

/**
 * Registers the `dbe-rule:` documents and the command diagnostic code links point at. The command shows
 * the docs as a rendered markdown preview (the built-in markdown extension), falling back to the raw text.
 * Without an id (from the command palette) it asks which rule. Returns the docs URI it opened.
 */
export function registerRuleDocs(subscriptions: vscode.Disposable[], log: vscode.LogOutputChannel): void {
  subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOCS_SCHEME, new RuleDocsProvider()),
    vscode.commands.registerCommand(SHOW_RULE_DOCS, async (id?: unknown): Promise<vscode.Uri | undefined> => {
      let rule = typeof id === 'string' ? id : undefined;
      if (!rule) {
        const pick = await vscode.window.showQuickPick(
          allRuleIds.map((r) => ({ label: r, description: ruleMeta(r)?.severity, detail: ruleMeta(r)?.summary })),
          { placeHolder: 'Which rule?', matchOnDetail: true },
        );
        rule = pick?.label;
      }
      if (!rule) return undefined;
      const uri = ruleDocsUri(rule);
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch (err) {
        log.warn(`markdown preview unavailable (${(err as Error).message}); showing the rule docs as text`);
        await vscode.window.showTextDocument(uri, { preview: true });
      }
      return uri;
    }),
  );
}
