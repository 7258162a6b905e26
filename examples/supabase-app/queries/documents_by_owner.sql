-- "My documents": filters on owner_id, which has no index (see unindexed-foreign-key).
select id, title, is_public, updated_at
from public.documents
where owner_id = '00000000-0000-0000-0000-000000000001'
order by updated_at desc;
