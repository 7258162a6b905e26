alter table public.documents add column slug text not null;

create index documents_slug_idx on public.documents (slug);

alter table public.documents
  add constraint documents_title_length check (char_length(title) <= 200);

-- Fine on an existing table: nullable, no default.
alter table public.projects add column archived_at timestamptz;

alter table public.profiles add column api_token uuid default gen_random_uuid();
