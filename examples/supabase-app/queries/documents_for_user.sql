-- The dashboard's "my recent documents": a user's 20 latest documents with their project.
-- owner_id has no index, so every document is read to find this user's (Explain Analyze shows the fix).
select d.id, d.title, d.updated_at, p.name as project
from public.documents d
join public.projects p on p.id = d.project_id
where d.owner_id = '00000000-0000-0000-0000-000000000001'
order by d.updated_at desc
limit 20;
