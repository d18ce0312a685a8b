"""The take-away ZIP: Letterboxd-format CSVs that CineAI's own importer takes back whole, and cineai.json
with every other row of the person's and nobody else's."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest

from cine_core.account import EXPORT_CSV_FILES, build_export_zip
from cine_core.app import actions
from cine_core.db import transaction, user_transaction
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.service import import_bytes

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
LOG_DATE_OF = {"diary.csv", "reviews.csv"}  # their Date column is when the entry was logged: new on import
LONG_REVIEW = ("A long review, paragraph after paragraph. " * 70).strip()  # 2,939 characters, kept whole
RETURN_1985 = 834860  # "RETURN" (1985), the lesser known of two catalog films called so that year


def _films(pool, n: int) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select id, title, year from movies where year is not null"
                            " order by vote_count desc limit %s", (n,)).fetchall()


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _letterboxd_export(films: list[dict]) -> bytes:
    """A small Letterboxd export: ratings, a diary with a rewatch and an unrated watch, watchlist, a review."""
    f = [(m["title"], str(m["year"])) for m in films]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ratings.csv", _csv_text(["Date", "Name", "Year", "Letterboxd URI", "Rating"], [
            ["2024-01-01", *f[0], "", "4.5"], ["2024-01-02", *f[1], "", "3"], ["2024-01-03", *f[2], "", "0.5"],
            ["2024-01-04", *f[3], "", "5"]]))
        archive.writestr("diary.csv", _csv_text(
            ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"], [
                ["2024-01-01", *f[0], "", "4.5", "", "", "2024-01-01"],
                ["2024-06-01", *f[0], "", "4.5", "Yes", "", "2024-06-01"],
                ["2024-02-02", *f[4], "", "", "", "", "2024-02-02"]]))
        archive.writestr("watchlist.csv", _csv_text(["Date", "Name", "Year", "Letterboxd URI"], [
            ["2024-03-01", *f[5], ""], ["2024-03-02", *f[6], ""]]))
        archive.writestr("reviews.csv", _csv_text(
            ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Review", "Tags", "Watched Date"], [
                ["2024-01-02", *f[1], "", "3", "", "Tense, and the score is brilliant.", "", "2024-01-02"],
                # Letterboxd's export has reviews without a diary entry (no Watched Date) and long ones.
                ["2024-01-05", *f[2], "", "", "", "Written years later, never logged.", "", ""],
                ["2024-01-06", *f[3], "", "", "", LONG_REVIEW, "", "2024-01-06"]]))
    return buffer.getvalue()


def _export(pool, user_id: str) -> zipfile.ZipFile:
    with user_transaction(pool, user_id) as conn:
        return zipfile.ZipFile(io.BytesIO(build_export_zip(conn, user_id, now=NOW, account={"email": "x@y.z"})))


def _table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(archive.read(name).decode())))
    return sorted(({k: v for k, v in r.items() if not (k == "Date" and name in LOG_DATE_OF)} for r in rows),
                  key=lambda r: sorted(r.items()))


@pytest.fixture
def imported(pool, make_user):
    """A person whose history came from a Letterboxd export, plus a chat message about a film."""
    person = make_user("exporter@example.com")
    films = _films(pool, 7)
    report = import_bytes(pool, _letterboxd_export(films), "letterboxd.zip", person, source=shared_catalog_source())
    assert report.matched >= 11, report.summary()
    actions.rate(pool, person, RETURN_1985, 2.5)  # rated in the app: found again by its tmdbID, not its title
    with transaction(pool) as conn:  # as the chat stores a turn: its reply is server-owned
        conn.execute("insert into movie_conversations (user_id, movie_id, conversation_type, what_you_said,"
                     " ai_learned) values (%s, %s, 'loved_it', 'chat: loved it', '{\"reply\": \"Noted.\"}')",
                     (person, films[3]["id"]))
    return person, films


def test_the_export_holds_letterboxds_four_files_and_cineai_json(pool, imported):
    person, films = imported
    archive = _export(pool, person)
    assert sorted(archive.namelist()) == sorted([*EXPORT_CSV_FILES, "cineai.json"])
    ratings = _table(archive, "ratings.csv")
    assert [(r["tmdbID"], r["Rating"], r["Date"]) for r in sorted(ratings, key=lambda r: r["Date"])][:4] == [
        (str(films[0]["id"]), "4.5", "2024-01-01"), (str(films[1]["id"]), "3", "2024-01-02"),
        (str(films[2]["id"]), "0.5", "2024-01-03"), (str(films[3]["id"]), "5", "2024-01-04")]
    assert (str(RETURN_1985), "RETURN", "1985", "2.5") in {(r["tmdbID"], r["Name"], r["Year"], r["Rating"]) for r in ratings}
    assert {r["tmdbID"] for r in _table(archive, "watchlist.csv")} == {str(films[5]["id"]), str(films[6]["id"])}
    reviews = _table(archive, "reviews.csv")
    assert sorted((r["tmdbID"], r["Review"], r["Watched Date"]) for r in reviews) == sorted([
        (str(films[1]["id"]), "Tense, and the score is brilliant.", "2024-01-02"),
        (str(films[2]["id"]), "Written years later, never logged.", ""), (str(films[3]["id"]), LONG_REVIEW, "2024-01-06")])
    watched = {r["tmdbID"] for r in _table(archive, "watched.csv")}
    assert str(films[4]["id"]) in watched, "a film seen without stars: Letterboxd's watched.csv"
    diary = _table(archive, "diary.csv")
    assert sorted((r["tmdbID"], r["Watched Date"], r["Rewatch"]) for r in diary) == sorted([
        (str(films[0]["id"]), "2024-01-01", ""), (str(films[0]["id"]), "2024-06-01", "Yes"),
        (str(films[4]["id"]), "2024-02-02", ""), (str(films[1]["id"]), "2024-01-02", ""),  # a review's watch
        (str(films[3]["id"]), "2024-01-06", "")])


def test_export_then_import_into_a_fresh_account_gives_the_same_history(pool, imported, make_user):
    person, _ = imported
    first = _export(pool, person)
    fresh = make_user("fresh@example.com")
    report = import_bytes(pool, first.fp.getvalue(), "cineai-export.zip", fresh, source=shared_catalog_source())
    assert report.unmatched == (), report.summary()
    again = _export(pool, fresh)
    for name in EXPORT_CSV_FILES:
        assert _table(again, name) == _table(first, name), name


def test_cineai_json_has_every_other_row_of_the_person_and_none_of_anyone_elses(pool, imported, make_user):
    person, films = imported
    other = make_user("other@example.com")
    with transaction(pool) as conn:
        for user, region in ((person, "AR"), (other, "DE")):
            conn.execute("insert into user_settings (user_id, region) values (%s, %s)", (user, region))
            conn.execute("insert into film_feedback (user_id, movie_id, kind) values (%s, %s, 'up')", (user, films[6]["id"]))
            conn.execute("insert into recommendations (user_id, movie_id, reason, discovery_source, confidence)"
                         " values (%s, %s, 'because', 'trending', 0.8)", (user, films[6]["id"]))
            conn.execute("insert into digest_log (user_id, iso_week) values (%s, '2026-W49')", (user,))
            conn.execute("insert into import_jobs (user_id, file_name, content) values (%s, 'x.csv', 'secret'::bytea)",
                         (user,))
    document = json.loads(_export(pool, person).read("cineai.json"))
    tables = document["tables"]
    assert document["account"] == {"id": person, "email": "x@y.z"}
    assert [r["region"] for r in tables["user_settings"]] == ["AR"]
    assert [r["kind"] for r in tables["film_feedback"]] == ["up"]
    assert [r["reason"] for r in tables["recommendations"]] == ["because"]
    assert [r["what_you_said"] for r in tables["movie_conversations"]] == ["chat: loved it"]
    assert "content" not in tables["import_jobs"][0], "server-only columns never leave"
    assert "digest_log" in document["server_only_tables"] and "digest_log" not in tables
    every_user_id = {r.get("user_id") for rows in tables.values() for r in rows} - {None}
    assert every_user_id == {person}
