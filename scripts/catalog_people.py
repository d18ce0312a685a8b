"""Directors and cast for catalog films TMDB's files leave without them, from ../shared/data/film_people/.

Sources (see film_people/SOURCES.md), none with ids, so they are joined on title + year:
- streaming_catalogs/{netflix,amazon_prime,disney_plus}_titles.csv.gz (Kaggle, mid-2021, CC0 1.0): director, cast.
- wikipedia_us_films/movies-<decade>.json.gz (prust/wikipedia-movie-data, MIT; content CC BY-SA 4.0, Wikipedia
  contributors): cast in billing order; the director parsed from the lead paragraph ("… directed by X and Y …").
  Only names are taken (facts), never the text; each such film keeps its article slug (`wikipedia`) for attribution.

Rule (as film_people/tmdb_matches.csv.gz, but exact year only: ±1 lets homonyms in): the normalised title
(NFKD→ASCII, lower case, & → and, no punctuation, no leading the/a/an) equals the film's title or original
title, the year is the same, and exactly one catalog film fits.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root, for its pure domain modules
from cine_core.domain.people import join_name_parts  # noqa: E402

log = logging.getLogger(__name__)

STREAMING = ("netflix", "amazon_prime", "disney_plus")  # explicit director fields first
_PUNCT = re.compile(r"[^a-z0-9 ]+")
_ARTICLE = re.compile(r"^(the|a|an) ")
_WORD = r"(?:(?:[A-Z]\.)+|[A-Z][\w'’-]*)"  # 'W.S.' or 'Anderson', never a sentence's full stop
_WORDS = rf"{_WORD}(?: {_WORD})*"
_DIRECTED = re.compile(rf"\b(?:directed|direction) by ({_WORDS}(?:(?:, and |, | and ){_WORDS})*)")
# A streaming row's first country must fit the film's original language (drops same-title, same-year homonyms:
# the Hindi "Soldier" of 1998 is not Paul W.S. Anderson's). Countries not listed are not checked.
_ENGLISH = ("United States", "United Kingdom", "Canada", "Australia", "Ireland", "New Zealand", "South Africa", "Nigeria")
COUNTRY_LANGUAGES = {
    **{c: {"en"} for c in _ENGLISH}, "India": {"hi", "ta", "te", "ml", "kn", "mr", "bn", "pa", "gu", "ur"},
    "France": {"fr"}, "Spain": {"es", "ca"}, "Mexico": {"es"}, "Argentina": {"es"}, "Chile": {"es"},
    "Colombia": {"es"}, "Peru": {"es"}, "Uruguay": {"es"}, "Egypt": {"ar"}, "Lebanon": {"ar"},
    "Saudi Arabia": {"ar"}, "United Arab Emirates": {"ar"}, "Kuwait": {"ar"}, "Japan": {"ja"}, "Germany": {"de"},
    "Austria": {"de"}, "Indonesia": {"id"}, "Turkey": {"tr"}, "Philippines": {"tl", "fil", "en"},
    "Hong Kong": {"cn", "zh"}, "China": {"zh", "cn"}, "Taiwan": {"zh", "cn"}, "Brazil": {"pt"}, "Portugal": {"pt"},
    "Italy": {"it"}, "South Korea": {"ko"}, "Thailand": {"th"}, "Netherlands": {"nl"}, "Denmark": {"da"},
    "Poland": {"pl"}, "Norway": {"no", "nb"}, "Sweden": {"sv"}, "Israel": {"he"}, "Pakistan": {"ur"},
    "Malaysia": {"ms", "zh", "cn", "ta"}, "Vietnam": {"vi"}, "Russia": {"ru"}, "Romania": {"ro"}, "Finland": {"fi"},
}
_NAME = re.compile(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,4}$")
_NOT_A_NAME = re.compile(r"^(The|A|An|Academy|Oscar|Golden|Walt Disney|Bring) |_|Hong Kong|New York|New Line|Korean"
                         r"|Cinema|Pictures|Studios?\b|Films?\b")


def title_norm(title: str) -> str:
    text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode().lower().replace("&", " and ")
    text = " ".join(_PUNCT.sub(" ", text).split())
    return _ARTICLE.sub("", text)


def directors_from_extract(extract: str) -> list[str]:
    """'… is a 2022 film directed by Daniel Kwan and Daniel Scheinert, starring …' -> both names."""
    match = _DIRECTED.search(extract or "")
    if not match:
        return []
    names = re.split(r", and |, | and ", match.group(1).strip())
    return [n.strip() for n in names if _NAME.match(n.strip()) and not _NOT_A_NAME.search(n.strip())]


def _names(value: str | None) -> list[str]:
    """Comma-separated names ("Cuba Gooding, Jr." is one); studio tags ('20th_century_fox', 'magnolia') are not people."""
    parts = [n.strip() for n in (value or "").split(",") if n.strip() and "_" not in n and not n.strip().islower()]
    return list(join_name_parts(parts))


def load_streaming(root: Path) -> list[dict]:
    rows = []
    for name in STREAMING:
        with gzip.open(root / "streaming_catalogs" / f"{name}_titles.csv.gz", "rt", encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                year = int(r["release_year"]) if (r.get("release_year") or "").isdigit() else None
                if r.get("type") == "Movie" and year and r.get("title"):
                    country = (r.get("country") or "").split(",")[0].strip()
                    rows.append({"source": name, "title": r["title"], "year": year,
                                 "languages": COUNTRY_LANGUAGES.get(country),
                                 "directors": _names(r.get("director")), "cast": _names(r.get("cast"))})
    return rows


def load_wikipedia(root: Path) -> list[dict]:
    rows = []
    for path in sorted((root / "wikipedia_us_films").glob("movies-*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for r in json.load(fh):
                if r.get("title") and isinstance(r.get("year"), int):
                    rows.append({"source": "wikipedia", "title": r["title"], "year": r["year"],
                                 "languages": {"en"}, "directors": directors_from_extract(r.get("extract", "")),
                                 "cast": [c for c in r.get("cast") or [] if isinstance(c, str) and c.strip()],
                                 "href": r.get("href")})
    return rows


def _films_by_title_and_year(films: list[dict]) -> dict[tuple[str, int], set[int]]:
    by_key: dict[tuple[str, int], set[int]] = defaultdict(set)
    for film in films:
        if film.get("year"):
            for title in {film.get("title") or "", film.get("original_title") or ""}:
                if key := title_norm(title):
                    by_key[(key, film["year"])].add(film["id"])
    return by_key


def _take_people(entry: dict, row: dict) -> None:
    """Fill what the entry lacks (directors, cast) from the row, naming its source once."""
    for field in ("directors", "cast"):
        if not entry[field] and row[field]:
            entry[field] = row[field]
            if row["source"] not in entry["sources"]:
                entry["sources"].append(row["source"])
    if row.get("href") and "wikipedia" in entry["sources"]:
        entry.setdefault("wikipedia", row["href"])


def people_for(films: list[dict], root: Path) -> dict[int, dict]:
    """{film id: {"directors", "cast", "sources", "wikipedia"}} for films matched by exactly one rule hit."""
    by_key = _films_by_title_and_year(films)
    language = {film["id"]: film.get("original_language") for film in films}
    found: dict[int, dict] = {}
    matched = 0
    for row in load_streaming(root) + load_wikipedia(root):
        ids = by_key.get((title_norm(row["title"]), row["year"]), set())
        if len(ids) != 1:
            continue
        film_id = next(iter(ids))
        if row["languages"] and language[film_id] and language[film_id] not in row["languages"]:
            continue
        matched += 1
        _take_people(found.setdefault(film_id, {"directors": [], "cast": [], "sources": []}), row)
    log.info("film_people: %d source rows matched %d catalog films", matched, len(found))
    return found
