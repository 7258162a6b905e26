/**
 * EXPLAIN's text format (what psql prints) → the same top-level object EXPLAIN (FORMAT JSON) returns, so the
 * rest of plan/ sees one input. Reads the tree from the "->" arrows' columns, the node line's cost and actual
 * parentheses, and the property lines under each node; psql's "QUERY PLAN" header, dashes, "(N rows)" footer
 * and "+" continuation marks are tolerated. Unknown property lines are kept as text fields.
 */
import { PlanInputError } from './errors';

type Obj = Record<string, unknown>;

const NODE_LINE = /^(.*?)(?:\s{2}\(cost=(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?) rows=(\d+) width=(\d+)\))?(?:\s+\((?:actual (?:time=(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?) )?rows=(\d+(?:\.\d+)?) loops=(\d+)|(never executed))\))?\s*$/;
const PART = String.raw`(?:"(?:[^"]|"")+"|[^\s".]+)`;
const IDENT = String.raw`${PART}(?:\.${PART})*`;
const SCAN_TARGET = new RegExp(String.raw`^(.*?)(?: using (${IDENT}))?(?: on (${IDENT})(?: (${IDENT}))?)?$`);
const JOIN = /^(Nested Loop|Hash|Merge)(?: (Left|Right|Full|Semi|Anti|Right Semi|Right Anti))?(?: Join)?$/;
const AGG = /^(Finalize |Partial )?(HashAggregate|GroupAggregate|MixedAggregate|Aggregate)$/;
const MODIFY = new RegExp(String.raw`^(Insert|Update|Delete|Merge) on (${IDENT})(?: (${IDENT}))?$`);
const MARKER = /^(InitPlan \d+.*|SubPlan \d+.*|CTE \S+.*)$/;
/** Property values EXPLAIN JSON gives as lists. */
const LISTS = new Set(['Sort Key', 'Group Key', 'Output', 'Presorted Key', 'Hash Key', 'Cache Key']);

const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
const num = (s: string) => Number(s);

/** True when `text` looks like EXPLAIN's text output rather than JSON. */
export function looksLikeTextPlan(text: string): boolean {
  return /\(cost=\d|\(actual (time|rows)=|^\s*(->|QUERY PLAN)/m.test(text) && !/^\s*[[{]/.test(text);
}

/** Node type and fields named by the head of a node line ("Index Scan Backward using i on public.t x"). */
function parseHead(head: string): Obj {
  const f: Obj = {};
  let h = head.trim();
  const custom = /^Custom Scan \((.+?)\)(.*)$/.exec(h);
  if (custom) { f['Node Type'] = 'Custom Scan'; f['Custom Plan Provider'] = custom[1]; h = `Custom Scan${custom[2]}`; }
  if (h.startsWith('Parallel ')) { f['Parallel Aware'] = true; h = h.slice(9); }
  if (h.startsWith('Async ')) { f['Async Capable'] = true; h = h.slice(6); }
  let m: RegExpExecArray | null;
  if ((m = AGG.exec(h))) {
    f['Node Type'] = 'Aggregate';
    f['Strategy'] = { HashAggregate: 'Hashed', GroupAggregate: 'Sorted', MixedAggregate: 'Mixed', Aggregate: 'Plain' }[m[2]!];
    f['Partial Mode'] = m[1] ? m[1].trim() : 'Simple';
    return f;
  }
  if ((m = MODIFY.exec(h))) {
    f['Node Type'] = 'ModifyTable';
    f['Operation'] = m[1];
    setRelation(f, m[2]!, m[3]);
    return f;
  }
  if ((m = JOIN.exec(h)) && (m[1] !== 'Hash' || / Join$/.test(h))) {
    f['Node Type'] = m[1] === 'Nested Loop' ? 'Nested Loop' : `${m[1]} Join`;
    f['Join Type'] = m[2] ?? 'Inner';
    return f;
  }
  if ((m = /^(Gather(?: Merge)?|SetOp|HashSetOp)(?: (.*))?$/.exec(h))) {
    f['Node Type'] = m[1] === 'HashSetOp' ? 'SetOp' : m[1];
    if (m[1] === 'HashSetOp') f['Strategy'] = 'Hashed';
    else if (m[1] === 'SetOp') f['Strategy'] = 'Sorted';
    if (m[2]) f['Command'] = m[2];
    return f;
  }
  m = SCAN_TARGET.exec(h)!;
  let type = m[1]!;
  if (/ Backward$/.test(type)) { f['Scan Direction'] = 'Backward'; type = type.slice(0, -9); }
  f['Node Type'] ??= type;
  if (m[2]) f['Index Name'] = unquote(m[2]);
  if (m[3]) {
    if (type === 'Bitmap Index Scan') f['Index Name'] = unquote(m[3]);
    else if (type === 'CTE Scan') { f['CTE Name'] = unquote(m[3]); if (m[4]) f['Alias'] = unquote(m[4]); }
    else if (type === 'Function Scan' || type === 'Table Function Scan') { f['Function Name'] = unquote(m[3]); f['Alias'] = unquote(m[4] ?? m[3]); }
    else if (type === 'Subquery Scan' || type === 'Values Scan' || type === 'WorkTable Scan' || type === 'Named Tuplestore Scan') f['Alias'] = unquote(m[3]);
    else setRelation(f, m[3], m[4]);
  }
  return f;
}

function setRelation(f: Obj, qualified: string, alias: string | undefined): void {
  const parts = qualified.match(/"(?:[^"]|"")+"|[^.]+/g) ?? [qualified];
  f['Relation Name'] = unquote(parts[parts.length - 1]!);
  if (parts.length > 1) f['Schema'] = unquote(parts[parts.length - 2]!);
  f['Alias'] = alias ? unquote(alias) : f['Relation Name'];
}

/** "shared hit=3 read=2, temp written=5" → {"Shared Hit Blocks": 3, ...}. */
function parseBuffers(text: string, into: Obj): void {
  for (const group of text.split(',')) {
    const m = /^\s*(shared|local|temp)\s+(.*)$/.exec(group);
    if (!m) continue;
    const kind = m[1]![0]!.toUpperCase() + m[1]!.slice(1);
    for (const kv of m[2]!.matchAll(/(hit|read|dirtied|written)=(\d+)/g)) {
      into[`${kind} ${kv[1]![0]!.toUpperCase()}${kv[1]!.slice(1)} Blocks`] = num(kv[2]!);
    }
  }
}

/** One "Key: value" line of a node. */
function parseProperty(key: string, value: string, f: Obj): void {
  let m: RegExpExecArray | null;
  switch (key) {
    case 'Buffers': parseBuffers(value, f); return;
    case 'Sort Method':
      if ((m = /^(.*?)\s+(Memory|Disk):\s*(\d+)kB/.exec(value))) { f['Sort Method'] = m[1]; f['Sort Space Type'] = m[2]; f['Sort Space Used'] = num(m[3]!); } else f['Sort Method'] = value;
      return;
    case 'Buckets':
      m = /^(\d+)(?: \(originally (\d+)\))?\s+Batches: (\d+)(?: \(originally (\d+)\))?\s+Memory Usage: (\d+)kB/.exec(value);
      if (m) {
        f['Hash Buckets'] = num(m[1]!); f['Original Hash Buckets'] = num(m[2] ?? m[1]!);
        f['Hash Batches'] = num(m[3]!); f['Original Hash Batches'] = num(m[4] ?? m[3]!); f['Peak Memory Usage'] = num(m[5]!);
      }
      return;
    case 'Heap Blocks':
      for (const kv of value.matchAll(/(exact|lossy)=(\d+)/g)) f[kv[1] === 'exact' ? 'Exact Heap Blocks' : 'Lossy Heap Blocks'] = num(kv[2]!);
      return;
    case 'I/O Timings':
      for (const kv of value.matchAll(/(?:(shared|local|temp) )?(read|write)=(\d+(?:\.\d+)?)/g)) {
        const kind = kv[1] ? `${kv[1][0]!.toUpperCase()}${kv[1].slice(1)} ` : '';
        f[`${kind}I/O ${kv[2] === 'read' ? 'Read' : 'Write'} Time`] = num(kv[3]!);
      }
      return;
  }
  if ((m = /^Batches: (\d+)\s+Memory Usage: (\d+)kB/.exec(`${key}: ${value}`))) { f['HashAgg Batches'] = num(m[1]!); f['Peak Memory Usage'] = num(m[2]!); return; }
  if (/^(Rows Removed by .*|Heap Fetches|Workers Planned|Workers Launched)$/.test(key) && /^\d+(\.\d+)?$/.test(value)) { f[key] = num(value); return; }
  f[key] = LISTS.has(key) ? splitList(value) : value;
}

/** Splits "a, lower(b), c" at top-level commas. */
function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === "'") quote = !quote;
    else if (!quote && ch === '(') depth++;
    else if (!quote && ch === ')') depth--;
    else if (!quote && depth === 0 && ch === ',') { out.push(value.slice(start, i).trim()); start = i + 1; }
  }
  out.push(value.slice(start).trim());
  return out.filter(Boolean);
}

/** psql framing removed: header, dashes, footer, the "+" of wrapped lines, a leading "|" of other clients. */
function planLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.replace(/\s*\+\s*$/, '').replace(/^\s*\|/, ''));
  return lines.filter((l) => l.trim() && !/^\s*QUERY PLAN\s*$/.test(l) && !/^\s*-{3,}\s*$/.test(l) && !/^\s*\(\d+ rows?\)\s*$/.test(l));
}

interface Open { node: Obj; column: number }

/** Parses EXPLAIN text output; throws PlanInputError naming the line it cannot read. */
export function parseTextPlan(text: string): Obj {
  const lines = planLines(text);
  if (!lines.length) throw new PlanInputError('not EXPLAIN JSON: the input is empty');
  const top: Obj = {};
  const stack: Open[] = [];
  let marker: { name: string; column: number } | null = null;
  let section: { name: string; column: number } | null = null;
  const triggers: Obj[] = [];
  for (const [i, line] of lines.entries()) {
    const column = line.length - line.trimStart().length;
    let body = line.trim();
    const arrow = body.startsWith('->');
    if (arrow) body = body.replace(/^->\s*/, '');
    const nodeLike = /\s\((cost|actual [a-z]+)=/.test(body);
    if (!arrow && nodeLike && stack.length) throw new PlanInputError(`not EXPLAIN output: line ${i + 1} starts a second plan: ${JSON.stringify(body.slice(0, 60))}`);
    const isRoot = !stack.length && !arrow && (nodeLike || (i === 0 && !/:/.test(body)));
    if (arrow || isRoot) {
      const m = NODE_LINE.exec(body)!;
      const node: Obj = parseHead(m[1]!);
      if (m[2] !== undefined) {
        node['Startup Cost'] = num(m[2]); node['Total Cost'] = num(m[3]!); node['Plan Rows'] = num(m[4]!); node['Plan Width'] = num(m[5]!);
      }
      if (m[10]) { node['Actual Rows'] = 0; node['Actual Loops'] = 0; }
      else if (m[8] !== undefined) {
        if (m[6] !== undefined) { node['Actual Startup Time'] = num(m[6]); node['Actual Total Time'] = num(m[7]!); }
        node['Actual Rows'] = num(m[8]); node['Actual Loops'] = num(m[9]!);
      }
      section = null;
      const head = column + (arrow ? line.trimStart().indexOf(body) : 0);
      while (stack.length && stack[stack.length - 1]!.column >= column) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) {
        const kids = ((parent.node['Plans'] as Obj[] | undefined) ?? (parent.node['Plans'] = [])) as Obj[];
        if (marker && marker.column < column && marker.column > parent.column) {
          const cte = /^CTE (\S+)/.exec(marker.name);
          node['Parent Relationship'] = cte ? 'InitPlan' : marker.name.startsWith('SubPlan') ? 'SubPlan' : 'InitPlan';
          node['Subplan Name'] = marker.name;
        } else {
          const pt = parent.node['Node Type'];
          node['Parent Relationship'] = pt === 'Append' || pt === 'Merge Append' ? 'Member' : pt === 'Subquery Scan' ? 'Subquery'
            : kids.filter((k) => k['Parent Relationship'] === 'Outer' || k['Parent Relationship'] === 'Inner').length ? 'Inner' : 'Outer';
        }
        kids.push(node);
      } else if (top['Plan']) {
        throw new PlanInputError(`not EXPLAIN JSON: line ${i + 1} starts a second plan: ${JSON.stringify(body.slice(0, 60))}`);
      } else {
        top['Plan'] = node;
      }
      marker = null;
      stack.push({ node, column: head });
      continue;
    }
    if (!top['Plan']) throw new PlanInputError(`not EXPLAIN output: line ${i + 1} is neither a plan node nor JSON: ${JSON.stringify(body.slice(0, 60))}`);
    const kv = /^([A-Za-z][A-Za-z /&-]*?):\s*(.*)$/.exec(body);
    if (MARKER.test(body) && !kv) {
      marker = { name: body, column };
      continue;
    }
    const rootColumn = stack[0]!.column;
    if (column <= rootColumn) {
      // Plan-wide lines: "Planning Time: 0.1 ms", "Planning:", "JIT:", "Trigger …: time=… calls=…".
      section = null;
      stack.length = Math.min(stack.length, 1);
      let t: RegExpExecArray | null;
      if ((t = /^(Planning|Execution) Time: (\d+(?:\.\d+)?) ms$/.exec(body))) top[`${t[1]} Time`] = num(t[2]!);
      else if ((t = /^Trigger (.+?)(?: for constraint (.+?))?(?: on (.+?))?: time=(\d+(?:\.\d+)?) calls=(\d+)$/.exec(body))) {
        triggers.push({ 'Trigger Name': t[1], ...(t[2] ? { 'Constraint Name': t[2] } : {}), ...(t[3] ? { Relation: t[3] } : {}), Time: num(t[4]!), Calls: num(t[5]!) });
      } else if ((t = /^(Planning|JIT):$/.exec(body))) section = { name: t[1]!, column };
      else if ((t = /^Settings: (.*)$/.exec(body))) {
        const settings: Obj = {};
        for (const s of t[1]!.matchAll(/([\w.]+) = '((?:[^']|'')*)'/g)) settings[s[1]!] = s[2]!.replace(/''/g, "'");
        top['Settings'] = settings;
      } else if (kv) top[kv[1]!] = kv[2];
      continue;
    }
    if (section && column > section.column && stack.length <= 1 && kv) {
      if (section.name === 'Planning') {
        const planning = (top['Planning'] ??= {}) as Obj;
        if (kv[1] === 'Buffers') parseBuffers(kv[2]!, planning);
      } else {
        const jit = (top['JIT'] ??= { Timing: {} }) as Obj;
        if (kv[1] === 'Functions') jit['Functions'] = num(kv[2]!);
        else if (kv[1] === 'Timing') {
          for (const p of kv[2]!.matchAll(/(Generation|Inlining|Optimization|Emission|Total) (\d+(?:\.\d+)?) ms/g)) (jit['Timing'] as Obj)[p[1]!] = num(p[2]!);
        } else jit[kv[1]!] = kv[2];
      }
      continue;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.column >= column) stack.pop();
    if (!kv) continue; // "Worker 0:  actual time=…" details and other free text
    if (/^Worker \d+$/.test(kv[1]!)) continue;
    parseProperty(kv[1]!, kv[2]!, stack[stack.length - 1]!.node);
  }
  if (!top['Plan']) throw new PlanInputError('not EXPLAIN output: no plan node found');
  if (triggers.length) top['Triggers'] = triggers;
  return top;
}
