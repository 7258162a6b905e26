create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  email text not null,
  role text not null default 'member',
  invited_by uuid references public.profiles (id),
  expires_at timestamp not null default (now() + interval '7 days')
);

create index invitations_organization_id_idx on public.invitations (organization_id);
create index invitations_invited_by_idx on public.invitations (invited_by);

alter table public.invitations enable row level security;

create policy "Anyone signed in can invite" on public.invitations
  for insert to authenticated
  with check (true);

create policy "Admins see all invitations" on public.invitations
  for select to authenticated
  using (((select auth.jwt()) -> 'user_metadata' ->> 'role') = 'admin');

-- Feedback form: the policy is there, but RLS was never switched on.
create table public.feedback (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id),
  message text not null,
  created_at timestamptz not null default now()
);

create index feedback_user_id_idx on public.feedback (user_id);

create policy "Users can send feedback" on public.feedback
  for insert to authenticated
  with check ((select auth.uid()) = user_id);
