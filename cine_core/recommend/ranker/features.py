"""What the catalog ranker knows about every catalog film for one person: a row of features per film.

A person's history is what they rated (0.5–5★) and what they only watched (no stars: evidence of what they
choose to watch, weaker than a rating and never a verdict). From it, for every catalog film:

- how well known it is (TMDB votes) and how well rated (TMDB average): people mostly watch known films;
- how close it is to the films they loved (content vectors: the profile's cosine, and the mean of the
  closest few loved films) and to the films they disliked;
- how much of their history shares its genres, its original language and its era (release years);
- how old it is at the reference date (the date of the ranking: today in the app, the cut in a benchmark).

Pure numpy/scipy over `CatalogIndex`; no database, no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from cine_core.recommend.ranker.collaborative import Neighbours
from cine_core.recommend.ranker.index import CatalogIndex, finite, log_share

FEATURES = (
    "popularity",  # log1p(TMDB votes)
    "quality",  # TMDB vote average
    "profile_closeness",  # cosine of the film to the person's weighted content profile
    "loved_closeness",  # mean cosine to the KNN closest loved (or watched) films
    "loved_closeness_log",  # its log: closeness multiplies popularity rather than adding to it
    "disliked_closeness",  # largest cosine to a film rated 2★ or less
    "genre_share",  # how much of the history shares the film's genres (log share)
    "language_share",  # how much of the history is in the film's original language (log share)
    "era_density",  # how much of the history was released near the film's year (log density)
    "age",  # years between release and the reference date (0–60)
    "fresh",  # released within a year of the reference date
    "collaborative",  # log of the MovieLens item-neighbour score (EASE) of the history; 0 when switched off
    "collaborative_known",  # the film is in the neighbour table (it can have a collaborative score at all)
    "taste_mean",  # the person's mean rating (★; 3.5 with none): how generous their stars are
    # How much history there is (log of its films) changes what counts: with 5 ratings, how well known a film is
    # says more than closeness to so few films; with 500 the reverse. The order's weights on these products are
    # fit on thin (5-rating) and full histories alike (bench.catalog_fit).
    "popularity_by_depth",  # popularity × depth
    "closeness_by_depth",  # loved_closeness_log × depth
    "collaborative_by_depth",  # collaborative × depth
    "collaborative_raw",  # log1p(100 × the EASE score, negatives as 0): the score itself, not only its log
    "collaborative_positive",  # the EASE score is above 0 (some loved film points to this one)
    # Released after the table's data ends (2018 for the shipped MovieLens table): its floor score says nothing.
    # Fit on MovieLens people seen through a table that ends years before their cut, as real people's is.
    "collaborative_late",
    # Among the films the table cannot speak for, how well known a film is has to do the table's work, and how
    # many years of such films compete grows with the table's age (3 years for a 2021 cut, 8 for today with a
    # 2018 table): fit on MovieLens people seen through tables 3 and 6 years older than their cut.
    "collaborative_late_popularity",  # collaborative_late × popularity
    "collaborative_late_by_depth",  # collaborative_late × depth
    "collaborative_late_window",  # collaborative_late × log1p(years between the table's end and the reference)
    # What one watched last says most about what one watches next (a season of noir, a director's films).
    "recent_closeness",  # largest cosine to the RECENT newest films of the history (not the disliked ones)
    "collaborative_recent",  # log of the EASE score of the RECENT newest films alone
)
COLUMN = {name: i for i, name in enumerate(FEATURES)}
KNN = 5
LOVED = 4.0  # ★: a rating at or above this is a loved film
DISLIKED = 2.0
WATCHED_WEIGHT = 0.4  # a film watched without stars, against 1.0 for a 5★ rating
RECENT_HALF_LIFE = 150  # history entries: the newest films weigh more (people's taste drifts)
MAX_SEEDS = 300  # loved films compared one by one (the newest, by weight)
ERA_BANDWIDTH = 4.0  # years
RECENT = 10  # history films that count as "what one watched last"


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One film in a person's history: a rating (★) or a watch without stars (rating None)."""

    movie_id: int
    rating: float | None
    order: float  # anything increasing with time (a timestamp); ties keep input order


@dataclass(frozen=True, slots=True)
class PersonFeatures:
    matrix: np.ndarray  # len(rows or index) × len(FEATURES), float32
    seeds: np.ndarray  # catalog rows of the loved films used for closeness (for reasons)
    seed_weights: np.ndarray


@dataclass(frozen=True, slots=True)
class _Person:
    """What one history says before any catalog film is looked at (work of the history's size)."""

    rows: np.ndarray  # catalog rows of the history's films in the catalog, in history order
    disliked: np.ndarray  # per history row: rated DISLIKED or less
    weight: np.ndarray  # per history row: how much it says about genres, languages and eras
    profile: np.ndarray | None  # the unit content profile (None: nothing positive)
    seeds: np.ndarray
    seed_weights: np.ndarray
    depth: float  # log1p(history films in the catalog)


def _weights(history: Sequence[HistoryItem], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-history-film (positive weight, dislike flag): loved films count most, the newest more."""
    ratings = np.asarray([np.nan if h.rating is None else h.rating for h in history], dtype=np.float64)
    rated = ~np.isnan(ratings)
    mean = float(np.nanmean(ratings)) if rated.any() else 3.5
    positive = np.where(rated, np.clip((ratings - min(mean, LOVED) + 1.0) / 2.0, 0.0, 1.0), WATCHED_WEIGHT)
    positive = np.where(rated & (ratings < 3.0), 0.0, positive)
    order = np.argsort(np.asarray([h.order for h in history]), kind="stable")
    newness = np.empty(len(history))
    newness[order] = np.arange(len(history))[::-1]  # 0 = newest
    recency = 0.5 ** (newness / RECENT_HALF_LIFE)
    return positive * recency, rated & (ratings <= DISLIKED)


def _person(index: CatalogIndex, known: Sequence[HistoryItem], rows: np.ndarray) -> _Person:
    positive, disliked = _weights(known, rows)
    profile = None
    if positive.sum() > 0:
        profile = index.content[rows].T @ positive
        norm = np.linalg.norm(profile)
        profile = profile / norm if norm > 0 else None
    seed_order = np.argsort(-positive, kind="stable")
    seed_order = seed_order[positive[seed_order] > 0][:MAX_SEEDS]
    weight = np.where(positive > 0, positive, 0.1)  # disliked films still say which genres/languages one tries
    return _Person(rows, disliked, weight, profile, rows[seed_order], positive[seed_order],
                   float(np.log1p(len(rows))))


def person_features(index: CatalogIndex, history: Sequence[HistoryItem], reference: date,
                    neighbours: Neighbours | None = None, *, rows: np.ndarray | None = None) -> PersonFeatures:
    """The feature matrix over the whole catalog for one person (history films in the catalog only).

    `rows`: only these catalog rows, in this order; each row holds the same numbers, bit for bit, as the
    whole catalog's matrix (every column is computed film by film), at the cost of `rows` alone."""
    known = [h for h in history if h.movie_id in index.position]
    hist_rows = np.asarray([index.position[h.movie_id] for h in known], dtype=np.int64)
    at = _Rows(index, rows)
    out = np.zeros((at.n, len(FEATURES)), dtype=np.float32)
    stars = [h.rating for h in history if h.rating is not None]
    years = _catalog_columns(out, at, reference, neighbours, float(np.mean(stars)) if stars else 3.5)
    if len(hist_rows) == 0:
        return PersonFeatures(out, np.zeros(0, dtype=np.int64), np.zeros(0))
    person = _person(index, known, hist_rows)
    _closeness(out, at, person)
    _shares(out, at, person, years, reference)
    if neighbours is not None:
        # A film outside the MovieLens table keeps the floor: imputing a typical linked film's score (so that films
        # after 2018 are not held back) sent the real people's NDCG@10 from 0.467 to 0.125 (bench.catalog_protocol,
        # 2026-12-07): it promotes obscure films as much as recent ones.
        ease = np.maximum(at.take(neighbours.scores(hist_rows)), 0.0)
        out[:, COLUMN["collaborative"]] = np.log(ease + 0.001)
        out[:, COLUMN["collaborative_by_depth"]] = out[:, COLUMN["collaborative"]] * person.depth
        out[:, COLUMN["collaborative_raw"]] = np.log1p(100.0 * ease)
        out[:, COLUMN["collaborative_positive"]] = ease > 0
    _recent_and_late(out, at, known, person, reference, neighbours)
    return PersonFeatures(out, person.seeds, person.seed_weights)


class _Rows:
    """The catalog's arrays at the rows asked for (all of them when None)."""

    def __init__(self, index: CatalogIndex, rows: np.ndarray | None) -> None:
        self.index, self.rows = index, rows
        self.n = len(index) if rows is None else len(rows)
        self.content = index.content if rows is None else index.content[rows]

    def take(self, values):
        return values if self.rows is None else values[self.rows]


def _catalog_columns(out: np.ndarray, at: _Rows, reference: date, neighbours: Neighbours | None,
                     taste_mean: float) -> np.ndarray:
    """The columns a history does not change (and the floors it lifts); returns the films' years (filled)."""
    c, index = COLUMN, at.index
    out[:, c["popularity"]] = at.take(index.log_votes)
    out[:, c["quality"]] = finite(at.take(index.vote_average), 6.0)
    years = finite(at.take(index.years), reference.year)
    out[:, c["age"]] = np.clip(reference.year - years, 0, 60)
    out[:, c["fresh"]] = (reference.year - years) <= 1
    out[:, c["loved_closeness_log"]] = np.log(0.01)
    out[:, c["taste_mean"]] = taste_mean
    if neighbours is not None:
        out[:, c["collaborative_known"]] = at.take(neighbours.known)
        out[:, c["collaborative"]] = np.log(0.001)
        out[:, c["collaborative_recent"]] = np.log(0.001)
        out[:, c["collaborative_late"]] = years > neighbours.last_year
    return years


def _closeness(out: np.ndarray, at: _Rows, person: _Person) -> None:
    """Closeness to the profile, to the closest loved films and to the disliked ones (in place)."""
    c, content = COLUMN, at.index.content
    if person.profile is not None:
        out[:, c["profile_closeness"]] = at.content @ person.profile
    if len(person.seeds):
        sims = (at.content @ content[person.seeds].T).toarray()  # sparse product: a dense copy was 6x slower
        k = min(KNN, sims.shape[1])
        top = -np.partition(-sims, k - 1, axis=1)[:, :k] if sims.shape[1] > k else sims
        out[:, c["loved_closeness"]] = top.mean(axis=1)
        out[:, c["loved_closeness_log"]] = np.log(np.maximum(top.mean(axis=1), 0.0) + 0.01)
    if person.disliked.any():
        bad = (at.content @ content[person.rows[person.disliked]].T).toarray()
        out[:, c["disliked_closeness"]] = bad.max(axis=1)
    out[:, c["popularity_by_depth"]] = out[:, c["popularity"]] * person.depth
    out[:, c["closeness_by_depth"]] = out[:, c["loved_closeness_log"]] * person.depth


def _shares(out: np.ndarray, at: _Rows, person: _Person, years: np.ndarray, reference: date) -> None:
    """How much of the history shares each film's genres, original language and era (in place)."""
    c, index, rows, weight = COLUMN, at.index, person.rows, person.weight
    total = float(weight.sum())
    per_genre = log_share(index.genres[rows].T @ weight, total, index.genres.shape[1])
    genres = at.take(index.genres)
    genre_n = np.asarray(genres.sum(axis=1)).ravel()
    out[:, c["genre_share"]] = np.where(genre_n > 0, (genres @ per_genre) / np.maximum(genre_n, 1),
                                        per_genre.min(initial=0.0))
    lang = index.language[rows]
    lang_counts = np.bincount(lang[lang >= 0], weights=weight[lang >= 0], minlength=len(index.languages))
    per_lang = log_share(lang_counts, total, len(index.languages))
    language = at.take(index.language)
    out[:, c["language_share"]] = np.where(language >= 0, per_lang[np.maximum(language, 0)], per_lang.min(initial=0.0))
    hist_years = index.years[rows]
    ok = ~np.isnan(hist_years)
    if ok.any():
        grid = np.arange(1880, reference.year + 2, dtype=np.float64)
        kernel = np.exp(-0.5 * ((grid[:, None] - hist_years[ok][None, :]) / ERA_BANDWIDTH) ** 2) @ weight[ok]
        density = np.log(kernel / kernel.sum() + 1e-4)
        out[:, c["era_density"]] = density[np.clip((years - 1880).astype(np.int64), 0, len(grid) - 1)]


def _recent_and_late(out: np.ndarray, at: _Rows, known: Sequence[HistoryItem], person: _Person, reference: date,
                     neighbours: Neighbours | None) -> None:
    """The last RECENT films' closeness and EASE score, and the products of lateness (in place)."""
    c = COLUMN
    newest = np.argsort(np.asarray([h.order for h in known]), kind="stable")[::-1]
    newest = person.rows[newest[~person.disliked[newest]][:RECENT]]
    if len(newest):
        out[:, c["recent_closeness"]] = (at.content @ at.index.content[newest].T).toarray().max(axis=1)
        if neighbours is not None:
            out[:, c["collaborative_recent"]] = np.log(np.maximum(at.take(neighbours.scores(newest)), 0.0) + 0.001)
    if neighbours is not None:
        late = out[:, c["collaborative_late"]]
        out[:, c["collaborative_late_popularity"]] = late * out[:, c["popularity"]]
        out[:, c["collaborative_late_by_depth"]] = late * person.depth
        out[:, c["collaborative_late_window"]] = late * np.log1p(max(reference.year - neighbours.last_year, 0))
