"""Film feature matrices for the local matcher: genres, keywords, people, decade, overview TF-IDF, quality.

A FeatureSpace is fitted once on a corpus (the offline catalog) and cached; films outside the corpus
are encoded on the fly with the same vocabulary, so TMDB films the catalog lacks can still be scored.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from cine_core.domain.models import Movie
from cine_core.films.catalog import catalog_movies

log = logging.getLogger(__name__)

FAMILIES = ("genre", "keyword", "person")  # the token families; removal keys use the same prefixes
CAST_PEOPLE = 3  # top-billed actors that count as "people" (further down the bill says little about taste)
PRIOR_VOTES = 200  # Bayesian vote average: a film needs this many votes to move far from the mean
MAX_TFIDF_FEATURES = 30_000
SPACE_MIN_VOTES = 100  # films in the catalog-wide space (others are still encoded, with its vocabulary)
SIMILARITY_WEIGHTS = {"genre": 0.5, "keyword": 1.0, "person": 1.0}  # genres alone make weak neighbours
MAX_EXTRA_ROWS = 20_000  # encoded films outside the corpus kept per space (then the store starts afresh)


def movie_tokens(movie: Movie, family: str) -> list[str]:
    """Lower-case tokens of one family; the same normalisation as taste_build uses for profiles."""
    if family == "genre":
        names: Iterable[str] = movie.genres
    elif family == "keyword":
        names = movie.keywords
    else:
        names = (*movie.directors, *movie.cast[:CAST_PEOPLE])
    return list(dict.fromkeys(n.strip().lower() for n in names if n and n.strip()))


@dataclass(frozen=True, slots=True)
class Encoded:
    """Feature rows for a list of films, row i = films[i]."""

    tokens: dict[str, sparse.csr_matrix]  # family -> binary rows
    text: sparse.csr_matrix  # L2-normalised TF-IDF rows (all-zero for films without an overview)
    decade: np.ndarray  # int, 0 = unknown
    year: np.ndarray  # int, 0 = unknown
    runtime: np.ndarray  # minutes, nan = unknown
    quality: np.ndarray  # Bayesian vote average minus the corpus mean (0 = unknown)
    votes: np.ndarray  # log1p(vote_count)
    has_metadata: np.ndarray  # bool: any genre/keyword/person/overview at all
    similar: sparse.csr_matrix  # similarity_rows(tokens): what film-to-film similarity compares


class FeatureSpace:
    """Vocabularies, base rates and cached rows of a film corpus."""

    def __init__(self, corpus: Sequence[Movie]):
        self.vocab: dict[str, dict[str, int]] = {}
        for family in FAMILIES:
            names = sorted({t for m in corpus for t in movie_tokens(m, family)})
            self.vocab[family] = {name: i for i, name in enumerate(names)}
        rated_votes = [(m.vote_average, m.vote_count) for m in corpus if m.vote_average and m.vote_count]
        total = sum(c for _, c in rated_votes)
        self.mean_vote = sum(a * c for a, c in rated_votes) / total if total else 6.0
        texts = [m.overview or "" for m in corpus]
        self.tfidf = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, min_df=2, max_df=0.5, max_features=MAX_TFIDF_FEATURES,
            dtype=np.float32,
        )
        self._fitted_text = any(texts)
        corpus_text = self.tfidf.fit_transform(texts).tocsr() if self._fitted_text else None
        self.index = {m.id: i for i, m in enumerate(corpus)}
        self.corpus = self._encode(corpus, corpus_text)
        n = max(len(corpus), 1)
        # Share of films carrying each token: what a profile must beat to count as a preference.
        self.base_rate = {f: np.asarray(self.corpus.tokens[f].sum(axis=0)).ravel() / n for f in FAMILIES}
        decades, counts = np.unique(self.corpus.decade[self.corpus.decade > 0], return_counts=True)
        self.decade_base = {int(d): c / n for d, c in zip(decades, counts, strict=True)}
        # Era density as people watch it (films weighted by log votes), not as TMDB lists it: the catalog
        # holds every obscure 2000s-2020s film, which would otherwise make any recent era look "common".
        dated = self.corpus.year > 0
        self.years, where = np.unique(self.corpus.year[dated], return_inverse=True)
        weights = np.bincount(where, weights=self.corpus.votes[dated], minlength=len(self.years))
        self.year_shares = weights / weights.sum() if weights.sum() > 0 else weights
        self.mean_votes = float(self.corpus.votes.mean()) if len(corpus) else 0.0
        self.std_votes = float(self.corpus.votes.std()) or 1.0 if len(corpus) else 1.0
        # Films outside the corpus, encoded once per version of their data (a refresh meets the same trending
        # and list films again and again): (row of each film key, the corpus rows and theirs), replaced whole
        # under the lock.
        self._extra: tuple[dict[tuple, int], Encoded] = ({}, self.corpus)
        self._extra_lock = threading.Lock()
        log.info("feature space: %d films, %s tokens", len(corpus), {f: len(v) for f, v in self.vocab.items()})

    def _encode(self, movies: Sequence[Movie], text: sparse.csr_matrix | None = None) -> Encoded:
        tokens = {}
        for family in FAMILIES:
            vocab = self.vocab[family]
            rows, cols = [], []
            for r, movie in enumerate(movies):
                for token in movie_tokens(movie, family):
                    col = vocab.get(token)
                    if col is not None:
                        rows.append(r)
                        cols.append(col)
            data = np.ones(len(rows), dtype=np.float32)
            tokens[family] = sparse.csr_matrix((data, (rows, cols)), shape=(len(movies), len(vocab)))
        if text is None and self._fitted_text:
            text = self.tfidf.transform([m.overview or "" for m in movies]).tocsr()
        elif text is None:
            text = sparse.csr_matrix((len(movies), 1), dtype=np.float32)
        quality = np.array([self._bayes(m) for m in movies], dtype=np.float64)
        has_tokens = sum((tokens[f].getnnz(axis=1) > 0).astype(int) for f in FAMILIES) > 0
        return Encoded(
            similar=similarity_rows(tokens),
            tokens=tokens,
            text=text,
            decade=np.array([m.decade or 0 for m in movies], dtype=np.int64),
            year=np.array([m.year or 0 for m in movies], dtype=np.int64),
            runtime=np.array([m.runtime if m.runtime else np.nan for m in movies], dtype=np.float64),
            quality=quality,
            votes=np.array([math.log1p(max(m.vote_count, 0)) for m in movies], dtype=np.float64),
            has_metadata=np.asarray(has_tokens | (text.getnnz(axis=1) > 0)),
        )

    def _bayes(self, movie: Movie) -> float:
        if movie.vote_average is None or movie.vote_count <= 0:
            return 0.0
        votes = movie.vote_count
        return (votes * movie.vote_average + PRIOR_VOTES * self.mean_vote) / (votes + PRIOR_VOTES) - self.mean_vote

    def encode(self, movies: Sequence[Movie]) -> Encoded:
        """Rows for `movies`: cached rows for corpus films, rows encoded once per film version for the rest."""
        known = [self.index.get(m.id) for m in movies]
        if all(k is not None for k in known):
            return _take(self.corpus, np.asarray(known, dtype=np.int64))
        keys = {i: _film_key(m) for i, m in enumerate(movies) if known[i] is None}
        extra, rows = self._extra
        if any(key not in extra for key in keys.values()):
            extra, rows = self._add_rows({key: movies[i] for i, key in keys.items()})
        where = [extra[keys[i]] if k is None else k for i, k in enumerate(known)]
        return _take(rows, np.asarray(where, dtype=np.int64))

    def _add_rows(self, films: dict[tuple, Movie]) -> tuple[dict[tuple, int], Encoded]:
        """Encode the films outside the corpus not met before and keep their rows after the corpus rows (a row
        depends only on the film's data, so each version of a film is encoded once per space, and a list of
        corpus and other films is one take of rows)."""
        with self._extra_lock:
            extra, rows = self._extra
            new = {key: movie for key, movie in films.items() if key not in extra}
            if not new:
                return extra, rows
            if len(extra) + len(new) > MAX_EXTRA_ROWS:  # start afresh, with every film asked for now
                extra, rows, new = {}, self.corpus, dict(films)
            start = len(rows.year)
            extra = {**extra, **{key: start + i for i, key in enumerate(new)}}
            rows = _stack(rows, self._encode(list(new.values())))
            self._extra = (extra, rows)
            return extra, rows

    def year_base(self, years: np.ndarray, scale: float) -> np.ndarray:
        """Catalog density of release years near each year (exp(-|Δyear| / scale) kernel)."""
        if not len(self.years):
            return np.zeros(len(years))
        return np.exp(-np.abs(years[:, None] - self.years[None, :]) / scale) @ self.year_shares

    def columns(self, family: str, names: Iterable[str]) -> np.ndarray:
        vocab = self.vocab[family]
        return np.asarray([vocab[n] for n in names if n in vocab], dtype=np.int64)


def similarity_rows(tokens: dict[str, sparse.csr_matrix], drop: dict[str, np.ndarray] | None = None) -> sparse.csr_matrix:
    """The token families side by side, weighed by SIMILARITY_WEIGHTS, each row L2-normalised: film-to-film
    similarity is a product of these rows. `drop`: columns per family masked out (a person's removed tokens).
    Row by row, so rows computed once for the corpus equal rows computed for a few films."""
    blocks = []
    for family in FAMILIES:
        block = tokens[family] * SIMILARITY_WEIGHTS[family]
        cols = drop.get(family) if drop else None
        if cols is not None and len(cols):
            keep = np.ones(block.shape[1])
            keep[cols] = 0.0
            block = block @ sparse.diags(keep)
        blocks.append(block)
    combined = sparse.hstack(blocks).tocsr()
    norms = np.sqrt(np.asarray(combined.multiply(combined).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.maximum(norms, 1e-9)) @ combined


def _film_key(movie: Movie) -> tuple:
    """What a film's row is computed from (FeatureSpace._encode)."""
    return (movie.id, tuple(movie.genres), tuple(movie.keywords), tuple(movie.directors),
            tuple(movie.cast[:CAST_PEOPLE]), movie.overview, movie.year, movie.runtime, movie.vote_average,
            movie.vote_count)


def _take(enc: Encoded, rows: np.ndarray) -> Encoded:
    return Encoded(
        tokens={f: m[rows] for f, m in enc.tokens.items()}, text=enc.text[rows], decade=enc.decade[rows],
        year=enc.year[rows], runtime=enc.runtime[rows], quality=enc.quality[rows], votes=enc.votes[rows],
        has_metadata=enc.has_metadata[rows], similar=enc.similar[rows],
    )


def _stack(a: Encoded, b: Encoded) -> Encoded:
    return Encoded(
        tokens={f: sparse.vstack([a.tokens[f], b.tokens[f]]).tocsr() for f in a.tokens},
        text=sparse.vstack([a.text, b.text]).tocsr(), decade=np.concatenate([a.decade, b.decade]),
        year=np.concatenate([a.year, b.year]),
        runtime=np.concatenate([a.runtime, b.runtime]), quality=np.concatenate([a.quality, b.quality]),
        votes=np.concatenate([a.votes, b.votes]), has_metadata=np.concatenate([a.has_metadata, b.has_metadata]),
        similar=sparse.vstack([a.similar, b.similar]).tocsr(),
    )


@functools.cache
def catalog_feature_space() -> FeatureSpace | None:
    """The space fitted on the offline catalog, once per process; None if the catalog is unavailable."""
    try:
        films = catalog_movies()
    except OSError:
        log.warning("offline catalog not available; the local matcher fits on each call's films")
        return None
    # Fitted on the films people actually watch: with every obscure film of 2000-2025 in the corpus, token and
    # era base rates drift and the signals weaken (uniform NDCG@10 0.512 on all 43k films, 0.519 on these).
    return FeatureSpace([m for m in films if m.vote_count >= SPACE_MIN_VOTES])
