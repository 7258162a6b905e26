-- Row level security for the tables the Supabase API serves. Prisma connects as the table owner and is not
-- affected; these policies guard requests made with the anon key or a user's JWT.
-- "Post" and "_PostToTag" are still open: Database Engineer flags them (prisma-rls-missing, rls-disabled).

alter table "users" enable row level security;
create policy "Users read and edit themselves" on "users"
  for all to authenticated
  using ((select auth.uid()) = id)
  with check ((select auth.uid()) = id);

alter table "comments" enable row level security;
create policy "Anyone signed in reads comments" on "comments"
  for select to authenticated
  using (true);
create policy "Authors write their comments" on "comments"
  for insert to authenticated
  with check ((select auth.uid()) = author_id);

alter table "orders" enable row level security;
create policy "Customers read their orders" on "orders"
  for select to authenticated
  using ((select auth.uid()) = user_id);

alter table "Tag" enable row level security;
create policy "Anyone signed in reads tags" on "Tag"
  for select to authenticated
  using (true);

-- Written only by the service role (which bypasses RLS): no policy on purpose.
alter table "audit_events" enable row level security;
