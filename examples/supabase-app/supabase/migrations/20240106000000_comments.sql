create table public.comments (
  id bigint generated always as identity primary key,
  document_id uuid not null references public.documents (id) on delete cascade,
  author_id uuid not null references public.profiles (id),
  body text not null,
  created_at timestamptz not null default now()
);

create index comments_document_id_idx on public.comments (document_id);
create index comments_author_id_idx on public.comments (author_id);

grant select, insert on public.comments to authenticated;
