"""Import a Letterboxd / IMDb / Trakt export: the worker does it in the background; this panel shows
progress while it runs (the person may leave the page) and the result, with the unmatched rows as CSV."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app.services import ImportStatus, latest_import, submit_import
from ui.context import guarded
from ui.escape import as_text
from ui.format import time_ago

ACCEPTED_TYPES = ["csv", "zip", "json"]
PROGRESS_REFRESH = timedelta(seconds=1)
SHOWN_REASONS = 50


def render_import(*, pool: ConnectionPool, user_id: str, key: str = "import") -> None:
    """File uploader + Import button, then the latest import's progress or result."""
    st.markdown("**Import your history** — the Letterboxd export (.zip or any of its CSVs), IMDb ratings or "
                "watchlist CSV, or Trakt's export (.zip or JSON).")
    upload = st.file_uploader("Export file", type=ACCEPTED_TYPES, key=f"{key}-file")
    if upload is not None and st.button("Import", key=f"{key}-run", type="primary"):
        with guarded("The import"):
            submit_import(pool, user_id, upload.name, upload.getvalue())
    status = None
    with guarded("Loading your last import"):
        status = latest_import(pool, user_id)
    if status is None:
        return
    if status.open:
        _live_progress(pool, user_id, key)
    else:
        _result(status, key)


def _live_progress(pool: ConnectionPool, user_id: str, key: str) -> None:
    @st.fragment(run_every=PROGRESS_REFRESH)
    def progress() -> None:
        status = latest_import(pool, user_id)
        if status is None:
            return
        if not status.open:
            st.rerun()  # the whole page, so the result and the refreshed library show
        if status.status == "queued":
            st.progress(0.0, text=f"{as_text(status.file_name)}: waiting for the worker…")
        else:
            total = status.rows_total or 0
            st.progress(status.rows_done / total if total else 0.0,
                        text=f"{as_text(status.file_name)}: matching films, {status.rows_done:,} / {total:,} rows")
        st.caption("You can leave this page: the import carries on, and your picks refresh when it is done.")

    progress()


def _result(status: ImportStatus, key: str) -> None:
    # The file's name, its titles and reasons come from the file: shown as text (ui/escape.py), never Markdown.
    st.caption(f"Last import: {as_text(status.file_name)}, {time_ago(status.finished_at or status.created_at)}")
    if status.status == "failed":
        st.error(f"The import of {as_text(status.file_name)} failed: {as_text(status.error or '')}", icon="⚠️")
        return
    report = status.report or {}
    changed = any(report.get(k) for k in ("ratings_added", "ratings_updated", "watched_written",
                                          "watchlist_written", "reviews_written"))
    summary = as_text(report.get("summary", ""))
    st.success(summary if changed else f"Nothing new to import. {summary}")
    unmatched = report.get("unmatched") or []
    if unmatched:
        with st.expander(f"{len(unmatched)} row(s) could not be matched to a film"):
            st.dataframe({"Title (year)": unmatched}, hide_index=True)
            st.download_button("Download the unmatched rows (CSV)", report.get("unmatched_csv", ""),
                               file_name=f"unmatched-{status.file_name.rsplit('.', 1)[0]}.csv", mime="text/csv",
                               key=f"{key}-unmatched-{status.id}")
    reasons = report.get("skipped_reasons") or []
    if reasons:
        with st.expander(f"{len(reasons)} row(s) skipped"):
            st.markdown("\n".join(f"- {as_text(reason)}" for reason in reasons[:SHOWN_REASONS]))
