-- Movie night's joint picks without service rights (issue 24.9). A pair's picks need both members' ratings and
-- profiles, which neither member may read of the other, and neither may write the picks. The app computes
-- them for a signed-in member (when the pair starts, has none yet or the member asks) and the worker after a
-- member's refresh, both through these two security-definer functions, in a transaction that carries the
-- member's claims (cine_core.db.app_transaction(pool, user_id=...)): each acts only for `auth.uid()` and only
-- on an accepted, not ended pair of theirs. Granted to cine_app and the service role only, never to anon or
-- authenticated: through the REST API nobody reads their partner's ratings or writes a pair's picks.
--   night_pair_inputs(pair)           what the computation reads, or null when it is not the caller's active
--                                     pair: now() (when it read), then per member, inviter first, their id,
--                                     taste profile, ratings [film, rating, rated_at, source], the films never to
--                                     pick for them, their own picks' films, region and streaming services
--                                     (never their digest address or notification URL)
--   store_night_picks(pair, started, picks)
--                                     replaces the pair's picks; false when the pair ended meanwhile. At most 50
--                                     picks of stored films, distinct films and ranks, confidence 0-1, streamable
--                                     0-2, `started` within the last hour. A cited film stays only when that member
--                                     rated it 4 or more (the rating shown is the stored one, not the caller's),
--                                     so a reason can never claim what a person did not rate.

create function public.night_pair_inputs(p_pair_id bigint)
returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('started_at', now(), 'members', (
    select jsonb_agg(jsonb_build_object(
             'user_id', x.member::text,
             'profile', (select jsonb_build_object('preferences', t.preferences, 'version', t.version,
                                                   'updated_at', t.updated_at)
                           from public.taste_profile t where t.user_id = x.member),
             'ratings', coalesce((select jsonb_agg(jsonb_build_array(r.movie_id, r.rating, r.rated_at, r.source)
                                                   order by r.rated_at, r.movie_id)
                                    from public.ratings r where r.user_id = x.member), '[]'::jsonb),
             'excluded', coalesce((select jsonb_agg(e.movie_id) from (
                                     select movie_id from public.ratings where user_id = x.member
                                     union select movie_id from public.film_feedback
                                      where user_id = x.member and kind in ('down', 'not_interested', 'seen')
                                     union select movie_id from public.recommendations
                                      where user_id = x.member and feedback in ('down', 'not_interested')
                                     union select movie_id from public.watchlist
                                      where user_id = x.member and watched_at is not null) e), '[]'::jsonb),
             'picks', coalesce((select jsonb_agg(r.movie_id order by r.movie_id) from public.recommendations r
                                 where r.user_id = x.member), '[]'::jsonb),
             'settings', (select jsonb_build_object('region', s.region, 'streaming_services', s.streaming_services)
                            from public.user_settings s where s.user_id = x.member))
           order by x.n)
      from unnest(array[p.inviter_id, p.invitee_id]) with ordinality as x(member, n)))
    from public.movie_night_pairs p
   where p.id = p_pair_id and p.accepted_at is not null and p.ended_at is null
     and (select auth.uid()) in (p.inviter_id, p.invitee_id);
$$;

create function public.store_night_picks(p_pair_id bigint, p_started timestamptz, p_picks jsonb)
returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  me uuid := auth.uid();
  pair public.movie_night_pairs;
begin
  select * into pair from public.movie_night_pairs p where p.id = p_pair_id for update;
  if me is null or not found or me not in (pair.inviter_id, coalesce(pair.invitee_id, pair.inviter_id)) then
    raise exception 'store_night_picks: not a movie night of yours' using errcode = '42501';
  end if;
  if pair.accepted_at is null or pair.ended_at is not null then
    return false;
  end if;
  if p_started is null or p_started > now() or p_started < now() - interval '1 hour' then
    raise exception 'store_night_picks: started must lie within the last hour' using errcode = '22023';
  end if;
  if jsonb_typeof(p_picks) is distinct from 'array' or jsonb_array_length(p_picks) > 50
     or exists (select 1 from jsonb_array_elements(p_picks) e where jsonb_typeof(e) <> 'object')
     or exists (select 1 from jsonb_array_elements(p_picks) e, jsonb_object_keys(e) k
                 where k <> all (array['movie_id', 'rank', 'confidence', 'streamable', 'inviter_film_id',
                                       'invitee_film_id'])) then
    raise exception 'store_night_picks: at most 50 picks, each with the columns of a pick only'
      using errcode = '22023';
  end if;
  if exists (select 1 from jsonb_to_recordset(p_picks)
                      as k(movie_id bigint, rank int, confidence real, streamable int)
              where not coalesce(k.rank between 1 and 50 and k.confidence between 0 and 1
                                 and coalesce(k.streamable, 0) between 0 and 2
                                 and exists (select 1 from public.movies m where m.id = k.movie_id), false))
     or (select count(distinct k.movie_id) <> count(*) or count(distinct k.rank) <> count(*)
           from jsonb_to_recordset(p_picks) as k(movie_id bigint, rank int)) then
    raise exception 'store_night_picks: a pick is not a stored film with a distinct rank (1-50), a confidence of 0-1 and 0-2 members who can stream it'
      using errcode = '22023';
  end if;
  delete from public.movie_night_picks where pair_id = p_pair_id;
  insert into public.movie_night_picks (pair_id, movie_id, rank, confidence, streamable, inviter_film_id,
    inviter_film_rating, invitee_film_id, invitee_film_rating, computed_at)
  select p_pair_id, k.movie_id, k.rank, k.confidence, coalesce(k.streamable, 0), ri.movie_id, ri.rating,
         re.movie_id, re.rating, p_started
    from jsonb_to_recordset(p_picks)
         as k(movie_id bigint, rank int, confidence real, streamable int, inviter_film_id bigint,
              invitee_film_id bigint)
    left join public.ratings ri on ri.user_id = pair.inviter_id and ri.movie_id = k.inviter_film_id and ri.rating >= 4
    left join public.ratings re on re.user_id = pair.invitee_id and re.movie_id = k.invitee_film_id and re.rating >= 4;
  -- A film rated while the picks were being computed left stale_since after p_started: it stays stale.
  update public.movie_night_pairs
     set picks_computed_at = p_started,
         stale_since = case when stale_since > p_started then stale_since end
   where id = p_pair_id;
  return true;
end
$$;

revoke all on function public.night_pair_inputs(bigint) from public, anon, authenticated;
revoke all on function public.store_night_picks(bigint, timestamptz, jsonb) from public, anon, authenticated;

do $$
declare
  fn text;
begin
  foreach fn in array array['public.night_pair_inputs(bigint)', 'public.store_night_picks(bigint, timestamptz, jsonb)'] loop
    execute format('grant execute on function %s to cine_app', fn);
    if exists (select 1 from pg_roles where rolname = 'service_role') then
      execute format('grant execute on function %s to service_role', fn);
    end if;
  end loop;
end
$$;
