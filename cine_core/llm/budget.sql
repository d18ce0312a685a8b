-- Named queries for cine_core.llm.budget (today's Claude spend, from api_usage; a UTC day).

-- name: spend_today
-- claude_spend_today is a security-definer function granted to cine_app and the service role (the caps are
-- checked from the app's own login and from the worker's service connection alike).
select usd, user_calls from public.claude_spend_today(%(user_id)s);
