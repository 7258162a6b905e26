import * as vscode from 'vscode';
import { allRuleIds, ruleMeta } from '../../core/analysis';
import { ruleDocsMarkdown } from '../../core/editing/ruleDocs';
import { BUILTIN } from '../commands';
import { SCHEME } from '../selectors';

/** Rule docs live at `dbe-rule:/<id>.md`, served from the rule metadata bundled in the extension. */
export const ruleDocsUri = (id: string): vscode.Uri => vscode.Uri.from({ scheme: SCHEME.ruleDocs, path: `/${id}.md` });

/** The text of a `dbe-rule:` document. */
export function ruleDocsContent(uri: vscode.Uri): string {
  const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
  return ruleDocsMarkdown(id) ?? `# Unknown rule "${id}"\n\nRun \`dbe lint --rules\` to list the rules this version knows.\n`;
}

/**
 * The command diagnostic code links point at: shows the docs as a rendered markdown preview (the built-in markdown
 * extension), falling back to the raw text. Without an id (from the command palette) it asks which rule. Returns
 * the docs URI it opened.
 */
export function showRuleDocs(log: vscode.LogOutputChannel): (id?: unknown) => Promise<vscode.Uri | undefined> {
  return async (id?: unknown): Promise<vscode.Uri | undefined> => {
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
        await vscode.commands.executeCommand(BUILTIN.markdownPreview, uri);
      } catch (err) {
        log.warn(`markdown preview unavailable (${(err as Error).message}); showing the rule docs as text`);
        await vscode.window.showTextDocument(uri, { preview: true });
      }
      return uri;
  };
}
