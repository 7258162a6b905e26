import type { Finding, Position, TextEdit } from './types';

/**
 * Rules whose fix is mechanical: an edit inside the statement that keeps its meaning, with no new file and
 * no choice to make, so applying every one at once (the editor's `source.fixAll`, "Fix all") is safe.
 * Left out on purpose: fixes that write a new migration, write a starter policy to adapt, or change
 * behaviour (`set search_path = ''` can break a function body that relies on the search path).
 */
export const FIX_ALL_RULES: ReadonlySet<string> = new Set([
  // `auth.uid()` → `(select auth.uid())`: the same value, evaluated once per query instead of once per row.
  'auth-function-per-row',
  // `add constraint … not valid` + `validate constraint`: the same constraint without the long write lock.
  'constraint-missing-not-valid',
]);

/**
 * The edits "Fix all" makes in `file`: the preferred fix of each finding of a fix-all rule, keeping only
 * fixes that edit this file alone and do not overlap an edit already taken. Sorted by position.
 */
export function fixAllEdits(findings: readonly Finding[], file: string): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const f of findings) {
    if (f.file !== file || !FIX_ALL_RULES.has(f.rule)) continue;
    const fix = f.fixes.find((x) => x.isPreferred) ?? f.fixes[0];
    if (!fix || fix.create?.length || fix.edits.some((e) => e.file !== file)) continue;
    const edits = fix.edits.flatMap((e) => e.edits);
    if (edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    taken.push(...edits);
  }
  return taken.sort((a, b) => compare(a.range.start, b.range.start));
}

const compare = (a: Position, b: Position) => a.line - b.line || a.column - b.column;

/** Two edits change the same text, or insert at one point (their order would be a guess). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  const crosses = compare(a.range.start, b.range.end) < 0 && compare(b.range.start, a.range.end) < 0;
  return crosses || compare(a.range.start, b.range.start) === 0;
}
