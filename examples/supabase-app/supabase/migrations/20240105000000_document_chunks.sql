-- Chunks of each document with their embeddings, for semantic search.
create table public.document_chunks (
  id bigint generated always as identity primary key,
  document_id uuid not null references public.documents (id) on delete cascade,
  chunk_index int not null,
  content text not null,
  embedding extensions.vector(1536),
  unique (document_id, chunk_index)
);

alter table public.document_chunks enable row level security;

create policy "Chunks follow their document" on public.document_chunks
  for select to authenticated
  using (exists (
    select 1 from public.documents d
    where d.id = document_id and (d.is_public or d.owner_id = (select auth.uid()))
  ));

-- Called from the app through supabase.rpc('match_document_chunks'); runs with the caller's rights.
create function public.match_document_chunks(query_embedding extensions.vector(1536), match_count int default 10)
returns table (id bigint, document_id uuid, content text, similarity float)
language sql
stable
as $$
  select c.id, c.document_id, c.content, 1 - (c.embedding operator(extensions.<=>) query_embedding) as similarity
  from public.document_chunks c
  order by c.embedding operator(extensions.<=>) query_embedding
  limit match_count;
$$;
