-- Notes on a project, meant for the members of its organization.
create table public.project_notes (
  id bigint generated always as identity primary key,
  project_id bigint not null references public.projects (id) on delete cascade,
  author_id uuid not null references public.profiles (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now()
);

create index project_notes_project_id_idx on public.project_notes (project_id);
create index project_notes_author_id_idx on public.project_notes (author_id);

alter table public.project_notes enable row level security;

-- Written as "signed-in users", but `true` means every signed-in user of every organization:
-- `dbe rls` shows user A reading user B's notes (a cross-tenant leak).
create policy "Signed-in users can read notes" on public.project_notes
  for select to authenticated
  using (true);

-- Right: only the author, inside an organization the author belongs to.
create policy "Members write notes in their organization" on public.project_notes
  for insert to authenticated
  with check (
    (select auth.uid()) = author_id
    and project_id in (
      select p.id from public.projects p
      join public.memberships m on m.organization_id = p.organization_id
      where m.user_id = (select auth.uid())
    )
  );
