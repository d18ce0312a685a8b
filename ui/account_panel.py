"""Settings → "Your data": download everything as a ZIP, or delete the account after seeing what goes."""

from __future__ import annotations

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app import account
from cine_core.app.auth import AppUser
from ui import context
from ui.providers import remember_viewer_settings

_EXPORT_KEY = "cine_export_zip"  # (user id, bytes): prepared once per click, never for another person
CONFIRM_WORD = "DELETE"


def _prepare(pool: ConnectionPool, user: AppUser) -> None:
    data = context.run_action(account.export_my_data, pool, user)
    if data is not None:
        st.session_state[_EXPORT_KEY] = (user.id, data)


def render_download(pool: ConnectionPool, user: AppUser) -> None:
    st.caption("A ZIP with ratings.csv, diary.csv, watchlist.csv, watched.csv and reviews.csv in Letterboxd's format "
               "(import them there, or back into CineAI) and cineai.json with everything else: settings, chat, 👍/🚫 "
               "marks, picks, taste profile, movie nights.")
    prepared = st.session_state.get(_EXPORT_KEY)
    if prepared and prepared[0] == user.id:
        st.download_button("⬇️ Download my data", prepared[1], file_name=account.export_file_name(),
                           mime="application/zip", key="account-download", type="primary")
        st.caption(f"{len(prepared[1]) / 1024:,.0f} KB, prepared just now.")
    else:
        st.button("Prepare my data", key="account-prepare", on_click=_prepare, args=(pool, user))


def _delete(pool: ConnectionPool, user: AppUser) -> None:
    removed = context.run_action(account.delete_my_account, pool, user.id)
    if removed is None:
        return
    st.session_state.pop(_EXPORT_KEY, None)
    st.session_state.pop("account-confirm", None)
    remember_viewer_settings(None)  # read again: the settings went with the account
    if user.name is not None or not user.is_local:
        context.set_user(None)  # a profile or a signed-in account is gone: back to the household's first profile
    context.flash("success", f"Your account is deleted: {removed.deleted:,} row(s) are gone.")


def render_delete(pool: ConnectionPool, user: AppUser) -> None:
    with st.expander("Delete my account", icon="🗑️"):
        preview = None
        with context.guarded("Counting your data"):
            preview = account.deletion_preview(pool, user.id)
        if preview is None:
            return
        if not preview.tables:
            st.write("CineAI holds nothing of yours beyond the account itself.")
        else:
            st.write("This deletes, at once and for good:")
            # "label: count" reads right for 1 and for 1,000 ("ratings: 1", not "1 ratings").
            st.markdown("\n".join(f"- {t.label.capitalize()}: {t.rows:,}" + (f" — {t.kept}" if t.kept else "")
                                  for t in preview.tables))
        if user.is_local and user.name is None:
            st.caption("In personal mode CineAI then starts afresh, as on the first day.")
        typed = st.text_input(f"Type {CONFIRM_WORD} to confirm", key="account-confirm")
        st.button("Delete my account and everything in it", key="account-delete", type="primary",
                  disabled=typed.strip() != CONFIRM_WORD, on_click=_delete, args=(pool, user))
