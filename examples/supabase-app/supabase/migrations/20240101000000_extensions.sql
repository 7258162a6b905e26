-- Extensions live in their own schema, as Supabase sets them up.
create schema if not exists extensions;
create extension if not exists vector with schema extensions;
