import type { AstNode, ParsedFile, Statement } from '../sql/parse';
import type { StatementFacts } from '../schema/model';
import { rangeVarKey } from '../schema/names';
import { transactionModeOf, transactionsOf, MIGRATION_TOOLS, type MigrationTool, type TransactionMode } from '../workspace/migrationTool';
import type { DbeConfig } from '../findings/config';
import type { RuleContext } from './rule';

/**
 * How a migration file runs, statement by statement: which transaction each statement is in (by the
 * project's migration tool and the file's own BEGIN/COMMIT) and which locks it takes on tables that
 * already hold data. The migration-safety rules that reason about lock windows share it.
 */
export interface FileFlow {
  tool: MigrationTool;
  mode: TransactionMode;
  /** Transaction id per statement index; -1 when the statement commits on its own. */
  tx: number[];
}

const flows = new WeakMap<ParsedFile, { config: DbeConfig; flow: FileFlow }>();

/** The migration-tool part of the config (`assumeInTransaction` is the older spelling of `transactional: true`). */
export function toolConfig(config: DbeConfig): { migrationTool?: DbeConfig['migrationTool']; transactional?: boolean } {
  const transactional = config.transactional ?? (config.assumeInTransaction ? true : undefined);
  return { ...(config.migrationTool ? { migrationTool: config.migrationTool } : {}), ...(transactional !== undefined ? { transactional } : {}) };
}

export function fileFlow(config: DbeConfig, file: ParsedFile): FileFlow {
  const hit = flows.get(file);
  if (hit && hit.config === config) return hit.flow;
  const { tool, mode } = transactionModeOf(toolConfig(config), file.path, file.text);
  const tx = transactionsOf(file.statements.map((s) => ({ kind: s.kind, txKind: s.kind === 'TransactionStmt' ? s.node.kind : undefined })), mode);
  const flow = { tool: MIGRATION_TOOLS[tool], mode, tx };
  flows.set(file, { config, flow });
  return flow;
}

/** The transaction a statement runs in (-1: on its own). */
export function txOf(ctx: RuleContext, stmt: Statement): number {
  const file = ctx.file(stmt.file);
  return file ? fileFlow(ctx.config, file).tx[stmt.index] ?? -1 : -1;
}

/** "in the transaction the Supabase CLI wraps the file in" / "inside BEGIN … COMMIT": for messages. */
export function txDescription(flow: FileFlow, file: ParsedFile, stmt: Statement): string {
  const explicit = file.statements.slice(0, stmt.index).some((s) => s.kind === 'TransactionStmt' && (s.node.kind === 'TRANS_STMT_BEGIN' || s.node.kind === 'TRANS_STMT_START'));
  if (explicit) return 'inside the BEGIN … COMMIT of this file';
  return flow.mode === 'atomic'
    ? `in the one transaction ${flow.tool.called} runs this multi-statement file in`
    : `in the transaction ${flow.tool.called} wraps each file in`;
}

/** ALTER TABLE sub-commands that take a lock weaker than ACCESS EXCLUSIVE. */
const LIGHT_ALTERS = new Set([
  'AT_ValidateConstraint', 'AT_SetStatistics', 'AT_SetOptions', 'AT_ResetOptions', 'AT_ClusterOn', 'AT_DropCluster',
  'AT_EnableTrig', 'AT_DisableTrig', 'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig', 'AT_EnableTrigAll', 'AT_DisableTrigAll',
  'AT_EnableTrigUser', 'AT_DisableTrigUser', 'AT_AttachPartition', 'AT_DetachPartitionFinalize', 'AT_SetRelOptions', 'AT_ResetRelOptions',
]);

/** The table existed before this file (created by an earlier migration, or by none we read). */
const existed = (state: StatementFacts['tableState']) => state === 'existing' || state === 'unknown';

/**
 * The existing table a statement takes ACCESS EXCLUSIVE on (blocking reads and writes until its
 * transaction ends), or undefined. Tables created earlier in the same file hold no data yet and are skipped.
 */
export function accessExclusiveTable(ctx: RuleContext, stmt: Statement, facts: StatementFacts | undefined): string | undefined {
  const n = stmt.node;
  switch (stmt.kind) {
    case 'AlterTableStmt': {
      if ((n.objtype ?? 'OBJECT_TABLE') !== 'OBJECT_TABLE' || !facts?.table || !existed(facts.tableState)) return undefined;
      const cmds: AstNode[] = (n.cmds ?? []).map((c: AstNode) => c.AlterTableCmd ?? {});
      const heavy = cmds.some((c) => !LIGHT_ALTERS.has(c.subtype) && !(c.subtype === 'AT_AddConstraint' && c.def?.Constraint?.contype === 'CONSTR_FOREIGN'));
      return heavy ? facts.table : undefined;
    }
    case 'RenameStmt':
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return facts?.table && existed(facts.tableState) ? facts.table : undefined;
    case 'DropStmt':
      return n.removeType === 'OBJECT_TABLE' && facts?.table && existed(facts.tableState) ? facts.table : undefined;
    case 'TruncateStmt': {
      const key = rangeVarKey(n.relations?.[0]?.RangeVar);
      return key && !createdEarlierInFile(ctx, stmt, key) ? key : undefined;
    }
    case 'VacuumStmt': {
      const full = (n.options ?? []).some((o: AstNode) => o.DefElem?.defname === 'full');
      const key = rangeVarKey(n.rels?.[0]?.VacuumRelation?.relation);
      return full && key && !createdEarlierInFile(ctx, stmt, key) ? key : undefined;
    }
    case 'ClusterStmt': {
      const key = rangeVarKey(n.relation);
      return key && !createdEarlierInFile(ctx, stmt, key) ? key : undefined;
    }
    default:
      return undefined;
  }
}

/** True when `key` is created by a CREATE TABLE earlier in the statement's own file (so it holds no data yet). */
export function createdEarlierInFile(ctx: RuleContext, stmt: Statement, key: string): boolean {
  const file = ctx.file(stmt.file);
  if (!file) return false;
  for (const s of file.statements) {
    if (s.index >= stmt.index) break;
    if ((s.kind === 'CreateStmt' || s.kind === 'CreateTableAsStmt') && rangeVarKey(s.node.relation ?? s.node.into?.rel) === key) return true;
  }
  return false;
}

const factsCache = new WeakMap<object, Map<Statement, StatementFacts>>();
/** The facts the model recorded for a statement (undefined for statements it skipped). */
export function factsOf(ctx: RuleContext, stmt: Statement): StatementFacts | undefined {
  let m = factsCache.get(ctx.model);
  if (!m) {
    m = new Map();
    for (const f of ctx.model.facts) m.set(f.stmt, f);
    factsCache.set(ctx.model, m);
  }
  return m.get(stmt);
}

/** Statements that change no table and take no lock worth mentioning. */
export const QUIET_KINDS = new Set(['TransactionStmt', 'VariableSetStmt', 'VariableShowStmt', 'CommentStmt', 'DiscardStmt']);

/** The files the rules should look at, with their flows. */
export function* wantedFiles(ctx: RuleContext): Generator<{ file: ParsedFile; flow: FileFlow }> {
  for (const file of ctx.files) if (ctx.wants(file.path)) yield { file, flow: fileFlow(ctx.config, file) };
}
