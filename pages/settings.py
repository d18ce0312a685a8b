"""Settings: your region and streaming services (where to watch) and the weekly discovery email."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from cine_core.app import settings as user_settings
from cine_core.config import get_settings
from cine_core.domain.regions import region_label
from cine_core.domain.watch import UserSettings
from ui import context
from ui.account_panel import render_delete, render_download
from ui.providers import remember_viewer_settings

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

pool, user = context.page_setup()
config = get_settings()
st.title("⚙️ Settings")
context.show_flashes()

current: UserSettings | None = None
with context.guarded("Loading your settings"):
    current = user_settings.load_user_settings(pool, user.id, config)

if current is not None:
    regions = user_settings.region_choices(config, current.region)
    region = st.selectbox("Your region", regions, index=regions.index(current.region), key="settings-region",
                          format_func=region_label,
                          help="Where-to-watch offers differ by country. Type a country's name or code.")
    known: list[str] = []
    with context.guarded("Loading the streaming services"):
        known = user_settings.region_providers(pool, user.id, region)
    options = list(dict.fromkeys(known + list(current.streaming_services)))
    if options:
        services = st.multiselect("My streaming services", options, default=list(current.streaming_services),
                                  key="settings-services",
                                  help="Cards show where each film streams; the dashboard can show only these.")
    else:
        services = list(current.streaming_services)
        st.caption("No streaming services are known for this region yet: they appear once CineAI has "
                   "fetched films from TMDB (a TMDB key is needed).")

    digest = current.weekly_digest
    email, day, hour = current.digest_email, current.digest_day, current.digest_hour
    if config.digest_enabled:
        st.subheader("Weekly discovery email")
        digest = st.toggle("Email me 5 new films I might like, once a week", value=current.weekly_digest,
                           key="settings-digest")
        if digest:
            email = st.text_input("Send it to", value=current.digest_email or user.email or "",
                                  key="settings-email") or None
            left, right = st.columns(2)
            chosen_day = current.digest_day if current.digest_day is not None else config.digest_weekday
            day = left.selectbox("On", range(7), index=chosen_day, format_func=lambda d: WEEKDAYS[d],
                                 key="settings-day")
            chosen_hour = current.digest_hour if current.digest_hour is not None else config.digest_hour
            hour = right.selectbox("At (UTC)", range(24), index=chosen_hour, format_func=lambda h: f"{h:02d}:00",
                                   key="settings-hour")

    st.subheader("Now on your services")
    st.caption("When a film from your watchlist or your picks arrives on one of your services, the dashboard says "
               "so" + (" and so does the weekly email" if config.digest_enabled else "") + (
               "." if config.tmdb_online else " (this needs a TMDB key: offline there is no where-to-watch data)."))
    notify_url = st.text_input("Also push it to (optional)", value=current.notify_url or "", key="settings-notify",
                               placeholder="ntfy://my-cineai-topic", type="password",
                               help="An Apprise URL: ntfy, Discord, Telegram, Matrix, email and 100 more "
                                    "(https://github.com/caronc/apprise/wiki). Each film is pushed once.")

    if st.button("Save settings", type="primary", key="settings-save"):
        with context.guarded("Saving your settings"):
            checked_url = user_settings.check_notify_url(notify_url)
            updated = replace(current, region=region, streaming_services=tuple(services), weekly_digest=digest,
                              digest_email=email, digest_day=day, digest_hour=hour, notify_url=checked_url)
            user_settings.save_user_settings(pool, updated)
            remember_viewer_settings(updated)
            st.success("Settings saved.")

st.divider()
st.subheader("Your data")
render_download(pool, user)
render_delete(pool, user)
