"""A real-sized Letterboxd export with reviews and a diary: reviews are what the person wrote (never chat),
without markup; every dated watch lands in the diary, rewatches counted."""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from pathlib import Path

import pytest

from cine_core.db import transaction, user_transaction
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.service import import_bytes
from cine_core.taste.store import refresh_profile

MIGRATION = Path(__file__).parents[3] / "supabase/migrations/20261207020000_reviews_and_diary.sql"
HEADER_REVIEWS = ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Review", "Tags", "Watched Date"]
HEADER_DIARY = ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"]
HTML_REVIEW = ('<i>Heat</i> is <b>patient</b> &amp; precise. &quot;The diner scene!&quot;<br />'
               'See <a href="https://boxd.it/abc">my list</a>.')
SAY = "insert into movie_conversations (user_id, conversation_type, what_you_said) values (%s, 'loved_it', %s)"


@pytest.fixture(scope="module")
def source():
    return shared_catalog_source()


def _films(source, count: int):
    """Well-known catalog films with a title and year no other film shares."""
    seen: dict[tuple[str, int], int] = {}
    for movie in source._movies:
        if movie.year:
            key = (movie.title.lower(), movie.year)
            seen[key] = seen.get(key, 0) + 1
    unique = [m for m in source._movies if m.year and seen[(m.title.lower(), m.year)] == 1]
    return sorted(unique, key=lambda m: -m.vote_count)[:count]


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _export(films) -> bytes:
    """ratings.csv for every film, a diary (each film once, 120 of them watched again a year later) and a
    review for every diary entry, the Letterboxd way (HTML in the text)."""
    ratings, diary, reviews = [], [], []
    for n, film in enumerate(films):
        stars = 2 + (n % 7) * 0.5
        first = f"2023-{n % 12 + 1:02d}-{n % 27 + 1:02d}"
        ratings.append([first, film.title, film.year, f"https://boxd.it/{n}", stars])
        diary.append([first, film.title, film.year, f"https://boxd.it/d{n}", stars, "", "", first])
        reviews.append([first, film.title, film.year, f"https://boxd.it/r{n}", stars, "",
                        f"<i>{film.title}</i> &quot;number {n}&quot; <b>was</b> <a href=\"https://boxd.it/x{n}\">fine</a>",
                        "", first])
        if n < 120:
            again = f"2024-{n % 12 + 1:02d}-{n % 27 + 1:02d}"
            diary.append([again, film.title, film.year, f"https://boxd.it/e{n}", 5, "Yes", "", again])
            reviews.append([again, film.title, film.year, f"https://boxd.it/s{n}", 5, "Yes", "Better the second time.",
                            "", again])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ratings.csv", _csv(["Date", "Name", "Year", "Letterboxd URI", "Rating"], ratings))
        archive.writestr("diary.csv", _csv(HEADER_DIARY, diary))
        archive.writestr("reviews.csv", _csv(HEADER_REVIEWS, reviews))
    return buffer.getvalue()


def test_a_big_export_with_html_reviews_leaves_the_chat_alone_and_fills_the_diary(pool, make_user, source, caplog):
    user = make_user()
    films = _films(source, 520)
    report = import_bytes(pool, _export(films), "letterboxd-export.zip", user, source=source)
    assert report.matched >= 1_000  # 520 ratings + 640 diary rows + 640 reviews, nearly all matched

    with transaction(pool) as conn:
        chat = conn.execute("select count(*) as n from movie_conversations where user_id = %s", (user,)).fetchone()
        reviews = conn.execute("select body from film_reviews where user_id = %s", (user,)).fetchall()
        diary = conn.execute("select count(*) as n, count(*) filter (where rewatch) as rewatches"
                             " from diary_entries where user_id = %s", (user,)).fetchone()
    assert chat["n"] == 0
    assert report.reviews_written == len(reviews) >= 600
    assert all("<" not in r["body"] and "&quot;" not in r["body"] and "&amp;" not in r["body"] for r in reviews)
    assert {"Better the second time."} < {r["body"] for r in reviews}
    assert f'{films[0].title} "number 0" was fine' in {r["body"] for r in reviews}
    assert (diary["n"], diary["rewatches"]) == (report.diary_written, 120)
    assert diary["n"] >= 630

    # The chat limit counts chat only: after 600+ reviews, a typed message still goes through (REST path too).
    with user_transaction(pool, user) as conn:
        conn.execute(SAY, (user, "I loved Heat"))
    # And a refresh of the taste profile warns about nothing (it used to log one line per review).
    caplog.set_level(logging.WARNING)
    with transaction(pool) as conn:
        profile = refresh_profile(conn, user)
    assert profile.rating_count >= 500
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_reimporting_adds_no_review_or_watch_twice(pool, make_user, source):
    user = make_user()
    data = _export(_films(source, 30))
    first = import_bytes(pool, data, "letterboxd-export.zip", user, source=source)
    again = import_bytes(pool, data, "letterboxd-export.zip", user, source=source)
    assert first.reviews_written > 0 and first.diary_written > 0
    assert (again.reviews_written, again.diary_written, again.changed) == (0, 0, False)


def test_trakt_plays_and_imdb_dates_become_diary_watches(pool, make_user, source):
    user = make_user()
    trakt = ('[{"watched_at": "2024-04-01T20:00:00.000Z", "type": "movie", "movie": {"title": "Arrival", '
             '"year": 2016, "ids": {"tmdb": 329865}}}, {"watched_at": "2025-01-05T20:00:00.000Z", "type": "movie",'
             ' "movie": {"title": "Arrival", "year": 2016, "ids": {"tmdb": 329865}}}]')
    import_bytes(pool, trakt.encode(), "watched-history-1.json", user, source=source)
    imdb = ("Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,"
            "Genres,Num Votes,Release Date,Directors\ntt0113277,8,2024-02-03,Heat,Heat,,Movie,8.3,170,1995,Crime,1,,\n")
    import_bytes(pool, imdb.encode(), "ratings.csv", user, source=source)
    with transaction(pool) as conn:
        rows = conn.execute("select movie_id, watched_on::text as day, rating, source from diary_entries"
                            " where user_id = %s order by watched_on", (user,)).fetchall()
    assert [(r["movie_id"], r["day"], r["source"]) for r in rows] == [
        (949, "2024-02-03", "imdb"), (329865, "2024-04-01", "trakt"),
        (329865, "2025-01-05", "trakt")]
    assert float(rows[0]["rating"]) == 4.0


def test_old_review_rows_move_out_of_the_chat_as_text(pool, make_user):
    """The migration's data step, run again over rows stored the old way."""
    user = make_user()
    with transaction(pool) as conn:
        conn.execute("select set_config('cine.importing', 'on', true)")
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, 949, 4.5)", (user,))
        conn.execute("insert into movie_conversations (user_id, movie_id, conversation_type, what_you_said)"
                     " values (%s, 949, 'loved_it', %s)", (user, HTML_REVIEW))
        conn.execute("insert into movie_conversations (user_id, movie_id, conversation_type, what_you_said, ai_learned)"
                     " values (%s, 949, 'loved_it', 'I loved Heat', '{\"conversation_type\": \"loved_it\"}')", (user,))
        data_step = "with old_reviews as (" + MIGRATION.read_text().split("with old_reviews as (")[1]
        conn.execute(data_step)
        reviews = conn.execute("select body, rating, source from film_reviews where user_id = %s", (user,)).fetchall()
        chat = conn.execute("select what_you_said from movie_conversations where user_id = %s", (user,)).fetchall()
    assert [(r["body"], float(r["rating"]), r["source"]) for r in reviews] == [
        ('Heat is patient & precise. "The diner scene!"\nSee my list.', 4.5, "letterboxd")]
    assert [r["what_you_said"] for r in chat] == ["I loved Heat"]
