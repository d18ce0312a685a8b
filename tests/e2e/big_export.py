"""A large Letterboxd export ZIP built for the browser journey: the real 2022 export (MIT, in ../shared) topped
up with generated rows from the catalog to a cinephile's size: ~900 ratings, 2,500 watchlist films and ~900
reviews with Letterboxd's HTML markup. Built in a temporary folder by the test; never committed."""

from __future__ import annotations

import csv
import io
import os
import random
import zipfile
from datetime import date, timedelta
from pathlib import Path

from cine_core.config import PROJECT_ROOT
from cine_core.films.catalog import catalog_movies

# The shared data folder beside the checkout (or CINE_SHARED_DIR); a clone elsewhere gets generated rows only.
_SHARED = Path(os.environ.get("CINE_SHARED_DIR") or PROJECT_ROOT.parent / "shared")
REAL_EXPORT = _SHARED / "data" / "real_exports" / "letterboxd_2022"
FIELDS = {"ratings.csv": ["Date", "Name", "Year", "Letterboxd URI", "Rating"],
          "watchlist.csv": ["Date", "Name", "Year", "Letterboxd URI"],
          "reviews.csv": ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Review", "Tags",
                          "Watched Date"]}
RATINGS = 900
WATCHLIST = 2_500
REVIEWS = 900
SEED = 23
MARKUP = ("<i>{title}</i> is <b>exactly</b> what I needed.", "Rewatched with friends.<br/>Still <i>great</i>.",
          'See <a href="https://boxd.it/abc&quot;&gt;">my list</a> &amp; notes.', "<p>Slow, but it stays with you.</p>")


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    if not (REAL_EXPORT / name).exists():
        return list(FIELDS[name]), []
    with (REAL_EXPORT / name).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _csv(fields: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def build_big_export(folder: Path) -> Path:
    """The ZIP's path; ratings, watchlist and reviews are each real rows first, then generated ones."""
    rng = random.Random(SEED)
    films = sorted((m for m in catalog_movies() if m.year and m.vote_count >= 50), key=lambda m: -m.vote_count)
    rng.shuffle(films)
    day = date(2022, 6, 1)

    def row(movie, n: int) -> dict[str, str]:
        return {"Date": str(day - timedelta(days=n % 1500)), "Name": movie.title, "Year": str(movie.year),
                "Letterboxd URI": f"https://boxd.it/gen{movie.id}"}

    rating_fields, ratings = _read("ratings.csv")
    rated = films[:RATINGS - len(ratings)]
    ratings += [{**row(m, n), "Rating": str(rng.choice([2, 2.5, 3, 3.5, 3.5, 4, 4, 4.5, 5]))} for n, m in enumerate(rated)]
    watch_fields, watchlist = _read("watchlist.csv")
    listed = films[RATINGS:RATINGS + WATCHLIST - len(watchlist)]
    watchlist += [row(m, n) for n, m in enumerate(listed)]
    review_fields, reviews = _read("reviews.csv")
    reviews += [{**row(m, n), "Rating": "", "Rewatch": "", "Tags": "", "Watched Date": row(m, n)["Date"],
                 "Review": rng.choice(MARKUP).format(title=m.title)} for n, m in enumerate(rated[:REVIEWS - len(reviews)])]
    path = folder / "letterboxd-big-export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ratings.csv", _csv(rating_fields, ratings))
        archive.writestr("watchlist.csv", _csv(watch_fields, watchlist))
        archive.writestr("reviews.csv", _csv(review_fields, reviews))
        for name in ("diary.csv", "watched.csv"):
            if (REAL_EXPORT / name).exists():
                archive.write(REAL_EXPORT / name, name)
    return path
