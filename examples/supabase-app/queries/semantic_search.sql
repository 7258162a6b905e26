-- Nearest chunks to a given chunk's embedding: without an HNSW index this scans every chunk.
select c.id, c.document_id, left(c.content, 80) as preview,
       c.embedding operator(extensions.<=>) q.embedding as distance
from public.document_chunks c,
     (select embedding from public.document_chunks where id = 1) q
order by c.embedding operator(extensions.<=>) q.embedding
limit 5;
