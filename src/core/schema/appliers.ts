import type { AstNode, ParsedFile, Statement } from '../sql/parse';
import type {
  Column, FunctionDef, Origin, Policy, PolicyCommand, SchemaModel, StatementFacts, Table, TableConstraint, View,
} from './model';
import { keyOf, qualifiedKey, rangeVarKey, strings, nameOf, schemaOf } from './names';
import { defaultIndexName, functionKey, optionOn, relationsRead, roleNames, typeRefOf } from './readers';
import { LazyOrigin } from './geometry';

/** The appliers: how each kind of statement changes the schema model, one entry per statement kind. */

/** What an applier works with: the model so far and the statement being applied. */
export interface ApplyContext {
  model: SchemaModel;
  file: ParsedFile;
  fileIndex: number;
  stmt: Statement;
  /** The statement's parse-tree fields. */
  n: AstNode;
  /** What rules learn about the statement (its table and whether that table is new here). */
  facts: StatementFacts;
  /** Where something this statement creates was written; `loc` points at its name. */
  origin(loc?: number): Origin;
  /** Records the table the statement works on in `facts`. */
  touch(key: string | undefined): void;
  /** Which file created each table, to tell "new in this file" from "existed before". */
  createdInFile: Map<string, number>;
  /** The file's transaction state: BEGIN … COMMIT, or every file in one (`assumed`). */
  tx: { inTx: boolean; assumed: boolean };
}

export type Applier = (c: ApplyContext) => void;

/** Statement kind → applier. Kinds not listed (DML, comments, triggers …) change nothing the model holds. */
export const APPLIERS: Record<string, Applier> = {
  TransactionStmt: (c) => {
    const { n } = c;
    if (n.kind === 'TRANS_STMT_BEGIN' || n.kind === 'TRANS_STMT_START') c.tx.inTx = true;
    else if (n.kind === 'TRANS_STMT_COMMIT' || n.kind === 'TRANS_STMT_ROLLBACK') c.tx.inTx = Boolean(c.tx.assumed);
  },
  CreateSchemaStmt: (c) => {
    const { model, n } = c;
    if (n.schemaname) model.schemas.add(n.schemaname);
  },
  CreateExtensionStmt: (c) => {
    const { model, n } = c;
    model.extensions.add(n.extname);
  },
  CreateStmt: (c) => {
    const { model, n, file, stmt, facts, origin, touch, createdInFile, fileIndex } = c;
    const key = rangeVarKey(n.relation)!;
    touch(key);
    if (!model.tables.has(key)) facts.tableState = 'absent';
    if (model.tables.has(key) && n.if_not_exists) return;
    createTable(model, file, stmt, key, n, origin(n.relation.location));
    createdInFile.set(key, fileIndex);
  },
  AlterTableStmt: (c) => {
    const { model, n, origin, touch } = c;
    const key = rangeVarKey(n.relation);
    touch(key);
    if (n.objtype === 'OBJECT_VIEW' || n.objtype === 'OBJECT_MATVIEW') {
      alterView(model, key, n);
      return;
    }
    const table = key ? model.tables.get(key) : undefined;
    if (!table) return;
    table.changes.push(origin());
    for (const cmd of n.cmds ?? []) alterTable(model, table, cmd.AlterTableCmd ?? {}, origin);
  },
  RenameStmt: (c) => {
    const { model, n, origin, touch, createdInFile } = c;
    touch(rangeVarKey(n.relation));
    rename(model, n, createdInFile);
    if (n.renameType === 'OBJECT_TABLE' || n.renameType === 'OBJECT_COLUMN') {
      const key = rangeVarKey(n.relation);
      const t = key && (model.tables.get(key) ?? (n.renameType === 'OBJECT_TABLE' ? model.tables.get(keyOf(schemaOf(key), n.newname)) : undefined));
      if (t) t.changes.push(origin());
      if (t && n.renameType === 'OBJECT_TABLE' && key && key !== t.key) (t.renames ??= []).push({ from: key, to: t.key, origin: origin() });
    }
  },
  DropStmt: (c) => {
    const { model, n, touch } = c;
    if (n.removeType === 'OBJECT_TABLE') {
      const first = n.objects?.[0]?.List?.items;
      touch(qualifiedKey(first));
    }
    drop(model, n);
  },
  IndexStmt: (c) => {
    const { model, n, origin, touch } = c;
    const table = rangeVarKey(n.relation)!;
    touch(table);
    const schema = n.relation.schemaname ?? 'public';
    const name = n.idxname ?? defaultIndexName(nameOf(table), n);
    const key = keyOf(schema, name);
    if (model.indexes.has(key) && n.if_not_exists) return;
    model.indexes.set(key, {
      key, name, table,
      columns: (n.indexParams ?? []).map((p: AstNode) => p.IndexElem?.name ?? null),
      elements: (n.indexParams ?? []).map((p: AstNode) => p.IndexElem ?? {}),
      method: n.accessMethod ?? 'btree',
      unique: Boolean(n.unique),
      ...(n.whereClause ? { where: n.whereClause } : {}),
      concurrently: Boolean(n.concurrent),
      origin: origin(n.idxname ? undefined : n.relation.location),
    });
  },
  CreatePolicyStmt: (c) => {
    const { model, n, origin, touch } = c;
    const table = rangeVarKey(n.table)!;
    touch(table);
    const list = model.policies.get(table) ?? [];
    const policy: Policy = {
      name: n.policy_name, table,
      command: (n.cmd_name ?? 'all') as PolicyCommand,
      roles: roleNames(n.roles),
      permissive: n.permissive === true,
      ...(n.qual ? { using: n.qual } : {}),
      ...(n.with_check ? { withCheck: n.with_check } : {}),
      origin: origin(),
    };
    model.policies.set(table, [...list.filter((p) => p.name !== policy.name), policy]);
  },
  AlterPolicyStmt: (c) => {
    const { model, n, origin, touch } = c;
    const table = rangeVarKey(n.table)!;
    touch(table);
    const p = model.policies.get(table)?.find((x) => x.name === n.policy_name);
    if (!p) return;
    if (n.roles) p.roles = roleNames(n.roles);
    if (n.qual) p.using = n.qual;
    if (n.with_check) p.withCheck = n.with_check;
    p.changedIn = origin();
  },
  CreateFunctionStmt: (c) => {
    const { model, n, origin } = c;
    const fn = functionOf(n, origin());
    if (fn) model.functions.set(fn.key, fn);
  },
  AlterFunctionStmt: (c) => {
    const { model, n } = c;
    const key = functionKey(n.func?.objname, n.func?.objargs);
    const fn = key ? model.functions.get(key) ?? findFunction(model, n.func?.objname) : undefined;
    if (fn) applyFunctionOptions(fn, n.actions ?? []);
  },
  ViewStmt: (c) => {
    const { model, n, origin } = c;
    const key = rangeVarKey(n.view)!;
    const view: View = {
      key, schema: schemaOf(key), name: nameOf(key), materialized: false,
      securityInvoker: optionOn(n.options, 'security_invoker'),
      reads: relationsRead(n.query),
      origin: origin(n.view.location),
    };
    model.views.set(key, view);
  },
  CreateTableAsStmt: (c) => {
    const { model, n, origin } = c;
    const rel = n.into?.rel;
    const key = rangeVarKey(rel);
    if (!key) return;
    if (n.objtype === 'OBJECT_MATVIEW') {
      model.views.set(key, {
        key, schema: schemaOf(key), name: nameOf(key), materialized: true, securityInvoker: false,
        reads: relationsRead(n.query), origin: origin(rel.location),
      });
    }
  },
  CreateEnumStmt: (c) => {
    const { model, n, origin } = c;
    const key = qualifiedKey(n.typeName)!;
    model.types.set(key, { key, kind: 'enum', values: strings(n.vals), origin: origin() });
  },
  AlterEnumStmt: (c) => {
    const { model, n } = c;
    const t = model.types.get(qualifiedKey(n.typeName)!);
    if (t?.values && n.newVal && !t.values.includes(n.newVal)) t.values.push(n.newVal);
  },
  CompositeTypeStmt: (c) => {
    const { model, n, origin } = c;
    const key = rangeVarKey(n.typevar)!;
    model.types.set(key, { key, kind: 'composite', origin: origin(n.typevar.location) });
  },
  CreateDomainStmt: (c) => {
    const { model, n, origin } = c;
    const key = qualifiedKey(n.domainname)!;
    model.types.set(key, { key, kind: 'domain', base: typeRefOf(n.typeName), origin: origin() });
  },
  GrantStmt: (c) => {
    const { model, n, origin } = c;
    model.grants.push({
      grant: n.is_grant === true,
      privileges: (n.privileges ?? []).map((p: AstNode) => p.AccessPriv?.priv_name ?? 'all'),
      objectType: n.objtype,
      objects: (n.objects ?? []).map((o: AstNode) => (o.RangeVar ? rangeVarKey(o.RangeVar) : strings([o]).join('.'))).filter(Boolean),
      grantees: roleNames(n.grantees),
      origin: origin(),
    });
  },
};

function createTable(model: SchemaModel, file: ParsedFile, stmt: Statement, key: string, n: AstNode, origin: Origin) {
  const table: Table = {
    key, schema: schemaOf(key), name: nameOf(key),
    columns: new Map(), constraints: [], rlsEnabled: false, rlsForced: false,
    partitioned: Boolean(n.partspec), origin, changes: [],
  };
  const parent = n.inhRelations?.[0]?.RangeVar;
  if (parent) {
    table.partitionOf = rangeVarKey(parent);
    // A partition (or child) inherits its parent's columns.
    const p = model.tables.get(table.partitionOf!);
    if (p) for (const [k, c] of p.columns) table.columns.set(k, { ...c });
  }
  const o = (loc?: number): Origin => new LazyOrigin(origin.file, origin.fileIndex, stmt, file, loc);
  for (const elt of n.tableElts ?? []) {
    if (elt.ColumnDef) addColumn(model, table, elt.ColumnDef, o(elt.ColumnDef.location), o);
    else if (elt.Constraint) addConstraint(model, table, elt.Constraint, [], o(elt.Constraint.location));
  }
  model.tables.set(key, table);
}

function addColumn(model: SchemaModel, table: Table, def: AstNode, origin: Origin, o: (loc?: number) => Origin) {
  const col: Column = { name: def.colname, type: typeRefOf(def.typeName), notNull: false, generated: false, origin };
  if (def.identity) col.identity = def.identity === 'a' ? 'always' : 'by default';
  for (const c of def.constraints ?? []) {
    const con = c.Constraint ?? {};
    switch (con.contype) {
      case 'CONSTR_NOTNULL': col.notNull = true; break;
      case 'CONSTR_DEFAULT': col.default = con.raw_expr; break;
      case 'CONSTR_IDENTITY':
        col.identity = con.generated_when === 'a' ? 'always' : 'by default';
        col.notNull = true;
        break;
      case 'CONSTR_GENERATED': col.generated = true; break;
      case 'CONSTR_PRIMARY': col.notNull = true; addConstraint(model, table, con, [col.name], o(con.location)); break;
      case 'CONSTR_UNIQUE': case 'CONSTR_FOREIGN': case 'CONSTR_CHECK':
        addConstraint(model, table, con, [col.name], o(con.location));
        break;
    }
  }
  if (/^(small|big)?serial$|^serial[248]$/.test(col.type.name)) col.notNull = true;
  table.columns.set(col.name, col);
}

const CONSTRAINT_KIND: Record<string, TableConstraint['kind']> = {
  CONSTR_PRIMARY: 'primary', CONSTR_UNIQUE: 'unique', CONSTR_FOREIGN: 'foreign', CONSTR_CHECK: 'check', CONSTR_EXCLUSION: 'exclusion',
};

function addConstraint(model: SchemaModel, table: Table, con: AstNode, inlineColumns: string[], origin: Origin) {
  const kind = CONSTRAINT_KIND[con.contype];
  if (!kind) return;
  const columns = kind === 'foreign' ? (con.fk_attrs ? strings(con.fk_attrs) : inlineColumns) : con.keys ? strings(con.keys) : inlineColumns;
  const c: TableConstraint = {
    kind, columns,
    notValid: Boolean(con.skip_validation),
    origin,
    ...(con.conname ? { name: con.conname } : {}),
    ...(con.raw_expr ? { expr: con.raw_expr } : {}),
  };
  if (kind === 'foreign') {
    c.refTable = rangeVarKey(con.pktable);
    c.refColumns = strings(con.pk_attrs);
  }
  table.constraints.push(c);
  if (kind === 'primary') for (const col of columns) { const cc = table.columns.get(col); if (cc) cc.notNull = true; }
  if (kind === 'primary' || kind === 'unique') {
    // PRIMARY KEY and UNIQUE build an index: it serves lookups like any other.
    const name = con.indexname ?? con.conname ?? (kind === 'primary' ? `${table.name}_pkey` : `${table.name}_${columns.join('_')}_key`);
    const key = keyOf(table.schema, name);
    model.indexes.set(key, {
      key, name, table: table.key, columns, elements: columns.map((c) => ({ name: c })), method: 'btree', unique: true,
      concurrently: false, implicit: kind, origin,
    });
  }
}

function alterTable(model: SchemaModel, table: Table, cmd: AstNode, origin: (loc?: number) => Origin) {
  const o = origin;
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      if (cmd.def?.ColumnDef) {
        if (cmd.missing_ok && table.columns.has(cmd.def.ColumnDef.colname)) break;
        addColumn(model, table, cmd.def.ColumnDef, o(cmd.def.ColumnDef.location), o);
      }
      break;
    case 'AT_DropColumn':
      table.columns.delete(cmd.name);
      table.constraints = table.constraints.filter((c) => !c.columns.includes(cmd.name));
      for (const [k, ix] of model.indexes) if (ix.table === table.key && ix.columns.includes(cmd.name)) model.indexes.delete(k);
      break;
    case 'AT_AlterColumnType': {
      const col = table.columns.get(cmd.name);
      if (col && cmd.def?.ColumnDef?.typeName) col.type = typeRefOf(cmd.def.ColumnDef.typeName);
      break;
    }
    case 'AT_ColumnDefault': {
      const col = table.columns.get(cmd.name);
      if (col) {
        if (cmd.def) col.default = cmd.def;
        else delete col.default;
      }
      break;
    }
    case 'AT_SetNotNull': { const col = table.columns.get(cmd.name); if (col) col.notNull = true; break; }
    case 'AT_DropNotNull': { const col = table.columns.get(cmd.name); if (col) col.notNull = false; break; }
    case 'AT_AddIdentity': { const col = table.columns.get(cmd.name); if (col) col.identity = 'always'; break; }
    case 'AT_AddConstraint':
      if (cmd.def?.Constraint) addConstraint(model, table, cmd.def.Constraint, [], o(cmd.def.Constraint.location));
      break;
    case 'AT_DropConstraint': {
      table.constraints = table.constraints.filter((c) => c.name !== cmd.name);
      model.indexes.delete(keyOf(table.schema, cmd.name));
      break;
    }
    case 'AT_ValidateConstraint': {
      const c = table.constraints.find((x) => x.name === cmd.name);
      if (c) c.notValid = false;
      break;
    }
    case 'AT_EnableRowSecurity': table.rlsEnabled = true; table.rlsOrigin = origin(); break;
    case 'AT_DisableRowSecurity': table.rlsEnabled = false; delete table.rlsOrigin; break;
    case 'AT_ForceRowSecurity': table.rlsForced = true; break;
    case 'AT_NoForceRowSecurity': table.rlsForced = false; break;
    case 'AT_AttachPartition': {
      const child = rangeVarKey(cmd.def?.PartitionCmd?.name);
      const t = child ? model.tables.get(child) : undefined;
      if (t) t.partitionOf = table.key;
      break;
    }
    case 'AT_DetachPartition': {
      const child = rangeVarKey(cmd.def?.PartitionCmd?.name);
      const t = child ? model.tables.get(child) : undefined;
      if (t) delete t.partitionOf;
      break;
    }
  }
}

function alterView(model: SchemaModel, key: string | undefined, n: AstNode) {
  const view = key ? model.views.get(key) : undefined;
  if (!view) return;
  for (const c of n.cmds ?? []) {
    const cmd = c.AlterTableCmd ?? {};
    if (cmd.subtype === 'AT_SetRelOptions') {
      const opts = cmd.def?.List?.items ?? [];
      if (opts.some((o: AstNode) => o.DefElem?.defname === 'security_invoker')) view.securityInvoker = optionOn(opts, 'security_invoker');
    } else if (cmd.subtype === 'AT_ResetRelOptions') {
      const opts = cmd.def?.List?.items ?? [];
      if (opts.some((o: AstNode) => o.DefElem?.defname === 'security_invoker')) view.securityInvoker = false;
    }
  }
}

function rename(model: SchemaModel, n: AstNode, createdInFile: Map<string, number>) {
  const key = rangeVarKey(n.relation);
  switch (n.renameType) {
    case 'OBJECT_TABLE': case 'OBJECT_VIEW': case 'OBJECT_MATVIEW': {
      if (!key) return;
      const newKey = keyOf(schemaOf(key), n.newname);
      const t = model.tables.get(key);
      if (t) {
        model.tables.delete(key);
        t.key = newKey;
        t.name = n.newname;
        model.tables.set(newKey, t);
        for (const ix of model.indexes.values()) if (ix.table === key) ix.table = newKey;
        const pols = model.policies.get(key);
        if (pols) {
          model.policies.delete(key);
          for (const p of pols) p.table = newKey;
          model.policies.set(newKey, pols);
        }
        for (const other of model.tables.values()) {
          if (other.partitionOf === key) other.partitionOf = newKey;
          for (const c of other.constraints) if (c.refTable === key) c.refTable = newKey;
        }
        const f = createdInFile.get(key);
        if (f !== undefined) createdInFile.set(newKey, f);
      }
      const v = model.views.get(key);
      if (v) {
        model.views.delete(key);
        v.key = newKey;
        v.name = n.newname;
        model.views.set(newKey, v);
      }
      return;
    }
    case 'OBJECT_COLUMN': {
      const t = key ? model.tables.get(key) : undefined;
      const col = t?.columns.get(n.subname);
      if (!t || !col) return;
      // Keep column order: rebuild the map with the new name in place.
      const cols = new Map<string, Column>();
      for (const [k, c] of t.columns) {
        if (k === n.subname) cols.set(n.newname, { ...c, name: n.newname });
        else cols.set(k, c);
      }
      t.columns = cols;
      const swap = (list: string[]) => list.map((c) => (c === n.subname ? n.newname : c));
      for (const c of t.constraints) c.columns = swap(c.columns);
      for (const ix of model.indexes.values()) if (ix.table === t.key) ix.columns = ix.columns.map((c) => (c === n.subname ? n.newname : c));
      for (const other of model.tables.values())
        for (const c of other.constraints) if (c.refTable === t.key && c.refColumns) c.refColumns = swap(c.refColumns);
      return;
    }
    case 'OBJECT_INDEX': {
      if (!key) return;
      const ix = model.indexes.get(key);
      if (!ix) return;
      model.indexes.delete(key);
      ix.name = n.newname;
      ix.key = keyOf(schemaOf(key), n.newname);
      model.indexes.set(ix.key, ix);
      return;
    }
    case 'OBJECT_POLICY': {
      const p = key ? model.policies.get(key)?.find((x) => x.name === n.subname) : undefined;
      if (p) p.name = n.newname;
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const t = key ? model.tables.get(key) : undefined;
      const c = t?.constraints.find((x) => x.name === n.subname);
      if (c) c.name = n.newname;
      return;
    }
    case 'OBJECT_SCHEMA':
      if (n.subname) {
        model.schemas.delete(n.subname);
        model.schemas.add(n.newname);
      }
      return;
  }
}

function drop(model: SchemaModel, n: AstNode) {
  for (const obj of n.objects ?? []) {
    const items: AstNode[] = obj.List?.items ?? [obj];
    switch (n.removeType) {
      case 'OBJECT_TABLE': {
        const key = qualifiedKey(items)!;
        model.tables.delete(key);
        model.policies.delete(key);
        for (const [k, ix] of model.indexes) if (ix.table === key) model.indexes.delete(k);
        break;
      }
      case 'OBJECT_INDEX':
        model.indexes.delete(qualifiedKey(items)!);
        break;
      case 'OBJECT_VIEW': case 'OBJECT_MATVIEW':
        model.views.delete(qualifiedKey(items)!);
        break;
      case 'OBJECT_POLICY': {
        // DROP POLICY name ON table: the list is [table..., policy].
        const parts = strings(items);
        const policy = parts.pop()!;
        const table = qualifiedKey(parts.map((sval) => ({ String: { sval } })))!;
        const list = model.policies.get(table);
        if (list) model.policies.set(table, list.filter((p) => p.name !== policy));
        break;
      }
      case 'OBJECT_FUNCTION': {
        const fk = functionKey(obj.ObjectWithArgs?.objname, obj.ObjectWithArgs?.objargs);
        if (fk && model.functions.has(fk)) model.functions.delete(fk);
        else {
          const f = findFunction(model, obj.ObjectWithArgs?.objname);
          if (f) model.functions.delete(f.key);
        }
        break;
      }
      case 'OBJECT_SCHEMA':
        for (const s of strings(items)) model.schemas.delete(s);
        break;
    }
  }
}


function findFunction(model: SchemaModel, name: AstNode[] | undefined): FunctionDef | undefined {
  const q = qualifiedKey(name);
  if (!q) return undefined;
  for (const f of model.functions.values()) if (`${f.schema}.${f.name}` === q) return f;
  return undefined;
}

function functionOf(n: AstNode, origin: Origin): FunctionDef | undefined {
  if (n.is_procedure === undefined && !n.funcname) return undefined;
  const qk = qualifiedKey(n.funcname);
  if (!qk) return undefined;
  const argTypes = (n.parameters ?? [])
    .map((p: AstNode) => p.FunctionParameter ?? {})
    .filter((p: AstNode) => p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p: AstNode) => typeRefOf(p.argType).name);
  const fn: FunctionDef = {
    key: `${qk}(${argTypes.join(',')})`, schema: schemaOf(qk), name: nameOf(qk), argTypes,
    securityDefiner: false, returnsTrigger: typeRefOf(n.returnType).name === 'trigger', origin,
  };
  applyFunctionOptions(fn, n.options ?? []);
  return fn;
}

function applyFunctionOptions(fn: FunctionDef, options: AstNode[]) {
  for (const o of options) {
    const d = o.DefElem;
    if (!d) continue;
    if (d.defname === 'language') fn.language = d.arg?.String?.sval;
    else if (d.defname === 'security') fn.securityDefiner = Boolean(d.arg?.Boolean?.boolval);
    else if (d.defname === 'set') {
      const v = d.arg?.VariableSetStmt;
      if (v?.name !== 'search_path') continue;
      if (v.kind === 'VAR_RESET' || v.kind === 'VAR_SET_DEFAULT') delete fn.searchPath;
      else fn.searchPath = (v.args ?? []).map((a: AstNode) => a.A_Const?.sval?.sval ?? a.String?.sval ?? '').join(', ');
    } else if (d.defname === 'reset' ) {
      delete fn.searchPath;
    }
  }
}

