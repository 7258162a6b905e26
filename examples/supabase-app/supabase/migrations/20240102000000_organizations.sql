create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  slug varchar(64) not null unique,
  created_by uuid references public.profiles (id),
  created_at timestamptz not null default now()
);

create table public.memberships (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member')),
  created_at timestamptz not null default now(),
  primary key (organization_id, user_id)
);

create index memberships_user_id_idx on public.memberships (user_id);

alter table public.organizations enable row level security;
alter table public.memberships enable row level security;

-- Used by policies on many tables: is the current user a member of the organization?
create function public.is_org_member(org uuid)
returns boolean
language sql
stable
security definer
as $$
  select exists (
    select 1 from public.memberships m
    where m.organization_id = org and m.user_id = (select auth.uid())
  );
$$;

create policy "Members can view their organizations" on public.organizations
  for select to authenticated
  using (public.is_org_member(id));

create policy "Members can view memberships of their organizations" on public.memberships
  for select to authenticated
  using (user_id = (select auth.uid()) or public.is_org_member(organization_id));
