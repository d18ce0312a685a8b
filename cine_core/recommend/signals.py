"""Per-family scores of candidate films against one person (vectorised; the benchmark calls this for
thousands of users). Every family honours `profile.removed`: removed tokens are masked out of both the
profile and the film-to-film similarity, so a deleted preference has no effect on matching at all."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
from scipy import sparse

from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.domain.vocabulary import MOOD_GENRES
from cine_core.recommend.config import MatcherConfig
from cine_core.recommend.features import FAMILIES, FeatureSpace, movie_tokens, similarity_rows
from cine_core.taste.profile import rating_weights

log = logging.getLogger(__name__)

DECADE_SPILL = 0.5  # loving the 1990s says something about 1980s and 2000s films too
PACE_PIVOT_MINUTES = 105.0
CITE_PIVOT = 3.5  # a reason cites only films rated 4★ or more ("Like X, which you rated 4★")
PACE_SPAN_MINUTES = 45.0


@dataclass(frozen=True, slots=True)
class FamilyScores:
    genre: np.ndarray
    keyword: np.ndarray
    person: np.ndarray
    text: np.ndarray
    decade: np.ndarray
    year: np.ndarray
    similar: np.ndarray
    pacing: np.ndarray
    stated: np.ndarray
    quality: np.ndarray  # Bayesian vote average minus the catalog mean
    popularity: np.ndarray  # z-scored log vote count
    taste_popularity: np.ndarray  # popularity × the user's own mean z-scored log vote count (blockbuster vs niche)
    has_metadata: np.ndarray
    neighbour: np.ndarray  # index into `rated` of the most similar liked film, -1 if none

    @classmethod
    def empty(cls, n: int) -> FamilyScores:
        values = {f.name: np.zeros(n) for f in fields(cls)}
        values["neighbour"] = np.full(n, -1)
        return cls(**values)

    def strongest(self, i: int, config: MatcherConfig) -> str:
        """The content family that added most to film i's score (the prior and release year are never a reason)."""
        names = ("genre", "keyword", "person", "text", "decade", "similar", "stated")
        return max(names, key=lambda name: getattr(config, name) * getattr(self, name)[i])


def _removed(profile: TasteProfile, prefix: str) -> list[str]:
    return [key.partition(":")[2] for key in profile.removed if key.startswith(prefix + ":")]


def _token_scores(
    space: FeatureSpace, profile: TasteProfile, matrix, family: str, norm: float, lift: float | None
) -> np.ndarray:
    affinities = {"genre": profile.genres, "keyword": profile.keywords, "person": profile.people}[family]
    vocab = space.vocab[family]
    base = space.base_rate[family].astype(np.float64)
    shares = np.zeros(len(base))
    for name, value in affinities.items():
        col = vocab.get(name)
        if col is not None:
            shares[col] = value
    if lift is None:
        vector = shares - base  # a share must beat the catalog's to count
    else:  # log-lift: a rare token the user loves says far more than a common one
        vector = np.log(np.maximum(shares + lift, lift / 2) / (base + lift))
    vector[space.columns(family, _removed(profile, family))] = 0.0
    counts = np.maximum(matrix.getnnz(axis=1), 1)
    return np.asarray(matrix @ vector).ravel() / counts**norm


def _decade_scores(space: FeatureSpace, profile: TasteProfile, decades: np.ndarray) -> np.ndarray:
    removed = {int(d) for d in _removed(profile, "decade") if d.isdigit()}

    def share(table, d):
        return 0.0 if d in removed else table.get(d, 0.0)

    out = np.zeros(len(decades))
    for d in np.unique(decades):  # a dozen decades for any number of films
        if d:
            near = (d - 10, d + 10)
            liked = share(profile.decades, d) + DECADE_SPILL * sum(share(profile.decades, x) for x in near)
            base = share(space.decade_base, d) + DECADE_SPILL * sum(share(space.decade_base, x) for x in near)
            out[decades == d] = liked - base
    return out


def _year_scores(
    space: FeatureSpace, profile: TasteProfile, rated: Sequence[RatedMovie], years: np.ndarray, config: MatcherConfig
) -> np.ndarray:
    """Closeness of release year to the films the user chose lately (every rating counts: watching a film
    says which era you watch), minus the catalog's density there; removed decades count for nothing."""
    removed = {int(d) for d in _removed(profile, "decade") if d.isdigit()}
    chosen = replace(config.profile, pivot=0.0, power=0.0, floor=0.0, negative_weight=0.0)
    weights = np.asarray(rating_weights(rated, chosen), dtype=np.float64)
    mine = np.asarray([r.movie.year or 0 for r in rated], dtype=np.float64)
    keep = (mine > 0) & np.asarray([(r.movie.decade or 0) not in removed for r in rated], dtype=bool)
    valid = (years > 0) & ~np.isin(years // 10 * 10, list(removed))
    if not keep.any() or not valid.any() or weights[keep].sum() <= 0:
        return np.zeros(len(years))
    kernel = np.exp(-np.abs(years[:, None] - mine[None, keep]) / config.year_scale)
    liked = kernel @ weights[keep] / weights[keep].sum()
    return np.where(valid, liked - space.year_base(years.astype(np.float64), config.year_scale), 0.0)


def _masked_tokens(space: FeatureSpace, profile: TasteProfile, encoded) -> sparse.csr_matrix:
    drop = {family: space.columns(family, _removed(profile, family)) for family in FAMILIES}
    if not any(len(cols) for cols in drop.values()):
        return encoded.similar  # computed with the rows (features.similarity_rows)
    return similarity_rows(encoded.tokens, drop)


def _stated_scores(profile: TasteProfile, films: Sequence[Movie]) -> np.ndarray:
    """Themes, styles and moods said in chat: matched against keywords, overview and mood genres."""
    if not (profile.themes or profile.visual_style or profile.moods):
        return np.zeros(len(films))
    out = np.zeros(len(films))
    for i, movie in enumerate(films):
        keywords = set(movie_tokens(movie, "keyword"))
        genres = set(movie_tokens(movie, "genre"))
        text = f" {(movie.overview or '').lower()} "
        for name, value in profile.themes.items():
            if name in keywords or f" {name}" in text:
                out[i] += value
        for name, value in profile.visual_style.items():
            if name in keywords or f" {name}" in text:
                out[i] += 0.5 * value
        for name, value in profile.moods.items():
            if genres & set(MOOD_GENRES.get(name, ())):
                out[i] += 0.5 * value
    return out


def score_families(
    space: FeatureSpace, profile: TasteProfile, rated: Sequence[RatedMovie], films: Sequence[Movie], config: MatcherConfig
) -> FamilyScores:
    n = len(films)
    cand = space.encode(films)
    scores = {
        family: _token_scores(space, profile, cand.tokens[family], family, config.token_norm, config.lift)
        for family in FAMILIES
    }
    weights = np.asarray(rating_weights(rated, config.profile), dtype=np.float64)
    liked = np.flatnonzero(weights > 0)
    text = np.zeros(n)
    similar = np.zeros(n)
    neighbour = np.full(n, -1)
    if len(liked):
        mine = space.encode([rated[j].movie for j in liked])
        w = weights[liked]
        centroid = np.asarray(mine.text.T @ w).ravel()
        norm = np.linalg.norm(centroid)
        if norm > 0:
            text = np.asarray(cand.text @ (centroid / norm)).ravel()
        sims = (_masked_tokens(space, profile, cand) @ _masked_tokens(space, profile, mine).T).toarray()
        weighted = sims * (w / w.max())[None, :]
        k = min(config.neighbours, len(liked))
        top = np.partition(weighted, len(liked) - k, axis=1)[:, len(liked) - k:]
        similar = top.mean(axis=1)
        # The film a reason cites: the closest film the person rated highly, imported or rated today alike
        # (recency decides what counts for the score, not which of their films a pick resembles most).
        citable = np.asarray([max(rated[j].rating - CITE_PIVOT, 0.0) for j in liked])
        cited = sims * citable[None, :]
        best = cited.argmax(axis=1)
        has_neighbour = cited[np.arange(n), best] > 0
        neighbour = np.where(has_neighbour, liked[best], -1)
    popularity = (cand.votes - space.mean_votes) / space.std_votes
    # How mainstream this person's choices are (every rated film counts, as in the year kernel): the
    # popularity prior scales with it, so niche watchers get less of a push towards blockbusters.
    mine_votes = np.asarray([np.log1p(max(r.movie.vote_count, 0)) for r in rated], dtype=np.float64)
    own_popularity = float((mine_votes - space.mean_votes).mean() / space.std_votes) if len(rated) else 0.0
    pacing = np.zeros(n)
    if profile.pacing in ("faster", "slower"):
        direction = 1.0 if profile.pacing == "faster" else -1.0
        pace = np.clip((PACE_PIVOT_MINUTES - cand.runtime) / PACE_SPAN_MINUTES, -1, 1) * direction
        pacing = np.nan_to_num(pace, nan=0.0)
    return FamilyScores(
        genre=scores["genre"], keyword=scores["keyword"], person=scores["person"], text=text,
        decade=_decade_scores(space, profile, cand.decade), year=_year_scores(space, profile, rated, cand.year, config),
        similar=similar, pacing=pacing,
        stated=_stated_scores(profile, films), quality=cand.quality,
        popularity=popularity, taste_popularity=popularity * own_popularity, has_metadata=cand.has_metadata,
        neighbour=neighbour,
    )
