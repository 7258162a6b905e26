import * as vscode from 'vscode';
import type { ContextItem } from '../../core/chat/context';
import type { ChatTurn } from '../../core/chat/context';
import { historyToTurns } from '../../core/chat/history';
import type { ReferencedFile } from '../../core/chat/agentTurn';

/**
 * Context attached to a chat request, converted to core items, plus what to show as the reply's references.
 * Whole workspace files go to the core turn as `files`, which reads them through read_file's rules.
 */
export interface GatheredContext {
  items: ContextItem[];
  files: ReferencedFile[];
  shown: Array<vscode.Uri | vscode.Location>;
}

/** How a request's context is gathered (tests pass their own). */
export type GatherContext = (request: vscode.ChatRequest, log: vscode.LogOutputChannel) => Promise<GatheredContext>;

const show = (uri: vscode.Uri) => vscode.workspace.asRelativePath(uri, false);

/** 1-based inclusive line range of a range; a selection ending at column 0 does not include that line. */
function lineSpan(range: vscode.Range): { startLine: number; endLine: number } {
  const endLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
  return { startLine: range.start.line + 1, endLine };
}

async function selectionItem(uri: vscode.Uri, range: vscode.Range): Promise<ContextItem> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return { kind: 'selection', path: show(uri), ...lineSpan(range), text: doc.getText(range), language: doc.languageId };
}

/** A referenced file on disk: handed to the core turn (with the editor's text when it is open). */
async function referencedFile(uri: vscode.Uri): Promise<ReferencedFile | undefined> {
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) return undefined;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return { path: uri.fsPath, ...(open ? { text: open.getText(), language: open.languageId } : {}) };
}

async function fileItem(uri: vscode.Uri): Promise<ContextItem | undefined> {
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) return undefined;
  // openTextDocument gives unsaved edits too, which is what the user sees.
  const doc = await vscode.workspace.openTextDocument(uri);
  return { kind: 'file', path: show(uri), text: doc.getText(), language: doc.languageId };
}

/**
 * The request's references (Locations become selections, Uris whole files, strings named notes); when the
 * request has none, the active editor's non-empty selection. A reference that cannot be read becomes a note
 * saying so, rather than failing the turn.
 */
export async function gatherContext(request: vscode.ChatRequest, log: vscode.LogOutputChannel): Promise<GatheredContext> {
  const items: ContextItem[] = [];
  const files: ReferencedFile[] = [];
  const whole = async (uri: vscode.Uri): Promise<boolean> => {
    if (uri.scheme === 'file') {
      const f = await referencedFile(uri);
      if (f) files.push(f);
      return Boolean(f);
    }
    const item = await fileItem(uri);
    if (item) items.push(item);
    return Boolean(item);
  };
  const shown: GatheredContext['shown'] = [];
  for (const ref of request.references) {
    const value = ref.value;
    try {
      if (value instanceof vscode.Location) {
        if (value.range.isEmpty) {
          await whole(value.uri);
        } else {
          items.push(await selectionItem(value.uri, value.range));
        }
        shown.push(value);
      } else if (value instanceof vscode.Uri) {
        if (await whole(value)) shown.push(value);
      } else if (typeof value === 'string') {
        items.push({ kind: 'note', name: ref.modelDescription ?? ref.id, text: value });
      } else {
        log.trace(`chat: ignored a reference of an unknown kind (${ref.id})`);
      }
    } catch (err) {
      const where = value instanceof vscode.Location ? show(value.uri) : value instanceof vscode.Uri ? show(value) : ref.id;
      log.warn(`chat: could not read attached ${where}: ${(err as Error).message}`);
      items.push({ kind: 'note', name: where, text: `(could not be read: ${(err as Error).message})` });
    }
  }
  if (!request.references.length) {
    const editor = vscode.window.activeTextEditor;
    if (editor && !editor.selection.isEmpty) {
      items.push({ kind: 'selection', path: show(editor.document.uri), ...lineSpan(editor.selection), text: editor.document.getText(editor.selection), language: editor.document.languageId });
      shown.push(new vscode.Location(editor.document.uri, editor.selection));
    }
  }
  return { items, files, shown };
}

/** The chat's earlier turns with this participant as plain conversation turns. */
export function historyOf(context: vscode.ChatContext): ChatTurn[] {
  return historyToTurns(
    context.history.map((t) =>
      // Structural, so tests can pass plain turn objects (the vscode classes have private constructors).
      'prompt' in t
        ? { prompt: t.prompt, command: t.command }
        : { response: t.response, result: t.result, command: t.command },
    ),
  );
}
