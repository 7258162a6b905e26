-- Local development data (applied after the migrations by `supabase db reset`).
insert into public.plans (id, name, price_cents) values
  (1, 'Free', 0),
  (2, 'Team', 1200),
  (3, 'Enterprise', 9900)
on conflict (id) do nothing;
