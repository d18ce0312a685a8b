"""Import a Letterboxd / IMDb / Trakt export with a progress bar and the unmatched-rows report."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app.services import import_export_file
from cine_core.config import Settings
from ui.context import guarded

ACCEPTED_TYPES = ["csv", "zip", "json"]


def render_import(*, pool: ConnectionPool, user_id: str, settings: Settings, key: str = "import") -> None:
    """File uploader + Import button; the import runs in this rerun (the user asked for it)."""
    st.markdown("**Import your history** — Letterboxd export (.zip or ratings.csv), IMDb ratings.csv, "
                "or a Trakt JSON export.")
    upload = st.file_uploader("Export file", type=ACCEPTED_TYPES, key=f"{key}-file")
    if upload is None or not st.button("Import", key=f"{key}-run", type="primary"):
        return
    progress = st.progress(0.0, text="Reading the file…")

    def on_progress(done: int, total: int) -> None:
        progress.progress(done / total if total else 1.0, text=f"Matching films: {done} / {total}")

    with guarded("The import"), tempfile.TemporaryDirectory(prefix="cine-import-") as folder:
        path = Path(folder) / Path(upload.name).name  # the parser picks the format by name and content
        path.write_bytes(upload.getvalue())
        report = import_export_file(pool, settings, user_id, path, progress=on_progress)
        progress.progress(1.0, text="Done")
        st.success(report.summary() if report.changed else f"Nothing new to import. {report.summary()}")
        if report.unmatched:
            with st.expander(f"{len(report.unmatched)} row(s) could not be matched to a film"):
                st.dataframe({"Title (year)": list(report.unmatched)}, hide_index=True)
        if report.skipped_reasons:
            with st.expander(f"{report.skipped} row(s) skipped"):
                st.write("\n".join(f"- {reason}" for reason in report.skipped_reasons[:50]))
