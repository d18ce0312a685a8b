-- Named queries for cine_core.llm.batch_store (tables: supabase/migrations/20261130120000_llm_batches.sql).

-- name: queue_request
insert into public.llm_batch_requests (custom_id, user_id, operation, params, context)
values (%(custom_id)s, %(user_id)s, %(operation)s, %(params)s, %(context)s);

-- name: has_open_request
select exists (
  select 1 from public.llm_batch_requests r left join public.llm_batches b on b.id = r.batch_id
   where r.user_id = %(user_id)s and r.operation = %(operation)s and (r.batch_id is null or b.applied_at is null)
) as open;

-- name: claim_pending
select custom_id, user_id::text as user_id, params from public.llm_batch_requests
 where batch_id is null and operation = %(operation)s
 order by queued_at limit %(limit)s
   for update skip locked;

-- name: record_batch
insert into public.llm_batches (id, operation, status, custom_ids, user_ids)
values (%(id)s, %(operation)s, %(status)s, %(custom_ids)s, %(user_ids)s::uuid[]);

-- name: mark_submitted
update public.llm_batch_requests set batch_id = %(id)s, params = null where custom_id = any(%(custom_ids)s);

-- name: claim_open_batch
select id, status, submitted_at from public.llm_batches
 where applied_at is null and operation = %(operation)s and id <> all(%(skip)s)
 order by submitted_at limit 1
   for update skip locked;

-- name: requests_of
select custom_id, user_id::text as user_id, context from public.llm_batch_requests where batch_id = %(id)s;

-- name: set_status
update public.llm_batches set status = %(status)s, last_error = %(last_error)s where id = %(id)s;

-- name: close_batch
update public.llm_batches
   set status = 'ended', ended_at = coalesce(%(ended_at)s, now()), applied_at = now(),
       request_counts = %(request_counts)s, last_error = null
 where id = %(id)s;

-- name: forget_requests
delete from public.llm_batch_requests where batch_id = %(id)s;
