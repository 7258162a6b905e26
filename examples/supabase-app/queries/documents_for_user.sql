-- The dashboard's "recent documents": documents in projects of the user's organizations.
select d.id, d.title, d.updated_at, p.name as project
from public.documents d
join public.projects p on p.id = d.project_id
join public.memberships m on m.organization_id = p.organization_id
where m.user_id = '00000000-0000-0000-0000-000000000001'
order by d.updated_at desc
limit 20;
