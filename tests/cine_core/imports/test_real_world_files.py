"""Real-world export files: encodings, delimiters, layouts and archives people actually have."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from cine_core.db import transaction
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.service import import_file

IMDB_2024_HEADER = ("Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),"
                    "Year,Genres,Num Votes,Release Date,Directors")
IMDB_WATCHLIST_HEADER = ("Position,Const,Created,Modified,Description,Title,Original Title,URL,Title Type,IMDb Rating,"
                         "Runtime (mins),Year,Genres,Num Votes,Release Date,Directors,Your Rating,Date Rated")


@pytest.fixture(scope="module")
def source():
    return shared_catalog_source()


def ratings(pool, user) -> dict[int, float]:
    with transaction(pool) as conn:
        rows = conn.execute("select movie_id, rating from public.ratings where user_id = %s", (user,)).fetchall()
    return {r["movie_id"]: float(r["rating"]) for r in rows}


def watchlist(pool, user) -> dict[int, bool]:
    with transaction(pool) as conn:
        rows = conn.execute("select movie_id, watched_at from public.watchlist where user_id = %s", (user,)).fetchall()
    return {r["movie_id"]: r["watched_at"] is not None for r in rows}


def test_cp1252_imdb_export_with_accented_titles(pool, make_user, source, tmp_path):
    user = make_user()
    text = (IMDB_2024_HEADER + "\r\n"
            "tt0103644,7,2023-02-01,Alien³,Alien³,https://www.imdb.com/title/tt0103644/,Movie,6.4,114,1992,Horror,1,1992-05-22,David Fincher\r\n"
            "tt1139797,9,2023-02-02,Låt den rätte komma in,Låt den rätte komma in,https://www.imdb.com/title/tt1139797/,"
            "Movie,7.9,114,2008,Horror,1,2008-01-26,Tomas Alfredson\r\n")
    path = tmp_path / "ratings.csv"
    path.write_bytes(text.encode("cp1252"))
    report = import_file(pool, path, user, source=source)
    assert report.service_name == "IMDb" and report.summary().startswith("IMDb import: 2 matched")
    assert ratings(pool, user) == {8077: 3.5, 13310: 4.5}


def test_localised_imdb_title_matches_by_const_then_original_title(pool, make_user, source, tmp_path):
    user = make_user()
    path = tmp_path / "ratings.csv"
    path.write_text(IMDB_2024_HEADER + "\n"
                    "tt29623480,8,2024-11-01,Den vilda roboten,The Wild Robot,,Movie,8.2,102,2024,Animation,1,,\n"
                    "tt9999999999,10,2024-11-02,Lat den ratte,Låt den rätte komma in,,Movie,7.9,114,2008,Horror,1,,\n"
                    "tt0903747,10,2024-11-03,Breaking Bad,Breaking Bad,,TV Series,9.5,49,2008,Drama,1,,\n"
                    "tt0959621,9,2024-11-04,Pilot,Pilot,,TV Episode,9.0,58,2008,Drama,1,,\n", encoding="utf-8")
    report = import_file(pool, path, user, source=source)
    assert ratings(pool, user) == {1184918: 4.0, 13310: 5.0}
    assert dict(report.not_films) == {"TV Series": 1, "TV Episode": 1}
    assert "Not films, skipped: 1 TV Series, 1 TV Episode." in report.summary()


def test_imdb_watchlist_export(pool, make_user, source, tmp_path):
    user = make_user()
    path = tmp_path / "WATCHLIST.csv"
    path.write_text(IMDB_WATCHLIST_HEADER + "\n"
                    "1,tt0113277,2024-01-05,2024-01-05,,Heat,Heat,,Movie,8.3,170,1995,Crime,1,,Michael Mann,,\n"
                    "2,tt2543164,2024-01-06,2024-01-06,,Arrival,Arrival,,Movie,7.9,116,2016,Drama,1,,Denis Villeneuve,,\n",
                    encoding="utf-8")
    report = import_file(pool, path, user, source=source)
    assert (report.watchlist_written, report.ratings_written) == (2, 0)
    assert watchlist(pool, user) == {949: False, 329865: False}


def test_semicolon_letterboxd_diary_saved_by_a_spreadsheet(pool, make_user, source, tmp_path):
    user = make_user()
    path = tmp_path / "diary.csv"
    path.write_text("Date;Name;Year;Letterboxd URI;Rating;Rewatch;Tags;Watched Date\r\n"
                    "14/01/2023;Heat;1995;https://boxd.it/1Sse;4,5;;;13/01/2023\r\n"
                    "02/02/2023;Arrival;2016;https://boxd.it/aaaa;;;;01/02/2023\r\n"
                    "03/02/2023;Heat;1995;https://boxd.it/1Sse;5;Yes;;28/02/2023\r\n", encoding="utf-8")
    report = import_file(pool, path, user, source=source)
    assert ratings(pool, user) == {949: 5.0}  # the rewatch of 28 February (D/M/Y, decided from the column) wins
    assert watchlist(pool, user) == {329865: True}
    with transaction(pool) as conn:
        rated_at = conn.execute("select rated_at from public.ratings where user_id = %s", (user,)).fetchone()["rated_at"]
    assert (rated_at.month, rated_at.day) == (2, 28)
    assert report.matched == 3


def test_wrapped_trakt_backup(pool, make_user, source, tmp_path):
    user = make_user()
    path = tmp_path / "ratings-movies.json"
    path.write_text(json.dumps({"metadata": {"exported_at": "2025-01-01"}, "data": [
        {"rated_at": "2024-05-01T10:00:00.000Z", "rating": 9, "type": "movie",
         "movie": {"title": "Heat", "year": 1995, "ids": {"tmdb": 949, "imdb": "tt0113277"}}},
        {"rated_at": "2024-05-02T10:00:00.000Z", "rating": 6, "type": "movie",  # stale TMDB id: the IMDb id decides
         "movie": {"title": "Arrival", "year": 2016, "ids": {"tmdb": 999999999, "imdb": "tt2543164"}}},
    ]}), encoding="utf-8")
    report = import_file(pool, path, user, source=source)
    assert report.service_name == "Trakt"
    assert ratings(pool, user) == {949: 4.5, 329865: 3.0}


def test_trakt_export_zip(pool, make_user, source, tmp_path):
    user = make_user()
    path = tmp_path / "trakt-export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ratings-movies.json", json.dumps([
            {"rated_at": "2024-05-01T10:00:00.000Z", "rating": 10, "movie": {"title": "Heat", "year": 1995,
                                                                              "ids": {"tmdb": 949}}}]))
        archive.writestr("watched-history-1.json", json.dumps([
            {"watched_at": "2024-04-01T20:00:00.000Z", "action": "watch", "type": "movie",
             "movie": {"title": "Arrival", "year": 2016, "ids": {"tmdb": 329865}}},
            {"watched_at": "2024-04-02T20:00:00.000Z", "action": "watch", "type": "episode",
             "episode": {"title": "Pilot"}, "show": {"title": "Breaking Bad"}}]))
        archive.writestr("watchlist-movies.json", json.dumps([
            {"listed_at": "2024-03-01T00:00:00.000Z", "type": "movie",
             "movie": {"title": "The Wild Robot", "year": 2024, "ids": {"tmdb": 1184918}}}]))
        archive.writestr("user-stats.json", json.dumps({"movies": {"plays": 3}}))
    report = import_file(pool, path, user, source=source)
    assert ratings(pool, user) == {949: 5.0}
    assert watchlist(pool, user) == {329865: True, 1184918: False}
    assert dict(report.not_films) == {"episode": 1}


def test_letterboxd_reviews_are_kept_as_what_the_person_wrote_never_as_chat(pool, make_user, source, tmp_path):
    user = make_user()
    path = tmp_path / "letterboxd-export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("watched.csv", "Date,Name,Year,Letterboxd URI\n2019-01-02,Heat,1995,https://boxd.it/x\n")
        archive.writestr("reviews.csv", 'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n'
                         '2019-01-03,Heat,1995,https://boxd.it/y,5,,"Patient and precise.\nThe diner scene!",,2019-01-02\n')
        archive.writestr("deleted/diary.csv", "Date,Name,Year,Letterboxd URI\n2019-01-02,Arrival,2016,x\n")
    import_file(pool, path, user, source=source)
    again = import_file(pool, path, user, source=source)
    assert ratings(pool, user) == {949: 5.0}
    with transaction(pool) as conn:
        reviews = conn.execute("select movie_id, body, rating, watched_on from public.film_reviews"
                               " where user_id = %s", (user,)).fetchall()
        chat = conn.execute("select count(*) as n from public.movie_conversations where user_id = %s",
                            (user,)).fetchone()["n"]
    assert [(r["movie_id"], r["body"], float(r["rating"]), str(r["watched_on"])) for r in reviews] == [
        (949, "Patient and precise.\nThe diner scene!", 5.0, "2019-01-02")]
    assert chat == 0
    assert not again.changed


def test_empty_year_and_old_uri_slug(pool, make_user, source, tmp_path):
    user = make_user()
    path = tmp_path / "watched.csv"
    path.write_text("Date,Name,Year,Letterboxd URI\n"
                    "2019-01-02,Arrival,,https://letterboxd.com/someone/film/arrival-2016/\n", encoding="utf-8")
    import_file(pool, path, user, source=source)
    assert watchlist(pool, user) == {329865: True}


def test_overlapping_import_says_what_it_added_updated_and_left_alone(pool, make_user, source, tmp_path):
    user = make_user()
    first, second = tmp_path / "one.csv", tmp_path / "two.csv"
    header = IMDB_2024_HEADER + "\n"
    first.write_text(header + "tt0113277,8,2024-01-01,Heat,Heat,,Movie,8.3,170,1995,Crime,1,,\n"
                              "tt2543164,6,2024-01-01,Arrival,Arrival,,Movie,7.9,116,2016,Drama,1,,\n")
    second.write_text(header + "tt0113277,8,2024-01-01,Heat,Heat,,Movie,8.3,170,1995,Crime,1,,\n"
                               "tt2543164,10,2024-06-01,Arrival,Arrival,,Movie,7.9,116,2016,Drama,1,,\n"
                               "tt0110912,9,2024-06-01,Pulp Fiction,Pulp Fiction,,Movie,8.9,154,1994,Crime,1,,\n")
    import_file(pool, first, user, source=source)
    report = import_file(pool, second, user, source=source)
    assert (report.ratings_added, report.ratings_updated, report.ratings_unchanged) == (1, 1, 1)
    assert "Ratings: 1 added, 1 updated to the file's value, 1 already rated the same." in report.summary()
    assert "Title,Year,Kind" in report.unmatched_csv()


def test_unmatched_rows_download_as_csv(pool, make_user, source, tmp_path):
    user = make_user()
    path = tmp_path / "ratings.csv"
    path.write_text("Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Zzyzx Nowhere Film,2031,x,4\n")
    report = import_file(pool, path, user, source=source)
    rows = list(io.StringIO(report.unmatched_csv()))
    assert rows == ["Title,Year,Kind,Rating,IMDb id,TMDB id\n", "Zzyzx Nowhere Film,2031,rating,4.0,,\n"]
