import type { Finding, RuleMeta } from '../findings/types';
export { finding, type RuleMeta } from '../findings/types';
import type { ParsedFile, Statement } from '../sql/parse';
import type { SchemaModel, StatementFacts } from '../schema/model';
import type { DbeConfig } from '../findings/config';

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): Finding[];
}

/** Everything a rule may read. Rules are pure: no file system, no clock except `now`. */
export interface RuleContext {
  model: SchemaModel;
  /** Parsed files in migration order. */
  files: ParsedFile[];
  file(path: string): ParsedFile | undefined;
  config: DbeConfig;
  isExposed(schema: string): boolean;
  /** The clock used to name new migration files (fixed in tests). */
  now(): Date;
  /**
   * False for files whose findings are not wanted in this run (the editor re-checks one file right
   * after an edit). Rules may skip work for those; the engine drops their findings anyway.
   */
  wants(file: string): boolean;
}

/**
 * Statements of one kind across the workspace (in apply order), with their file and facts.
 * The per-kind lists are kept per parsed file, so unchanged files cost nothing on re-analysis.
 */
export function statementsOf(ctx: RuleContext, kind: string): { facts: StatementFacts; stmt: Statement; file: ParsedFile }[] {
  const out: { facts: StatementFacts; stmt: Statement; file: ParsedFile }[] = [];
  const factsOf = factsIndex(ctx.model);
  for (const file of ctx.files) {
    if (ctx.wants !== everything && !ctx.wants(file.path)) continue;
    for (const stmt of byKind(file).get(kind) ?? []) {
      const facts = factsOf.get(stmt);
      if (facts) out.push({ facts, stmt, file });
    }
  }
  return out;
}

const kindCache = new WeakMap<ParsedFile, Map<string, Statement[]>>();
function byKind(file: ParsedFile): Map<string, Statement[]> {
  let m = kindCache.get(file);
  if (!m) {
    m = new Map();
    for (const s of file.statements) {
      const list = m.get(s.kind);
      if (list) list.push(s);
      else m.set(s.kind, [s]);
    }
    kindCache.set(file, m);
  }
  return m;
}

const factsCache = new WeakMap<SchemaModel, Map<Statement, StatementFacts>>();
function factsIndex(model: SchemaModel): Map<Statement, StatementFacts> {
  let m = factsCache.get(model);
  if (!m) {
    m = new Map();
    for (const f of model.facts) m.set(f.stmt, f);
    factsCache.set(model, m);
  }
  return m;
}

/** The `wants` of a whole-workspace run (compared by identity to skip filtering). */
export const everything = (): boolean => true;
