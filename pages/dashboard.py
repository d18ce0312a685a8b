"""Today's picks: the stored recommendations as cards, the learned taste beside them.

Never waits on the worker: missing or stale picks enqueue a refresh and show a fallback at once.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import streamlit as st

from cine_core.app import actions, dashboard
from cine_core.domain.vocabulary import DASHBOARD_MOODS, MOODS
from ui import context
from ui.arrivals import render_arrivals_notice
from ui.cards import render_grid
from ui.format import time_ago
from ui.providers import only_streamable, render_streamable_toggle
from ui.shelves import render_shelves_when_ready
from ui.taste_panel import render_taste_panel

STALE_AFTER = timedelta(hours=24)  # the scout runs every 2 h; a day-old set means the worker is behind
AUTO_REFRESH_EVERY_SECONDS = 600.0  # ask at most this often per session, so an empty result cannot loop
ONBOARDING_RATINGS = 5
PICK_COLUMNS = 3
REFRESH_REQUESTED = "refresh_requested_at"
POLL_SECONDS = 2.0  # how often the page looks for a set of picks on its way (one small query)
WATCH_FOR_AT_MOST = timedelta(minutes=10)  # then the person reloads: a worker that slow is shown on Status


def _is_stale(state: dashboard.UserState) -> bool:
    return state.picks_generated_at is not None and datetime.now(UTC) - state.picks_generated_at > STALE_AFTER


def _auto_refresh(pool, user_id: str) -> None:
    """Queue a refresh without waiting for it; throttled per session."""
    last = st.session_state.get("auto_refresh_at")
    if last is not None and time.monotonic() - last < AUTO_REFRESH_EVERY_SECONDS:
        return
    st.session_state["auto_refresh_at"] = time.monotonic()
    with context.guarded("Requesting fresh picks"):
        actions.request_upkeep_refresh(pool, user_id)


def _request_refresh(pool, user_id: str) -> None:
    st.session_state[REFRESH_REQUESTED] = datetime.now(UTC)
    context.run_action(actions.request_manual_refresh, pool, user_id,
                       success="Refresh requested: CineAI is picking a new set now (the ones on screen make room).")


def _refresh_button(container, label: str, key: str, pool, user_id: str) -> None:
    """Ask the worker for new picks now (the Refresh and Try again buttons): the worker always delivers a new
    set for a manual request, so the page can say when it is in."""
    container.button(label, key=key, on_click=_request_refresh, args=(pool, user_id))


def _refresh_progress(state: dashboard.UserState) -> None:
    """Say what the Refresh button is doing: still working (the page then watches for the new set), or it is in."""
    requested = st.session_state.get(REFRESH_REQUESTED)
    if requested is None:
        return
    if state.picks_generated_at is not None and state.picks_generated_at >= requested:
        st.session_state.pop(REFRESH_REQUESTED, None)
        st.success(f"Your new picks are in ({time_ago(state.picks_generated_at)}).", icon="✨")
    elif state.refresh_waiting and datetime.now(UTC) - requested < WATCH_FOR_AT_MOST:
        _watch_for_new_picks(pool, user.id, requested,
                             "🔄 Picking a new set… it replaces these here as soon as it is ready.")


@st.fragment(run_every=POLL_SECONDS)
def _watch_for_new_picks(pool, user_id: str, since: datetime | None, waiting_text: str) -> None:
    """While a refresh is on its way, poll the newest pick's time (one cheap query every few seconds, nothing
    drawn but a line) and redraw the page when picks newer than `since` land, or the refresh gives up. The
    fragment exists only in runs that call it, so the polling stops once the new set is shown."""
    with context.guarded("Checking for new picks"):
        poll = dashboard.check_refresh(pool, user_id)
        landed = poll.picks_generated_at is not None and (since is None or poll.picks_generated_at > since)
        gave_up = poll.refresh_failed_at is not None and not poll.refresh_waiting and (
            since is None or poll.refresh_failed_at > since)
        if landed or gave_up:
            st.rerun(scope="app")
    st.caption(waiting_text)


def _refresh_failed_notice(pool, user_id: str, state: dashboard.UserState) -> None:
    shown = ("the picks below are from " + time_ago(state.picks_generated_at) if state.picks_generated_at
             else "meanwhile, here are the catalog's best-rated popular films you have not rated yet")
    line, button = st.columns([4, 1], vertical_alignment="center")
    line.error(f"Refreshing your picks failed {time_ago(state.refresh_failed_at)}, after several tries; {shown}. "
               "Nothing you rated or said is lost.", icon="⚠️")
    _refresh_button(button, "Try again", "retry-refresh", pool, user_id)


pool, user = context.page_setup()
st.title("🎬 Today's picks")
context.show_flashes()
render_arrivals_notice(pool, user)

mood = st.segmented_control(
    "In the mood for", options=list(DASHBOARD_MOODS), format_func=lambda key: MOODS[key].label, key="mood",
)
render_streamable_toggle(pool, user.id)

data: dashboard.Dashboard | None = None
with context.guarded("Loading your picks"):
    data = dashboard.open_dashboard(pool, user.id, mood=mood)

if data is not None:
    picks_column, taste_column = st.columns([3, 1], gap="large")
    with picks_column:
        if data.state.rating_count < ONBOARDING_RATINGS:
            st.info(f"You have rated {data.state.rating_count} film(s). Rate at least {ONBOARDING_RATINGS} "
                    "(or import your Letterboxd / IMDb / Trakt history) and CineAI will learn your taste.",
                    icon="👋")
            st.page_link("pages/onboarding.py", label="Rate some well-known films", icon="⭐")
        if data.state.refresh_gave_up:  # no automatic retry: the user decides (the scheduled scout retries too)
            _refresh_failed_notice(pool, user.id, data.state)
        if not data.state.picks_available:
            if not data.state.refresh_gave_up:
                _auto_refresh(pool, user.id)
                if data.state.refresh_waiting:  # the first picks appear here by themselves
                    _watch_for_new_picks(pool, user.id, None, "🔄 Preparing your first picks…")
                if data.state.rating_count:
                    st.warning("Your personal picks are being prepared in the background. Meanwhile, here are the "
                               "catalog's best-rated popular films you have not rated yet.", icon="⏳")
                else:  # the worker stores no picks before it knows something of the person's taste
                    st.info("Your personal picks start with your first ratings, a 👍, or a word in the chat. "
                            "Meanwhile, here are the catalog's best-rated popular films you have not rated yet.",
                            icon="🎬")
            render_grid(only_streamable(data.fallback, pool=pool, user_id=user.id), scope="fallback", pool=pool,
                        user_id=user.id, columns=PICK_COLUMNS, rating_reruns_page=False)
        else:
            freshness = f"Picks updated {time_ago(data.state.picks_generated_at)}"
            line, button = st.columns([4, 1], vertical_alignment="center")
            line.caption(freshness)
            _refresh_button(button, "🔄 Refresh", "refresh-picks", pool, user.id)
            _refresh_progress(data.state)
            if _is_stale(data.state) and not data.state.refresh_gave_up:
                _auto_refresh(pool, user.id)
                st.warning("These picks are more than a day old; fresh ones have been requested and will "
                           "appear on your next visit.", icon="⏳")
            if data.picks:
                # A rating, like every card action, reruns only its card: the grid keeps its order until the
                # person asks for a refresh.
                render_grid(only_streamable(data.picks, pool=pool, user_id=user.id), scope="pick", pool=pool,
                            user_id=user.id, columns=PICK_COLUMNS, rating_reruns_page=False)
            else:
                st.info("None of your current picks fit that mood. Try another one, or ask for it in the chat.")
    with taste_column:
        render_taste_panel(data.summary, pool=pool, user_id=user.id)

with context.guarded("Loading the shelves"):  # a deep dive and the season's films, below the picks
    # Computed once per taste stamp and day (not on every run); a user whose state failed to load gets fresh ones.
    stamp = (data.state.taste_stamp, data.state.picks_generated_at) if data is not None else None
    render_shelves_when_ready(pool, user.id, stamp)
