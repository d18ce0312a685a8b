-- Deleting an account without service rights in the app (issue 24.9): the preview's counts and the deletion go
-- through two security-definer functions granted to cine_app (the app's own login, outside any user
-- transaction; the app passes the signed-in person's own id) and the service role only, never to anon or
-- authenticated. Their search_path is pinned. What they count and delete is what cine_core.account.deletion
-- describes: every table of `public` with a foreign key to auth.users, the tables hanging off those (one level,
-- read from the catalog, so a later table is found without a change here), and the person's id in
-- llm_batches.user_ids (an id list without a foreign key).
--   account_table_rows(user)             rows per table, direct tables first, then children, then llm_batches
--   delete_account_rows(user, keep user) the id out of llm_batches, then the auth.users row (foreign keys
--                                        cascade; api_usage keeps its rows without the id); `keep user`: the
--                                        personal-mode user comes back empty at once

create function public.account_table_rows(p_user_id uuid)
returns table (table_name text, row_count bigint)
language plpgsql stable security definer set search_path = '' as $$
declare
  t record;
  direct text[] := '{}';
  owned text;
begin
  for t in
    select cl.relname::text as tname,
           string_agg(format('%I = $1', a.attname), ' or ' order by a.attname) as cond
      from pg_catalog.pg_constraint c
      join pg_catalog.pg_class cl on cl.oid = c.conrelid
      join pg_catalog.pg_namespace ns on ns.oid = cl.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
     where c.contype = 'f' and c.confrelid = 'auth.users'::regclass and ns.nspname = 'public'
     group by cl.relname
     order by 1
  loop
    direct := direct || t.tname;
    table_name := t.tname;
    execute format('select count(*) from public.%I where %s', t.tname, t.cond) into row_count using p_user_id;
    return next;
  end loop;
  for t in
    select cl.relname::text as tname, a.attname::text as col, p.relname::text as parent,
           pa.attname::text as parent_col
      from pg_catalog.pg_constraint c
      join pg_catalog.pg_class cl on cl.oid = c.conrelid
      join pg_catalog.pg_namespace ns on ns.oid = cl.relnamespace
      join pg_catalog.pg_class p on p.oid = c.confrelid
      join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      join pg_catalog.pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
     where c.contype = 'f' and ns.nspname = 'public' and pn.nspname = 'public'
       and p.relname = any(direct) and cl.relname <> all(direct)
     order by 1, 2
  loop
    select string_agg(format('%I = $1', a.attname), ' or ' order by a.attname) into owned
      from pg_catalog.pg_constraint c
      join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
     where c.contype = 'f' and c.confrelid = 'auth.users'::regclass
       and c.conrelid = format('public.%I', t.parent)::regclass;
    table_name := t.tname;
    execute format('select count(*) from public.%I where %I in (select %I from public.%I where %s)',
                   t.tname, t.col, t.parent_col, t.parent, owned) into row_count using p_user_id;
    return next;
  end loop;
  if to_regclass('public.llm_batches') is not null then
    table_name := 'llm_batches';
    select count(*) into row_count from public.llm_batches b where p_user_id = any(b.user_ids);
    return next;
  end if;
end
$$;

create function public.delete_account_rows(p_user_id uuid, p_keep_user boolean)
returns void
language plpgsql security definer set search_path = '' as $$
declare
  kept_email text;
begin
  if to_regclass('public.llm_batches') is not null then
    update public.llm_batches set user_ids = array_remove(user_ids, p_user_id) where p_user_id = any(user_ids);
  end if;
  select u.email into kept_email from auth.users u where u.id = p_user_id;
  delete from auth.users where id = p_user_id;
  if p_keep_user then
    insert into auth.users (id, email) values (p_user_id, kept_email) on conflict (id) do nothing;
  end if;
end
$$;

revoke all on function public.account_table_rows(uuid) from public, anon, authenticated;
revoke all on function public.delete_account_rows(uuid, boolean) from public, anon, authenticated;

do $$
declare
  fn text;
begin
  foreach fn in array array['public.account_table_rows(uuid)', 'public.delete_account_rows(uuid, boolean)'] loop
    execute format('grant execute on function %s to cine_app', fn);
    if exists (select 1 from pg_roles where rolname = 'service_role') then
      execute format('grant execute on function %s to service_role', fn);
    end if;
  end loop;
end
$$;
