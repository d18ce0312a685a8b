"""The functions granted to the app's own login (cine_app) and the service role, never to a person: their
privilege rule for test_privileges.FUNCTIONS. The app runs with this login only (issue 24.9): every
server-owned write it makes goes through one of these."""

APP_FUNCTION = "the app's own login (cine_app) and the service role, never a person"
APP_FUNCTIONS: dict[str, str] = {
    "app_status(integer)": APP_FUNCTION,  # installation-wide: the app checks who is an operator
    "app_api_usage()": APP_FUNCTION,
    "record_api_usage(text,text,text,uuid,integer,integer,integer,integer,numeric,boolean,text)": APP_FUNCTION,
    "claude_spend_today(uuid)": APP_FUNCTION,
    "unsubscribe_weekly_digest(uuid)": APP_FUNCTION,  # the app checks the link's signature first
    "app_failed_jobs(integer)": APP_FUNCTION,  # the app checks who is an operator
    "app_retry_failed_jobs()": APP_FUNCTION,
    "household_profile_list(uuid,text)": APP_FUNCTION,  # names and password hashes: the app checks passwords
    "household_profile_add(text,text)": APP_FUNCTION,
    "account_table_rows(uuid)": APP_FUNCTION,  # the app passes the signed-in person's own id
    "delete_account_rows(uuid,boolean)": APP_FUNCTION,
    "store_taste_profile(uuid,jsonb)": APP_FUNCTION,  # the profile the app rebuilt from the person's own rows
    "store_chat_turn(uuid,bigint,text,text,jsonb)": APP_FUNCTION,  # a chat turn with what CineAI learned
    "rewrite_chat_turn(uuid,uuid,text,jsonb)": APP_FUNCTION,  # its new version (an answer, an undo)
    # The film cache: keys hold what people searched for, so no person reads them (tests/cine_core/films/
    # test_cache_functions.py: well-formed films only, a stored film replaced only where the cache refetches).
    "film_cache_list(text)": APP_FUNCTION,
    "film_cache_latest(text)": APP_FUNCTION,  # trending lists only
    "cache_films(jsonb,boolean)": APP_FUNCTION,
    "cache_film_list(text,bigint[])": APP_FUNCTION,
    # Movie night's joint picks, for the member whose claims the transaction carries, on their active pair
    # (tests/cine_core/night/test_pick_functions.py): a partner's ratings never reach the REST API.
    "night_pair_inputs(bigint)": APP_FUNCTION,
    "store_night_picks(bigint,timestamp with time zone,jsonb)": APP_FUNCTION,
}
