-- Named queries for cine_core.household.profiles: profiles are server-owned, read and added through
-- security-definer functions granted to the app's own login (cine_app) and the service role.

-- name: list
-- The personal-mode user first (named 'Me' until renamed), then profiles in the order they were added
-- (a function granted to the app's login: migration 20261208200100_household_functions).
select id, name, has_password, password_hash, is_first
from public.household_profile_list(%(local_id)s, %(default_name)s);

-- name: add
select public.household_profile_add(%(name)s, %(hash)s) as id;

-- name: name_taken
select exists (select 1 from public.household_profiles where lower(btrim(name)) = lower(btrim(%(name)s))) as taken;
