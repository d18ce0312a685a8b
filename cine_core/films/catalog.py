"""The bundled offline catalog (cine_core/films/data/catalog.jsonl.gz, ~44k films of every decade) as Movies.

Where the catalog filled a gap from outside TMDB, the film says so in `Movie.enrichment["catalog"]`:
`genres_inferred` (no source had genres: inferred from keywords and overview), `people_from` (directors / cast
from a streaming catalogue or Wikipedia) and `wikipedia` (the article, for attribution under CC BY-SA).

Pure: no database here. Rebuild the file with `python scripts/build_catalog.py`; `CatalogSource`
(catalog_source.py) serves it through the MovieSource interface when there is no TMDB key, and
`catalog_loader.load_catalog_into_db` copies it into `movies`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from datetime import date
from pathlib import Path

from cine_core.domain.models import Movie
from cine_core.domain.people import join_name_parts
from cine_core.memory import process_wide

log = logging.getLogger(__name__)

CATALOG_FILE = Path(__file__).resolve().parent / "data" / "catalog.jsonl.gz"
WIKIPEDIA_URL = "https://en.wikipedia.org/wiki/"


def catalog_version(path: Path = CATALOG_FILE) -> str:
    """A short content hash of the catalog file: setup records it and skips a reload of the same file."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


@process_wide
def catalog_movies() -> tuple[Movie, ...]:
    """The bundled catalog as a tuple, sorted by id; read from disk on first use (once, even when threads ask at
    the same time; a failed read is not kept)."""
    return read_catalog(CATALOG_FILE)


def read_catalog(path: Path) -> tuple[Movie, ...]:
    """Every film of a catalog file (gzip JSON lines, one film per line)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        films = tuple(_record_to_movie(json.loads(line)) for line in fh if line.strip())
    log.debug("Loaded %d catalog films from %s", len(films), path)
    return films


def _record_to_movie(record: dict) -> Movie:
    release = record.get("release_date")
    return Movie(
        id=int(record["id"]),
        title=record["title"],
        year=record.get("year"),
        release_date=date.fromisoformat(release) if release else None,
        overview=record.get("overview", ""),
        genres=tuple(record.get("genres", ())),
        keywords=tuple(record.get("keywords", ())),
        directors=join_name_parts(record.get("directors", ())),  # "Kelvin Harrison", "Jr." is one name
        cast=join_name_parts(record.get("cast", ())),
        runtime=record.get("runtime"),
        original_language=record.get("original_language"),
        popularity=float(record.get("popularity", 0.0)),
        vote_average=record.get("vote_average"),
        vote_count=int(record.get("vote_count", 0)),
        poster_path=record.get("poster_path"),
        imdb_id=record.get("imdb_id"),
        original_title=record.get("original_title"),
        certification=record.get("certification"),
        popular_rank=record.get("popular_rank"),
        enrichment=_catalog_notes(record),
        source="catalog",
    )


def _catalog_notes(record: dict) -> dict | None:
    """What the catalog filled in from outside TMDB (None for most films)."""
    notes = {}
    if record.get("genres_inferred"):
        notes["genres_inferred"] = True
    if record.get("people_from"):
        notes["people_from"] = list(record["people_from"])
    if record.get("wikipedia"):
        notes["wikipedia"] = WIKIPEDIA_URL + record["wikipedia"]
    return {"catalog": notes} if notes else None

