import type { AstNode, ParsedFile, Statement } from '../sql/parse';
import { keyOf, qualifiedKey, rangeVarKey, schemaOf } from './names';
import { relationsRead } from './readers';

/** The incremental focus: which statements a re-check of one file needs the model to apply. */

/** Statements that change one table (or view), named by `targetKey`. */
const TABLE_KINDS = new Set(['CreateStmt', 'AlterTableStmt', 'IndexStmt', 'CreatePolicyStmt', 'AlterPolicyStmt']);

/** Statements the model applies at all; others (DML, comments, triggers …) change nothing it holds. */
const MODEL_KINDS = new Set([
  ...TABLE_KINDS, 'TransactionStmt', 'CreateSchemaStmt', 'CreateExtensionStmt', 'RenameStmt', 'DropStmt', 'CreateFunctionStmt',
  'AlterFunctionStmt', 'ViewStmt', 'CreateTableAsStmt', 'GrantStmt', 'CreateEnumStmt', 'AlterEnumStmt', 'CompositeTypeStmt', 'CreateDomainStmt',
]);

const targets = new WeakMap<AstNode, string | null>();
/** The table (or view) a table statement changes. */
export function targetKey(stmt: Statement): string | undefined {
  if (!TABLE_KINDS.has(stmt.kind)) return undefined;
  let k = targets.get(stmt.node);
  if (k === undefined) {
    const rv = stmt.kind === 'CreatePolicyStmt' || stmt.kind === 'AlterPolicyStmt' ? stmt.node.table : stmt.node.relation;
    targets.set(stmt.node, (k = rangeVarKey(rv) ?? null));
  }
  return k ?? undefined;
}

/**
 * The tables and views whose history the findings of `path` can depend on: those its statements
 * create, change, drop, rename, read (views) or attach, their partition parents, and every name they
 * had or get through a rename anywhere in the workspace.
 */
export function focusKeys(files: ParsedFile[], path: string): Set<string> {
  const keys = new Set<string>();
  const file = files.find((f) => f.path === path);
  const add = (k: string | undefined) => k && keys.add(k);
  for (const stmt of file?.statements ?? []) {
    const n = stmt.node;
    add(targetKey(stmt));
    switch (stmt.kind) {
      case 'CreateStmt':
        for (const r of n.inhRelations ?? []) add(rangeVarKey(r.RangeVar));
        break;
      case 'AlterTableStmt':
        for (const c of n.cmds ?? []) add(rangeVarKey(c.AlterTableCmd?.def?.PartitionCmd?.name));
        break;
      case 'ViewStmt':
        add(rangeVarKey(n.view));
        for (const r of relationsRead(n.query)) add(r);
        break;
      case 'CreateTableAsStmt':
        add(rangeVarKey(n.into?.rel));
        for (const r of relationsRead(n.query)) add(r);
        break;
      case 'RenameStmt':
        add(rangeVarKey(n.relation));
        break;
      case 'DropStmt':
        if (n.removeType === 'OBJECT_TABLE' || n.removeType === 'OBJECT_VIEW') for (const o of n.objects ?? []) add(qualifiedKey(o.List?.items ?? [o]));
        break;
    }
  }
  const renames: [string, string][] = [];
  for (const f of files) {
    for (const stmt of f.statements) {
      if (stmt.kind !== 'RenameStmt' || !['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW'].includes(stmt.node.renameType)) continue;
      const from = rangeVarKey(stmt.node.relation);
      if (from) renames.push([from, keyOf(schemaOf(from), stmt.node.newname)]);
    }
  }
  for (let changed = renames.length > 0; changed; ) {
    changed = false;
    for (const [a, b] of renames) {
      if (keys.has(a) !== keys.has(b)) {
        keys.add(a);
        keys.add(b);
        changed = true;
      }
    }
  }
  return keys;
}

/** Whether a focused build of another file applies `stmt`: every workspace-wide statement, table statements for the focus's tables. */
export function inFocus(stmt: Statement, keys: Set<string>): boolean {
  if (!MODEL_KINDS.has(stmt.kind)) return false;
  if (!TABLE_KINDS.has(stmt.kind)) return true;
  const k = targetKey(stmt);
  return Boolean(k && keys.has(k));
}
