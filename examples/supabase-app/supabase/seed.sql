-- Local development data (applied after the migrations by `supabase db reset`).
insert into public.plans (id, name, price_cents) values
  (1, 'Free', 0),
  (2, 'Team', 1200),
  (3, 'Enterprise', 9900)
on conflict (id) do nothing;

-- Enough rows for EXPLAIN ANALYZE to show the plans production would get (users → profiles via the trigger).
insert into auth.users (id, email)
select ('00000000-0000-0000-0000-' || lpad(to_hex(g), 12, '0'))::uuid, 'user' || g || '@example.com'
from generate_series(1, 50) g;
insert into public.organizations (id, name, slug) values ('00000000-0000-0000-0000-0000000000aa', 'Acme', 'acme');
insert into public.memberships (organization_id, user_id, role)
select '00000000-0000-0000-0000-0000000000aa', ('00000000-0000-0000-0000-' || lpad(to_hex(g), 12, '0'))::uuid, 'member'
from generate_series(1, 50) g;
insert into public.projects (organization_id, name)
select '00000000-0000-0000-0000-0000000000aa', 'Project ' || g from generate_series(1, 20) g;
insert into public.documents (project_id, owner_id, title, slug, updated_at)
select g % 20 + 1, ('00000000-0000-0000-0000-' || lpad(to_hex(g % 50 + 1), 12, '0'))::uuid, 'Document ' || g, 'document-' || g, now() - g * interval '1 minute'
from generate_series(1, 20000) g;
