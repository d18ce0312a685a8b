-- Named queries for cine_core.household.profiles (service connection: profiles are server-owned).

-- name: list
-- The personal-mode user first (named 'Me' until renamed), then profiles in the order they were added.
select u.id::text as id, coalesce(p.name, %(default_name)s) as name, p.password_hash is not null as has_password,
       p.password_hash, u.id = %(local_id)s as is_first
from auth.users u
left join public.household_profiles p on p.user_id = u.id
where u.id = %(local_id)s or p.user_id is not null
order by u.id = %(local_id)s desc, p.created_at, p.name;

-- name: create_user
insert into auth.users (id, email) values (gen_random_uuid(), null) returning id::text as id;

-- name: create_profile
insert into public.household_profiles (user_id, name, password_hash) values (%(user_id)s, %(name)s, %(hash)s);

-- name: name_taken
select exists (select 1 from public.household_profiles where lower(btrim(name)) = lower(btrim(%(name)s))) as taken;
