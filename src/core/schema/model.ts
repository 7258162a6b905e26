import type { Range } from '../sql/positions';
import type { AstNode, Statement } from '../sql/parse';

/**
 * The workspace schema as the migrations leave it, built by applying every statement in order.
 * Names are stored as PostgreSQL stores them (unquoted names folded to lower case); an object's
 * `key` is `schema.name` with unqualified names resolved to `public`.
 */

/** Where something was written: the file, the range to point at, and the statement. */
export interface Origin {
  file: string;
  /** Position of the file in the migration order. */
  fileIndex: number;
  range: Range;
  stmt: Statement;
}

export interface TypeRef {
  /** Type name without its schema, PostgreSQL's internal spelling: int4, int8, text, varchar, timestamp, timestamptz, serial, vector … */
  name: string;
  schema?: string;
  /** Type modifiers as written (varchar(10) → [10]). */
  mods: number[];
  array: boolean;
  /** Byte location of the type name inside its statement. */
  loc?: number;
}

export interface Column {
  name: string;
  type: TypeRef;
  notNull: boolean;
  default?: AstNode;
  identity?: 'always' | 'by default';
  generated: boolean;
  origin: Origin;
}

export type ConstraintKind = 'primary' | 'unique' | 'foreign' | 'check' | 'exclusion' | 'notnull';

export interface TableConstraint {
  name?: string;
  kind: ConstraintKind;
  columns: string[];
  /** Foreign keys: the referenced table's key and columns. */
  refTable?: string;
  refColumns?: string[];
  notValid: boolean;
  expr?: AstNode;
  origin: Origin;
}

export interface Index {
  key: string;
  name: string;
  table: string;
  /** Index columns in order; null for an expression. */
  columns: (string | null)[];
  /** Each element's parse tree (for expressions and opclasses). */
  elements: AstNode[];
  method: string;
  unique: boolean;
  where?: AstNode;
  concurrently: boolean;
  /** Created by a PRIMARY KEY or UNIQUE constraint rather than CREATE INDEX. */
  implicit?: 'primary' | 'unique';
  origin: Origin;
}

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

export interface Policy {
  name: string;
  table: string;
  command: PolicyCommand;
  /** Role names; `public` when none were given. */
  roles: string[];
  permissive: boolean;
  using?: AstNode;
  withCheck?: AstNode;
  origin: Origin;
  /** The last statement that changed it (ALTER POLICY), when not its CREATE. */
  changedIn?: Origin;
}

export interface Table {
  key: string;
  schema: string;
  name: string;
  columns: Map<string, Column>;
  constraints: TableConstraint[];
  rlsEnabled: boolean;
  rlsForced: boolean;
  /** The statement that (last) enabled row level security. */
  rlsOrigin?: Origin;
  /** Parent's key when this is a partition (or an inheritance child). */
  partitionOf?: string;
  partitioned: boolean;
  origin: Origin;
  /** Every statement that changed the table after its CREATE, in order. */
  changes: Origin[];
  /** Table renames after its CREATE, in order (`from`/`to` are keys), so findings can name it as it was. */
  renames?: { from: string; to: string; origin: Origin }[];
}

export interface FunctionDef {
  key: string;
  schema: string;
  name: string;
  /** Argument type names, for telling overloads apart. */
  argTypes: string[];
  language?: string;
  securityDefiner: boolean;
  /** The function's own `SET search_path` value ('' for `= ''`), undefined when not set. */
  searchPath?: string;
  returnsTrigger: boolean;
  origin: Origin;
}

export interface View {
  key: string;
  schema: string;
  name: string;
  materialized: boolean;
  securityInvoker: boolean;
  /** Keys of the relations the view's query reads. */
  reads: string[];
  origin: Origin;
}

/** A user-defined type: enum (with its labels), composite or domain (with its base type). */
export interface TypeDef {
  key: string;
  kind: 'enum' | 'composite' | 'domain';
  values?: string[];
  base?: TypeRef;
  origin: Origin;
}

export interface Grant {
  grant: boolean;
  privileges: string[];
  objectType: string;
  objects: string[];
  grantees: string[];
  origin: Origin;
}

/** What a statement touched, recorded while the model was built (for migration-safety rules). */
export interface StatementFacts {
  stmt: Statement;
  fileIndex: number;
  /** Key of the table the statement works on (ALTER TABLE, CREATE INDEX, DROP TABLE, RENAME …). */
  table?: string;
  /**
   * The table's state just before the statement ran:
   * 'new' — created earlier in the same file (no live data yet, nothing to lock);
   * 'existing' — created by an earlier migration file;
   * 'unknown' — not created by any migration we read (so it already existed in the database);
   * 'absent' — does not exist yet (the statement creates it).
   */
  tableState?: 'new' | 'existing' | 'unknown' | 'absent';
  /** Inside an explicit BEGIN … COMMIT in the file (or the file is assumed to run in one). */
  inTransaction: boolean;
}

export interface SchemaModel {
  /** The files that built it, in order. */
  files: string[];
  schemas: Set<string>;
  extensions: Set<string>;
  tables: Map<string, Table>;
  indexes: Map<string, Index>;
  /** Policies by table key. */
  policies: Map<string, Policy[]>;
  functions: Map<string, FunctionDef>;
  views: Map<string, View>;
  types: Map<string, TypeDef>;
  grants: Grant[];
  /** Indexes by table key (derived from `indexes` when the build ends). */
  tableIndexes: Map<string, Index[]>;
  /** Every statement of every file, in order, with what it touched. */
  facts: StatementFacts[];
  /** Statements the model could not apply: reported as findings, never dropped silently. */
  warnings: ModelWarning[];
}

export interface ModelWarning {
  file: string;
  range: Range;
  stmt: Statement;
  message: string;
}

export function policiesOf(model: SchemaModel, table: string): Policy[] {
  return model.policies.get(table) ?? [];
}

export function indexesOf(model: SchemaModel, table: string): Index[] {
  return model.tableIndexes.get(table) ?? [];
}
