"""The Diary page, the film page's diary section and the Taste page's year in review, after a Letterboxd import
with rewatches and HTML reviews; the ratings chart ticks whole films."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import date

import numpy as np

from cine_core.db import transaction
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.service import import_bytes

HEAT, ARRIVAL = 949, 329865
DIARY = ("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
         "2024-03-02,Heat,1995,https://boxd.it/a,4,,,2024-03-02\n"
         "2024-11-20,Heat,1995,https://boxd.it/b,5,Yes,,2024-11-20\n"
         "2024-11-05,Arrival,2016,https://boxd.it/c,4.5,,,2024-11-05\n")
REVIEWS = ("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"
           '2024-11-20,Heat,1995,https://boxd.it/d,5,Yes,"<i>Even better</i> &amp; <b>longer</b>. '
           '<a href=""https://boxd.it/x"">The diner</a>!",,2024-11-20\n'
           '2024-11-05,Arrival,2016,https://boxd.it/e,4.5,,"Two things:\n- the score\n- the ending\n\n'
           '![pixel](http://tracker.example/p.png)",,2024-11-05\n')


def _import(pool, user_id: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("diary.csv", DIARY)
        archive.writestr("reviews.csv", REVIEWS)
    import_bytes(pool, buffer.getvalue(), "letterboxd-export.zip", user_id, source=shared_catalog_source())


def _markdown(app) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_the_diary_page_shows_a_month_with_its_rewatch_and_review_as_text(app, pool, local_user):
    _import(pool, local_user)
    app.switch_page("pages/diary.py").run()
    assert not app.exception
    assert app.selectbox(key="diary-month").value == date(2024, 11, 1)
    text = _markdown(app)
    assert "20 Nov 2024" in text and "↻ rewatch (watch 2)" in text and "5 Nov 2024" in text
    assert r"> Even better &amp; longer\. The diner\!" in text  # literal text in a quote: "&", no tags
    assert "<i>" not in text and "boxd.it/x" not in text
    # A review's lines stay as typed (seen at 390x844: a review's "- " lines drawn as a bulleted list), and no
    # Markdown in it draws anything (an image from any host, a link).
    assert "> Two things\\:  \n> \\- the score  \n> \\- the ending  \n>\n> \\!\\[pixel\\]" in text
    assert "![pixel](" not in text
    app.selectbox(key="diary-month").select(date(2024, 3, 1)).run()
    text = _markdown(app)
    assert "**2 Mar 2024**" in text and "**20 Nov 2024**" not in text  # the month's lines (reviews tab aside)
    assert "<small>20 Nov 2024 · ★★★★★ 5 · from Letterboxd</small>" in text  # "What you wrote" lists every review


def test_the_film_page_shows_your_watches_and_logs_a_new_one(app, pool, local_user):
    _import(pool, local_user)
    app.switch_page("pages/film.py")
    app.query_params["id"] = str(HEAT)
    app.run()
    assert not app.exception
    text = _markdown(app)
    assert "2 Mar 2024" in text and "20 Nov 2024" in text and "What you wrote" in text
    assert r"Even better &amp; longer\. The diner\!" in text
    app.date_input(key=f"log-day-{HEAT}").set_value(date(2025, 1, 4))
    app.select_slider(key=f"log-stars-{HEAT}").set_value(3.5)
    app.button(key=next(b.key for b in app.button if b.key and "FormSubmitter" in b.key and "log-watch" in b.key)).click()
    app.run()
    assert not app.exception
    with transaction(pool) as conn:
        rows = conn.execute("select watched_on, rating from diary_entries where user_id = %s and movie_id = %s"
                            " order by watched_on", (local_user, HEAT)).fetchall()
    assert [(r["watched_on"], float(r["rating"])) for r in rows] == [
        (date(2024, 3, 2), 4.0), (date(2024, 11, 20), 5.0), (date(2025, 1, 4), 3.5)]
    # The page's own rating slider follows: it showed the 5★ it was drawn with (seen at 1440x900: "You rated it
    # ★★★★ 4" above a slider still on "not rated").
    assert app.select_slider(key=f"film-rating-{HEAT}").value == 3.5


def test_the_taste_page_has_a_year_in_review_and_whole_film_ticks(app, pool, local_user):
    _import(pool, local_user)
    app.switch_page("pages/taste.py").run()
    assert not app.exception
    assert "2024 in review" in "\n".join(h.value for h in app.subheader)
    assert "**Countries**: United States 3" in _markdown(app)  # Heat twice, Arrival once
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Films"] == "2" and metrics["Watches"] == "3" and metrics["Rewatches"] == "1"
    specs = {json.loads(c.proto.spec)["layout"]["title"]["text"]: json.loads(c.proto.spec)
             for c in app.get("plotly_chart")}
    over_time = specs["Ratings over time"]["layout"]["yaxis"]
    assert over_time["tickmode"] == "array" and all(float(t).is_integer() for t in over_time["tickvals"])
    months = specs["Films watched per month, 2024"]
    y = months["data"][0]["y"]  # plotly sends numbers as typed binary
    assert np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist() == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0]
