import type { Rule } from '../rule';
import { finding } from '../rule';
import { indexFix } from '../helpers';
import { indexesOf } from '../../schema/model';
import { sqlName } from '../../schema/names';
import type { Finding } from '../types';

const VECTOR_TYPES: Record<string, string> = { vector: 'vector_cosine_ops', halfvec: 'halfvec_cosine_ops', sparsevec: 'sparsevec_cosine_ops' };

export const rule: Rule = {
  id: 'vector-column-unindexed',
  severity: 'warning',
  category: 'performance',
  summary: 'pgvector column without an HNSW or IVFFlat index',
  docs: `## vector-column-unindexed

**What it finds:** a \`vector\` (or \`halfvec\`, \`sparsevec\`) column that no HNSW or IVFFlat index covers.

**Why it matters:** similarity search (\`order by embedding <=> $1 limit 10\`) then computes the distance
to every row: fine for a thousand rows, seconds for a million.

**How to fix:** add an approximate index using the operator class of the distance you query with
(\`<=>\` cosine, \`<->\` L2, \`<#>\` inner product).
\`\`\`sql
create index concurrently if not exists document_chunks_embedding_hnsw
  on public.document_chunks using hnsw (embedding vector_cosine_ops);
\`\`\`

**Peers:** none of squawk, the Postgres Language Server or splinter.`,
  check(ctx) {
    const out: Finding[] = [];
    for (const table of ctx.model.tables.values()) {
      if (table.partitionOf) continue;
      const ann = indexesOf(ctx.model, table.key).filter((ix) => ix.method === 'hnsw' || ix.method === 'ivfflat');
      for (const col of table.columns.values()) {
        const opclass = VECTOR_TYPES[col.type.name];
        if (!opclass || col.type.array || !ctx.wants(col.origin.file)) continue;
        if (ann.some((ix) => ix.columns.includes(col.name))) continue;
        out.push(
          finding(rule, col.origin.file, col.origin.range,
            `Vector column ${sqlName(table.key)}.${col.name} has no HNSW or IVFFlat index: similarity searches compare against every row.`,
            { fixes: () => [indexFix(ctx, table, col.origin.stmt, [col.name], { method: 'hnsw', opclass })] }),
        );
      }
    }
    return out;
  },
};
