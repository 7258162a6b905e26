/**
 * "The statement at the cursor" for every editor command that acts on one (Explain, Optimize, chat's /optimize and
 * /explain): core's `statementNear` on the parsed document, else the raw chunk around the cursor (a statement that
 * does not parse, so its error can show).
 */
import * as vscode from 'vscode';
import { ensureParser, parseFile, ParseCache, type ParsedFile } from '../core/sql/parse';
import { splitStatements as splitChunks } from '../core/sql/split';
import { bodyRange, statementNear } from '../core/sql/cursor';
import type { Range } from '../core/sql/positions';

export interface StatementAtCursor {
  /** The statement, with its `;`. */
  range: vscode.Range;
  /** The same without a final `;`: what a rewrite replaces. */
  body: vscode.Range;
  /** The parser's statement kind (`SelectStmt`…); absent when the text around the cursor did not parse. */
  kind?: string;
}

export const isSqlDocument = (doc: vscode.TextDocument): boolean => doc.languageId === 'sql' || /\.sql$/i.test(doc.fileName);

const toRange = (r: Range) => new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);

export class SqlDocuments {
  private readonly cache = new ParseCache();
  private parsed?: { uri: string; version: number; file: ParsedFile };

  /** The parsed document (cached per version). */
  async parse(document: vscode.TextDocument): Promise<ParsedFile> {
    const key = document.uri.toString();
    if (this.parsed?.uri === key && this.parsed.version === document.version) return this.parsed.file;
    await ensureParser();
    const file = parseFile(document.uri.fsPath, document.getText(), this.cache);
    // Only this document's statements are worth keeping: bounds the cache as the user moves between files.
    this.cache.retainOnly(new Set(file.statements.map((st) => st.text)));
    this.parsed = { uri: key, version: document.version, file };
    return file;
  }

  async statementAt(document: vscode.TextDocument, pos: vscode.Position): Promise<StatementAtCursor | undefined> {
    const file = await this.parse(document);
    const st = statementNear(file, { line: pos.line, column: pos.character });
    if (st) return { range: toRange(st.range), body: toRange(bodyRange(file, st)), kind: st.kind };
    const offset = document.offsetAt(pos);
    const chunk = splitChunks(document.getText()).chunks.find((c) => c.start <= offset && offset <= c.end);
    if (!chunk) return undefined;
    const range = new vscode.Range(document.positionAt(chunk.start), document.positionAt(chunk.end));
    const trimmed = document.getText(range).replace(/\s*;\s*$/, '');
    return { range, body: new vscode.Range(range.start, document.positionAt(chunk.start + trimmed.length)) };
  }
}
