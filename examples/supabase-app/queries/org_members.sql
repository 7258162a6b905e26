-- Members page of an organization, with their profiles.
select pr.id, pr.username, pr.full_name, m.role, m.created_at
from public.memberships m
join public.profiles pr on pr.id = m.user_id
where m.organization_id = '00000000-0000-0000-0000-0000000000aa'
order by m.created_at;
