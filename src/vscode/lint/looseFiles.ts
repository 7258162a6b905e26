import type * as vscode from 'vscode';
import { Analyzer, defaultConfig } from '../../core/analysis';
import { findingsSignature, toDiagnostic } from './convert';

/**
 * SQL documents open outside every project folder (a file elsewhere on disk, an untitled SQL editor): checked for
 * syntax only, as query files (placeholders accepted), since no migrations say what the schema is. One analyzer of
 * their own, so a stray file never joins a project's schema.
 */
export class LooseSqlFiles {
  private analyzer?: Promise<Analyzer>;
  private readonly shown = new Map<string, string>();

  constructor(private readonly collection: vscode.DiagnosticCollection) {}

  /** Analyses the document's current text and re-publishes its diagnostics when they changed. */
  async update(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return this.close(doc.uri);
    // No rules, no schema checks: the parser's own findings (syntax-error, statement-too-complex) alone.
    this.analyzer ??= Analyzer.create({ rules: [], config: { ...defaultConfig(), rules: { 'unknown-reference': 'off', 'unapplied-statement': 'off' } } });
    const analyzer = await this.analyzer;
    const key = doc.uri.toString();
    if (!analyzer.hasFile(key)) analyzer.setQueryFiles([...analyzer.paths(), key]);
    analyzer.setFile(key, doc.getText());
    const findings = analyzer.findingsFor(key);
    const sig = findingsSignature(findings);
    if (this.shown.get(key) === sig) return;
    this.shown.set(key, sig);
    this.collection.set(doc.uri, findings.map(toDiagnostic));
  }

  /** The document closed (or joined a project folder): its diagnostics go. */
  async close(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    if (!this.shown.delete(key)) return;
    this.collection.delete(uri);
    (await this.analyzer)?.removeFile(key);
  }
}
