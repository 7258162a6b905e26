create table public.plans (
  id int primary key,
  name text not null,
  price_cents int not null
);

alter table public.plans enable row level security;

create policy "Plans are public" on public.plans
  for select to anon, authenticated
  using (true);

-- Written only by the Stripe webhook with the service role: no API access at all.
create table public.billing_customers (
  organization_id uuid primary key references public.organizations (id) on delete cascade,
  stripe_customer_id text not null unique,
  plan_id int not null references public.plans (id)
);

create index billing_customers_plan_id_idx on public.billing_customers (plan_id);

alter table public.billing_customers enable row level security;

-- Private schema: not exposed through the API.
create schema if not exists private;

create table private.audit_log (
  id bigserial,
  table_name text not null,
  action text not null,
  actor uuid,
  occurred_at timestamp not null default now(),
  payload jsonb
);

create function private.log_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.audit_log (table_name, action, actor, payload)
  values (tg_table_name, tg_op, auth.uid(), to_jsonb(coalesce(new, old)));
  return coalesce(new, old);
end;
$$;

create trigger documents_audit
  after insert or update or delete on public.documents
  for each row execute function private.log_change();
