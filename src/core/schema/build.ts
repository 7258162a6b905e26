import type { ParsedFile, Statement } from '../sql/parse';
import type { Origin, SchemaModel, StatementFacts } from './model';
import { APPLIERS, type ApplyContext } from './appliers';
import { inFocus } from './focus';
import { LazyOrigin, headRange } from './geometry';

// Rule files import these from here.
export { identRange, headRange, EMPTY_RANGE } from './geometry';
export { typeRefOf, relationsRead } from './readers';
export { focusKeys, targetKey } from './focus';

export interface BuildOptions {
  /** Treat every file as running inside one transaction (some migration tools wrap each file). */
  assumeInTransaction?: boolean;
  /**
   * Build only what the findings of one file can depend on: every statement of `file`, every
   * workspace-wide statement (functions, views, renames, drops …), and table statements elsewhere only
   * for the tables in `keys` (see `focusKeys`). Used to re-check one file right after an edit.
   */
  focus?: { file: string; keys: Set<string> };
}

/**
 * Applies every statement of the files, in order, to an empty schema, each through its kind's applier.
 * Later statements override earlier ones; unknown objects are ignored (they live outside the migrations).
 * A statement an applier cannot take (a parse-tree shape it did not expect) is left out and recorded in
 * `model.warnings`, which the analyzer reports as an `unapplied-statement` finding.
 */
export function buildModel(files: ParsedFile[], options: BuildOptions = {}): SchemaModel {
  const model: SchemaModel = {
    files: files.map((f) => f.path),
    schemas: new Set(['public']),
    extensions: new Set(),
    tables: new Map(),
    indexes: new Map(),
    policies: new Map(),
    functions: new Map(),
    views: new Map(),
    types: new Map(),
    grants: [],
    tableIndexes: new Map(),
    facts: [],
    warnings: [],
  };
  const createdInFile = new Map<string, number>();

  files.forEach((file, fileIndex) => {
    const assumed = Boolean(options.assumeInTransaction);
    const tx = { inTx: assumed, assumed };
    const stateOf = (key: string | undefined): StatementFacts['tableState'] => {
      if (!key) return undefined;
      if (!model.tables.has(key) && !model.views.has(key)) return createdInFile.has(key) ? 'absent' : 'unknown';
      return createdInFile.get(key) === fileIndex ? 'new' : 'existing';
    };
    // One context per file, updated per statement: re-analysis runs this for every statement of the workspace.
    const c: ApplyContext = {
      model, file, fileIndex, createdInFile, tx,
      stmt: undefined as unknown as Statement,
      n: {},
      facts: undefined as unknown as StatementFacts,
      origin: (loc?: number): Origin => new LazyOrigin(file.path, fileIndex, c.stmt, file, loc),
      touch: (key) => {
        if (!key) return;
        c.facts.table = key;
        c.facts.tableState = stateOf(key);
      },
    };
    const focus = options.focus && options.focus.file !== file.path ? options.focus : undefined;
    for (const stmt of file.statements) {
      if (focus && !inFocus(stmt, focus.keys)) continue;
      c.stmt = stmt;
      c.n = stmt.node;
      c.facts = { stmt, fileIndex, inTransaction: tx.inTx };
      const apply = APPLIERS[stmt.kind];
      if (apply) {
        try {
          apply(c);
        } catch (err) {
          model.warnings.push({
            file: file.path, range: headRange(file, stmt), stmt,
            message: `The schema model could not apply this ${stmt.kind.replace(/Stmt$/, '')} statement (${(err as Error).message}), so rules do not see its changes.`,
          });
        }
      }
      model.facts.push(c.facts);
    }
  });

  for (const ix of model.indexes.values()) {
    const list = model.tableIndexes.get(ix.table);
    if (list) list.push(ix);
    else model.tableIndexes.set(ix.table, [ix]);
  }
  return model;
}
