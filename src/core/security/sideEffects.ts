/**
 * Functions whose effects a ROLLBACK does not undo (or that reach outside the database), found by walking a statement's
 * parse tree: every FuncCall, wherever it sits (select list, FROM, WHERE, subqueries, CTEs, LATERAL, function
 * arguments). A query the agents send is refused before it runs when it calls one of them. This sees only what the
 * parser sees: a view or a user-defined function that calls them internally is for the database's own guards (the
 * READ ONLY transaction, the agent role) to stop.
 */

type Category = 'file' | 'signal' | 'lock' | 'replication' | 'config' | 'sequence' | 'remote' | 'dynamic-sql';

const WHY: Record<Category, string> = {
  file: "reads or writes the server's files",
  signal: 'signals other sessions or the server',
  lock: 'takes an advisory lock that outlives the transaction',
  replication: 'creates or consumes replication state or writes WAL, which a rollback does not undo',
  config: 'changes server configuration or statistics',
  sequence: 'moves a sequence, which a rollback does not undo',
  remote: 'reaches another database (dblink / foreign data), outside this transaction',
  'dynamic-sql': 'runs SQL given as text, which this check cannot see into',
};

/** Exact names, lower case. */
const EXACT: Record<string, Category> = {
  pg_read_file: 'file', pg_read_binary_file: 'file', pg_stat_file: 'file', pg_logdir_ls: 'file', loread: 'file', lowrite: 'file',
  pg_terminate_backend: 'signal', pg_cancel_backend: 'signal', pg_reload_conf: 'signal', pg_rotate_logfile: 'signal',
  pg_rotate_logfile_old: 'signal', pg_log_backend_memory_contexts: 'signal', pg_promote: 'signal',
  pg_logical_emit_message: 'replication', pg_switch_wal: 'replication', pg_switch_xlog: 'replication', pg_create_restore_point: 'replication',
  pg_backup_start: 'replication', pg_backup_stop: 'replication', pg_start_backup: 'replication', pg_stop_backup: 'replication',
  pg_wal_replay_pause: 'replication', pg_wal_replay_resume: 'replication', pg_drop_replication_slot: 'replication',
  pg_replication_slot_advance: 'replication', pg_sync_replication_slots: 'replication',
  nextval: 'sequence', setval: 'sequence',
  query_to_xml: 'dynamic-sql', query_to_xmlschema: 'dynamic-sql', query_to_xml_and_xmlschema: 'dynamic-sql', ts_stat: 'dynamic-sql',
  cursor_to_xml: 'dynamic-sql', cursor_to_xmlschema: 'dynamic-sql',
};

/** Name prefixes, lower case. */
const PREFIXES: [string, Category][] = [
  ['pg_ls_', 'file'], ['lo_', 'file'], ['pg_file_', 'file'],
  ['pg_advisory_', 'lock'], ['pg_try_advisory_', 'lock'],
  ['pg_create_physical_replication_slot', 'replication'], ['pg_create_logical_replication_slot', 'replication'],
  ['pg_copy_physical_replication_slot', 'replication'], ['pg_copy_logical_replication_slot', 'replication'],
  ['pg_logical_slot_', 'replication'], ['pg_replication_origin_', 'replication'],
  ['pg_stat_reset', 'config'], ['pg_stat_statements_reset', 'config'],
  ['dblink', 'remote'], ['postgres_fdw_', 'remote'],
];

/** Settings set_config may never touch, even for the transaction: they are the guards themselves. */
const GUARDS = new Set(['role', 'session_authorization', 'transaction_read_only', 'default_transaction_read_only', 'statement_timeout',
  'lock_timeout', 'idle_in_transaction_session_timeout', 'standard_conforming_strings', 'search_path', 'row_security', 'transaction_isolation']);

export interface UnsafeCall {
  /** The function as written (schema-qualified when it was). */
  name: string;
  reason: string;
}

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every FuncCall in a parse tree (libpg-query JSON), outermost first. */
export function functionCalls(tree: unknown): { name: string; qualified: string; args: unknown[] }[] {
  const out: { name: string; qualified: string; args: unknown[] }[] = [];
  const stack: unknown[] = [tree];
  // Iterative: a deeply nested statement must not overflow the JS stack here.
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (isNode(v)) {
      const call = v.FuncCall;
      if (isNode(call)) {
        const parts = (Array.isArray(call.funcname) ? call.funcname : []).map((p) => stringValue(p) ?? '');
        const name = (parts[parts.length - 1] ?? '').toLowerCase();
        out.push({ name, qualified: parts.join('.'), args: Array.isArray(call.args) ? call.args : [] });
      }
      for (const key of Object.keys(v)) if (typeof v[key] === 'object') stack.push(v[key]);
    }
  }
  return out;
}

/** Calls whose effects escape the transaction. Empty when the statement is safe to run and roll back. */
export function unsafeCalls(tree: unknown): UnsafeCall[] {
  const out: UnsafeCall[] = [];
  for (const call of functionCalls(tree)) {
    const category = EXACT[call.name] ?? PREFIXES.find(([p]) => call.name.startsWith(p))?.[1];
    if (category) out.push({ name: call.qualified, reason: WHY[category] });
    else if (call.name === 'set_config') {
      const why = setConfigProblem(call.args);
      if (why) out.push({ name: call.qualified, reason: why });
    }
  }
  return out;
}

/** set_config(name, value, is_local) is allowed only for the transaction (is_local true) and off the guard settings. */
function setConfigProblem(args: unknown[]): string | undefined {
  const name = constant(args[0]);
  if (typeof name !== 'string') return 'sets a setting whose name is not a constant';
  if (GUARDS.has(name.toLowerCase())) return `changes \`${name}\`, one of the settings that keep the agents' session safe`;
  const local = constant(args[2]);
  const on = local === true || (typeof local === 'string' && /^(t|true|on|yes|y|1)$/i.test(local.trim()));
  return on ? undefined : 'changes a setting beyond the transaction (is_local is not true)';
}

/** The value of a constant argument (`'x'`, `true`, `'t'::bool`), or undefined. */
function constant(arg: unknown): string | boolean | number | undefined {
  if (!isNode(arg)) return undefined;
  if (isNode(arg.TypeCast)) return constant(arg.TypeCast.arg);
  const c = arg.A_Const;
  if (!isNode(c)) return undefined;
  if (isNode(c.sval)) return typeof c.sval.sval === 'string' ? c.sval.sval : '';
  // libpg-query leaves out false and zero fields: `{"boolval":{}}` is false.
  if (isNode(c.boolval)) return c.boolval.boolval === true;
  if (isNode(c.ival)) return typeof c.ival.ival === 'number' ? c.ival.ival : 0;
  return undefined;
}

function stringValue(p: unknown): string | undefined {
  if (!isNode(p)) return undefined;
  const s = p.String;
  return isNode(s) && typeof s.sval === 'string' ? s.sval : undefined;
}

/** One message for the model or the user naming each refused call and why. */
export function describeUnsafe(calls: UnsafeCall[]): string {
  const seen = new Map<string, string>();
  for (const c of calls) if (!seen.has(c.name)) seen.set(c.name, c.reason);
  const list = [...seen].map(([n, r]) => `${n}() ${r}`).join('; ');
  return `Refused before running: ${list}.`;
}

/**
 * Whether running the statement would change data or take row locks, for consent: INSERT/UPDATE/DELETE/MERGE anywhere
 * (a data-modifying WITH), SELECT … INTO (creates a table) and FOR UPDATE/SHARE (locks rows).
 */
export function writesForConsent(tree: unknown): boolean {
  const stack: unknown[] = [tree];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (isNode(v)) {
      for (const key of Object.keys(v)) {
        if (key === 'InsertStmt' || key === 'UpdateStmt' || key === 'DeleteStmt' || key === 'MergeStmt' || key === 'CreateTableAsStmt') return true;
        if ((key === 'intoClause' || key === 'lockingClause') && v[key]) return true;
        if (typeof v[key] === 'object') stack.push(v[key]);
      }
    }
  }
  return false;
}

/** Names of the functions a statement calls that are not known built-ins of the refused kind (for a volatility lookup). */
export function calledFunctionNames(tree: unknown): string[] {
  return [...new Set(functionCalls(tree).map((c) => c.name).filter(Boolean))];
}
