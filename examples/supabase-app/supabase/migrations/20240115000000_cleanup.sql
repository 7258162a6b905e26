drop table public.todos;

alter table public.profiles drop column website;

alter table public.comments rename column body to content;

alter table public.comments rename to document_comments;

alter table public.invitations alter column expires_at type timestamptz;

-- A leftover from an experiment that was never migrated: dropping it is harmless.
drop table if exists public.legacy_notes;
