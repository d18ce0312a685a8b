-- Named queries for cine_core.metering.usage (one `api_usage` row per external call).

-- name: record
-- A security-definer function granted to the app's login (cine_app) and the service role: no service login needed.
select public.record_api_usage(%s::text, %s::text, %s::text, %s::uuid, %s::int, %s::int, %s::int, %s::int,
                               %s::numeric, %s::boolean, %s::text);
