-- Comments thread of a document with author names.
select c.id, c.content, c.created_at, pr.username
from public.document_comments c
join public.profiles pr on pr.id = c.author_id
where c.document_id = '00000000-0000-0000-0000-0000000000d1'
order by c.created_at;
