create table public.projects (
  id bigint generated always as identity primary key,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null,
  created_at timestamptz not null default now()
);

-- Same migration as the table: nothing to lock yet, a plain CREATE INDEX is right.
create index projects_organization_id_idx on public.projects (organization_id);

alter table public.projects enable row level security;

create policy "Members can view projects" on public.projects
  for select to authenticated
  using (organization_id in (
    select m.organization_id from public.memberships m where m.user_id = (select auth.uid())
  ));

create policy "Admins can create projects" on public.projects
  for insert to authenticated
  with check (organization_id in (
    select m.organization_id from public.memberships m
    where m.user_id = (select auth.uid()) and m.role in ('owner', 'admin')
  ));
