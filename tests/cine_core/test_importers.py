"""Importing Letterboxd, IMDb and Trakt exports (offline: matched through the bundled catalog)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cine_core.db import transaction
from cine_core.domain.errors import ImportFileError
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.service import import_file
from cine_core.imports.values import rating_from_ten

IMPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


@pytest.fixture(scope="module")
def source():
    return shared_catalog_source()


def run(pool, user, name, source):
    return import_file(pool, IMPORTS / name, user, source=source)


def ratings(pool, user) -> dict[int, tuple[float, str]]:
    with transaction(pool) as conn:
        rows = conn.execute("select movie_id, rating, source from public.ratings where user_id = %s", (user,)).fetchall()
    return {r["movie_id"]: (float(r["rating"]), r["source"]) for r in rows}


def watchlist(pool, user) -> dict[int, bool]:
    """movie_id -> watched?"""
    with transaction(pool) as conn:
        rows = conn.execute("select movie_id, watched_at from public.watchlist where user_id = %s", (user,)).fetchall()
    return {r["movie_id"]: r["watched_at"] is not None for r in rows}


def pending_refreshes(pool, user) -> int:
    with transaction(pool) as conn:
        return conn.execute(
            "select count(*) as n from public.recommendation_refresh_queue where user_id = %s and status = 'pending'",
            (user,),
        ).fetchone()["n"]


def snapshot(pool, user):
    with transaction(pool) as conn:
        r = conn.execute("select movie_id, rating, rated_at, source from public.ratings where user_id = %s"
                         " order by movie_id", (user,)).fetchall()
        w = conn.execute("select movie_id, added_at, watched_at from public.watchlist where user_id = %s"
                         " order by movie_id", (user,)).fetchall()
    return r, w


@pytest.mark.parametrize(("ten", "five"), [(1, 0.5), (2, 1.0), (3, 1.5), (7, 3.5), (9, 4.5), (10, 5.0)])
def test_one_to_ten_maps_onto_half_stars(ten, five):
    assert rating_from_ten(ten) == five


def test_out_of_range_ten_point_rating_is_rejected():
    assert rating_from_ten(0) is None and rating_from_ten(11) is None and rating_from_ten("x") is None


def test_letterboxd_zip_with_diary_rewatches(pool, local_user, source):
    report = run(pool, local_user, "letterboxd-export.zip", source)
    assert report.service == "letterboxd"
    assert report.unmatched == ("Zzyzx Road Nonexistent Picture (2031)",)  # Parasite: in the catalog since 2025
    got = ratings(pool, local_user)
    # ratings.csv wins over diary rows; Blade Runner is rated only in the diary: the latest rewatch counts.
    assert got == {603: (4.5, "letterboxd"), 194: (5.0, "letterboxd"), 550: (3.5, "letterboxd"),
                   948: (4.0, "letterboxd"), 78: (4.0, "letterboxd"), 496243: (5.0, "letterboxd")}
    # Watched without a rating: marked as seen on the watchlist, no rating invented.
    assert watchlist(pool, local_user) == {578: True, 949: True, 129: False, 670: False}
    assert (report.ratings_written, report.watched_written, report.watchlist_written) == (6, 2, 2)
    assert report.summary().startswith("Letterboxd import: 16 matched, 1 unmatched")
    assert "Newer than the film catalog (it ends in 2025): Zzyzx Road Nonexistent Picture (2031)." in report.summary()


def test_reimporting_the_same_file_changes_nothing(pool, local_user, source):
    run(pool, local_user, "letterboxd-export.zip", source)
    before = snapshot(pool, local_user)
    with transaction(pool) as conn:
        conn.execute("delete from public.recommendation_refresh_queue")
    again = run(pool, local_user, "letterboxd-export.zip", source)
    assert snapshot(pool, local_user) == before
    assert not again.changed and again.matched == 16
    assert again.ratings_unchanged == 6 and again.already_known == 4
    assert pending_refreshes(pool, local_user) == 0


def test_one_import_leaves_one_pending_refresh(pool, make_user, source):
    user = make_user()
    run(pool, user, "letterboxd-export.zip", source)
    assert pending_refreshes(pool, user) == 1


def test_single_letterboxd_csvs(pool, local_user, source):
    rated = run(pool, local_user, "letterboxd-ratings.csv", source)
    listed = run(pool, local_user, "letterboxd-watchlist.csv", source)
    assert (rated.matched, rated.unmatched) == (5, ())
    assert (listed.matched, listed.watchlist_written) == (2, 2)


def test_old_imdb_export_films_only_with_mapping(pool, local_user, source):
    report = run(pool, local_user, "imdb-ratings-old.csv", source)
    assert report.service == "imdb"
    assert report.skipped == 2  # tvSeries + tvEpisode
    assert report.unmatched == ("A Film Nobody Has Heard Of (2018)",)
    assert ratings(pool, local_user) == {238: (5.0, "imdb"), 680: (4.5, "imdb"), 348: (3.5, "imdb"),
                                         694: (0.5, "imdb"), 807: (4.0, "imdb")}


def test_new_imdb_export(pool, local_user, source):
    report = run(pool, local_user, "imdb-ratings-new.csv", source)
    assert (report.matched, report.skipped, report.unmatched) == (3, 1, ())
    assert ratings(pool, local_user) == {238: (5.0, "imdb"), 129: (4.0, "imdb"), 862: (1.5, "imdb")}


def test_trakt_ratings_layout(pool, local_user, source):
    report = run(pool, local_user, "trakt-ratings-movies.json", source)
    assert report.service == "trakt" and report.skipped == 1  # the show
    assert report.unmatched == ("Unknown To The Catalog (2024)",)
    assert ratings(pool, local_user) == {27205: (4.5, "trakt"), 64690: (3.0, "trakt"), 152601: (0.5, "trakt")}


def test_trakt_watched_layout(pool, local_user, source):
    report = run(pool, local_user, "trakt-watched-movies.json", source)
    assert report.watched_written == 2 and watchlist(pool, local_user) == {862: True, 2082: True}


def test_trakt_watchlist_layout(pool, local_user, source):
    report = run(pool, local_user, "trakt-lists-watchlist.json", source)
    assert (report.watchlist_written, report.skipped) == (1, 1)
    assert watchlist(pool, local_user) == {244786: False}


def test_trakt_older_nested_layout(pool, local_user, source):
    report = run(pool, local_user, "trakt-backup-nested.json", source)
    assert report.matched == 3
    assert ratings(pool, local_user) == {578: (4.0, "trakt"), 949: (3.5, "trakt")}
    assert watchlist(pool, local_user) == {348: False}


def test_newer_app_rating_is_not_overwritten(pool, local_user, source):
    with transaction(pool) as conn:
        conn.execute("insert into public.ratings (user_id, movie_id, rating, rated_at, source)"
                     " values (%s, 603, 2.0, '2025-01-01', 'app')", (local_user,))
    run(pool, local_user, "letterboxd-ratings.csv", source)
    assert ratings(pool, local_user)[603] == (2.0, "app")


@pytest.mark.parametrize(("name", "message"), [
    ("broken-not-a-zip.zip", "not a valid zip"),
    ("broken-wrong-columns.csv", "not a Letterboxd, IMDb or Trakt export"),
    ("broken-truncated.json", "not valid JSON"),
    ("broken-not-trakt.json", "not a Trakt export"),
    ("does-not-exist.csv", "Cannot read"),
])
def test_malformed_files_are_a_clear_error_and_write_nothing(pool, local_user, source, name, message):
    before = snapshot(pool, local_user)
    with pytest.raises(ImportFileError, match=message):
        run(pool, local_user, name, source)
    assert snapshot(pool, local_user) == before
    assert pending_refreshes(pool, local_user) == 0


def test_progress_is_reported(pool, local_user, source):
    seen = []
    import_file(pool, IMPORTS / "imdb-ratings-new.csv", local_user, source=source,
                progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3)
