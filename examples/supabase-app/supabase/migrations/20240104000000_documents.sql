create table public.documents (
  id uuid primary key default gen_random_uuid(),
  project_id bigint not null references public.projects (id) on delete cascade,
  owner_id uuid not null references public.profiles (id),
  title text not null,
  body text not null default '',
  is_public boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index documents_project_id_idx on public.documents (project_id);

alter table public.documents enable row level security;

create policy "Owners can manage their documents" on public.documents
  for all to authenticated
  using (auth.uid() = owner_id)
  with check (auth.uid() = owner_id);

create policy "Public documents are readable" on public.documents
  for select to anon, authenticated
  using (is_public);
