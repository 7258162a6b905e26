import type { Rule } from '../rule';
import { finding } from '../rule';
import type { Index } from '../../schema/model';
import { shape } from '../../schema/walk';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';
import type { AstNode } from '../../sql/parse';

const signatures = new WeakMap<object, string>();

/** An index element's identity: its column name when plain, else its whole tree without locations. */
const elementKey = (e: AstNode) =>
  e.name && !e.expr && !e.opclass && !e.collation && (e.ordering ?? 'SORTBY_DEFAULT') === 'SORTBY_DEFAULT' && (e.nulls_ordering ?? 'SORTBY_NULLS_DEFAULT') === 'SORTBY_NULLS_DEFAULT'
    ? `n:${e.name}`
    : shape(e);

const computeSignature = (ix: Index) => `${ix.method}|${ix.elements.map(elementKey).join(',')}|${ix.where ? shape(ix.where) : ''}`;

/** Two indexes are duplicates when they index the same things the same way (name and uniqueness aside). */
function signature(ix: Index): string {
  // CREATE INDEX trees survive rebuilds unchanged (parse cache), so their part is memoised per statement node.
  if (ix.implicit) return `${ix.table}|${computeSignature(ix)}`;
  const node = ix.origin.stmt.node;
  let s = signatures.get(node);
  if (s === undefined) signatures.set(node, (s = computeSignature(ix)));
  return `${ix.table}|${s}`;
}

export const rule: Rule = {
  id: 'duplicate-index',
  severity: 'warning',
  category: 'performance',
  summary: 'Index identical to another index on the same table',
  docs: `## duplicate-index

**What it finds:** an index with the same columns (or expressions), method, ordering and WHERE clause as
another index on the same table, including the index behind a PRIMARY KEY or UNIQUE constraint.

**Why it matters:** the planner uses one of them; the other only costs disk, memory and write time on
every INSERT and UPDATE.

**How to fix:** drop the extra one.
\`\`\`sql
drop index concurrently if exists public.profiles_id_idx;
\`\`\`

**Peers:** splinter 0009 (\`duplicate_index\`); squawk and the Postgres Language Server have no counterpart.`,
  check(ctx) {
    const out: Finding[] = [];
    const seen = new Map<string, Index>();
    // Earlier indexes first, so the later copy is the one reported.
    const all = [...ctx.model.indexes.values()].sort((a, b) => a.origin.fileIndex - b.origin.fileIndex || a.origin.stmt.index - b.origin.stmt.index);
    for (const ix of all) {
      const sig = signature(ix);
      const first = seen.get(sig);
      if (!first) {
        seen.set(sig, ix);
        continue;
      }
      // A unique index is not redundant next to a plain one.
      if (ix.unique && !first.unique) continue;
      if (ix.implicit) continue;
      out.push(
        finding(rule, ix.origin.file, ix.origin.range,
          `Index ${ix.name} on ${sqlName(ix.table)} duplicates ${first.implicit ? `the ${first.implicit === 'primary' ? 'primary key' : 'unique constraint'} index ${first.name}` : `index ${first.name}`}: it slows every write and is never needed.`,
          { related: [{ file: first.origin.file, range: first.origin.range, message: `${first.name} is defined here` }] }),
      );
    }
    return out;
  },
};
