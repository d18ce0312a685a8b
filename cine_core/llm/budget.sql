-- Named queries for cine_core.llm.budget (today's Claude spend, from api_usage; a UTC day).

-- name: spend_today
select coalesce(sum(estimated_cost_usd), 0)::float8 as usd,
       count(*) filter (where user_id = %(user_id)s) as user_calls
  from public.api_usage
 where service = 'anthropic' and at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc';
