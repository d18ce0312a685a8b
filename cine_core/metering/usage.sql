-- Named queries for cine_core.metering.usage (one `api_usage` row per external call).

-- name: record
insert into public.api_usage (service, operation, model, user_id, tokens_in, tokens_out,
                              cache_read_tokens, cache_write_tokens, estimated_cost_usd, ok, error)
values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s);
