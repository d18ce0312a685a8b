"""Status: your own picks' refresh and API usage; for operators also the worker, the queue, failed jobs and
the installation's spend."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from cine_core.app import status as app_status
from cine_core.domain.watch import ATTRIBUTION, JUSTWATCH_URL
from ui import context
from ui.format import time_ago

WORKER_ALIVE_SECONDS = 120  # heartbeats come every 15 s
TMDB_URL = "https://www.themoviedb.org"
TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."  # TMDB's terms

pool, user = context.page_setup()
st.title("🩺 Status")
context.show_flashes()
settings = context.settings()

view = None
with context.guarded("Loading the status"):
    view = app_status.load_status(pool, settings, user, alive_seconds=WORKER_ALIVE_SECONDS)

if view is not None:
    st.subheader("Your picks")
    mine = view.mine
    cols = st.columns(2)
    cols[0].metric("Your last scout", time_ago(mine.last_scout_at))
    cols[1].metric("Refresh", "waiting" if mine.waiting else "failed" if mine.last_failed_at else "up to date")

status = view.worker if view is not None else None
if status is not None:
    st.subheader("Worker")
    if status.workers_alive:
        st.success(f"Worker alive: {status.workers_alive} running, last heartbeat {time_ago(status.last_seen)}.",
                   icon="🟢")
    elif status.workers_total:
        st.error(f"No worker has reported for over {WORKER_ALIVE_SECONDS} s (last heartbeat "
                 f"{time_ago(status.last_seen)}). Start one with `python -m worker`.", icon="🔴")
    else:
        st.warning("No worker has ever run. Start one with `python -m worker`: picks are computed there.",
                   icon="🟡")
    cols = st.columns(5)
    cols[0].metric("Last scout", time_ago(status.last_scout_at))
    cols[1].metric("Queue: pending", status.queue_pending)
    cols[2].metric("Queue: running", status.queue_running)
    cols[3].metric("Failed jobs", status.queue_failed)
    cols[4].metric("Jobs done", status.jobs_done)
    if status.oldest_pending_at:
        waited = (datetime.now(UTC) - status.oldest_pending_at).total_seconds()
        st.caption(f"Oldest pending refresh queued {time_ago(status.oldest_pending_at)} ({waited:.0f} s).")
    if view.failed_jobs:
        st.subheader("Failed jobs")
        st.dataframe(
            {
                "Job": [j.id for j in view.failed_jobs],
                "User": [j.user_id for j in view.failed_jobs],
                "Trigger": [j.trigger_type for j in view.failed_jobs],
                "Attempts": [j.attempts for j in view.failed_jobs],
                "Failed": [time_ago(j.processed_at) for j in view.failed_jobs],
                "Error": [j.last_error or "" for j in view.failed_jobs],
            },
            hide_index=True,
        )
        st.button("Retry failed jobs", key="retry-failed",
                  on_click=context.run_action, args=(app_status.retry_failed_jobs, pool, settings, user),
                  kwargs={"success": "Failed jobs are queued again."})

st.subheader("Data sources")
st.table({"Part": list(settings.describe_sources()), "Uses": list(settings.describe_sources().values())})

usage = view.usage if view is not None else []
st.subheader("API usage and estimated cost" + ("" if view is None or view.operator else " (yours)"))
if not usage:
    st.caption("No external API calls recorded in the last 30 days (offline mode makes none).")
else:
    st.dataframe(
        {
            "Service": [u.service for u in usage],
            "Calls 24 h": [u.calls_24h for u in usage],
            "Errors 24 h": [u.errors_24h for u in usage],
            "Cost 24 h ($)": [round(u.cost_24h_usd, 4) for u in usage],
            "Calls 30 d": [u.calls_30d for u in usage],
            "Cost 30 d ($)": [round(u.cost_30d_usd, 4) for u in usage],
            "Tokens in/out 30 d": [f"{u.tokens_in_30d:,} / {u.tokens_out_30d:,}" for u in usage],
        },
        hide_index=True,
    )
    total_24h, total_30d = sum(u.cost_24h_usd for u in usage), sum(u.cost_30d_usd for u in usage)
    left, right = st.columns(2)
    left.metric("Estimated cost, 24 h", f"${total_24h:.4f}")
    right.metric("Estimated cost, 30 days", f"${total_30d:.4f}")

st.subheader("Credits")
st.markdown(f"Film data and images from [TMDB]({TMDB_URL}) (The Movie Database). "
            f"*{TMDB_NOTICE}*  \n{ATTRIBUTION} ([JustWatch]({JUSTWATCH_URL})).")
