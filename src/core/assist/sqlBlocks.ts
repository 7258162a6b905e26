/** SQL code blocks in an agent's markdown answer: the last one (Insert at cursor), and the /optimize format. */

export interface SqlBlock {
  /** The block's text without the fences. */
  text: string;
  /** The first line when it is the /optimize format's `-- rewritten` / `-- indexes` label (lower-cased). */
  label?: string;
}

/** Every fenced block tagged sql/postgresql/pgsql (or untagged), in order; fences of other languages are skipped whole. */
export function sqlBlocks(markdown: string): SqlBlock[] {
  const out: SqlBlock[] = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const lang = open[2]!.toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trim().startsWith(fence)) body.push(lines[j++]!);
    i = j;
    if (lang && !['sql', 'postgresql', 'postgres', 'pgsql', 'plpgsql', 'psql'].includes(lang)) continue;
    const text = body.join('\n').replace(/\s+$/, '');
    if (!text.trim()) continue;
    // Only the format's own labels: an ordinary leading comment stays part of the SQL.
    const first = /^\s*--\s*(rewritten|indexes|index)\s*:?\s*$/i.exec(body[0] ?? '');
    out.push({ text, ...(first ? { label: first[1]!.toLowerCase() } : {}) });
  }
  return out;
}

/** The last SQL block of an answer, if any. */
export function lastSqlBlock(markdown: string): string | undefined {
  return sqlBlocks(markdown).at(-1)?.text;
}

/** Drops a leading `-- label` line. */
const unlabel = (b: SqlBlock) => (b.label ? b.text.split('\n').slice(1).join('\n').trim() : b.text.trim());

export interface OptimizeAnswer {
  /** The rewritten query, or undefined when the answer has none. */
  rewritten?: string;
  /** Index statements (CREATE INDEX …), possibly empty. */
  indexes: string;
}

/**
 * Reads the fixed /optimize format: a block labelled `rewritten` and one labelled `indexes`. Without labels the
 * first block that is not index DDL is the rewrite and index DDL blocks are the indexes.
 */
export function parseOptimizeAnswer(markdown: string): OptimizeAnswer {
  const blocks = sqlBlocks(markdown);
  const isIndexDdl = (t: string) => /^\s*(--[^\n]*\n\s*)*create\s+(unique\s+)?index/i.test(t);
  const rewrittenBlock = blocks.find((b) => b.label === 'rewritten') ?? blocks.find((b) => !b.label && !isIndexDdl(b.text));
  const indexBlocks = blocks.filter((b) => b.label === 'indexes' || b.label === 'index' || (!b.label && b !== rewrittenBlock && isIndexDdl(b.text)));
  const indexes = indexBlocks.map(unlabel).filter(Boolean).join('\n');
  return { ...(rewrittenBlock ? { rewritten: unlabel(rewrittenBlock) } : {}), indexes };
}
