"""CatalogRanker: one person's history in, the whole catalog ranked out (what the worker shows as picks).

Two stages over the catalog index (LensKit's candidates → scorer → ranker):
1. candidates: the films a cheap score puts first (well known, close to loved films, collaborative
   neighbours), minus what the person rated, watched or dismissed, shorts and undated films;
2. order: by the fitted log-odds that the person watches the film plus LIKE_WEIGHT × the log-odds they like it.
The card's confidence is the `like` probability — would you rate it LIKED_STARS (3.5★, "good") or more if you
watched it — shrunk toward the population's rate while a person has few ratings.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from cine_core.recommend.ranker.collaborative import Neighbours, shipped_neighbours
from cine_core.recommend.ranker.features import COLUMN, FEATURES, HistoryItem, person_features
from cine_core.recommend.ranker.index import CatalogIndex, catalog_index
from cine_core.recommend.ranker.memo import MEMO_PEOPLE, PoolTop, RankMemo, fingerprint
from cine_core.recommend.ranker.model import RankerWeights, load_weights

log = logging.getLogger(__name__)

CANDIDATE_WEIGHTS = {"popularity": 1.0, "loved_closeness": 3.0, "collaborative": 0.5}
EVIDENCE_K = 2.0  # confidence = base + (p - base) · n / (n + k) for a person with n ratings
MAX_CONFIDENCE = 0.99  # nothing is certain
REASON_STARS = 4.0  # a reason cites only a film rated this high
CITED_AGAIN = 0.6  # a cited film's pull on the next pick's reason, per time it was already cited
MAX_CITES = 3  # a film is the reason for at most this many films of one list ("Like Parasite" 8 times of 8)
CITE_SIMILARITY = 0.12  # content cosine above which "Like X" is true to say (sharing a genre alone is ~0.05)
NEAR_FILMS = 60  # "more like this" chooses among a film's closest this many (by content)
LIKED_STARS = 3.5  # what the confidence is the chance of: a rating of 3.5★ ("good") or more


@dataclass(frozen=True, slots=True)
class RankedFilm:
    movie_id: int
    score: float  # the watch order's score + like_weight × log-odds of a like: the order (higher first)
    confidence: float  # P(rated ≥ LIKED_STARS | watched), shrunk for thin evidence
    closest_loved: int | None  # the film rated 4★+ it is closest to (a reason's evidence), if alike enough
    contributions: dict[str, float] | None = None  # per feature, to the order's log-odds (explain=True)


class CatalogRanker:
    """Ranks the catalog for one person; thread-safe, the index and weights are shared and read-only."""

    name = "catalog"

    def __init__(self, index: CatalogIndex | None = None, *, neighbours: Neighbours | None | bool = True,
                 weights: RankerWeights | None = None, memo_size: int = MEMO_PEOPLE) -> None:
        """`memo_size`: people whose catalog-wide work is kept for their next ranking (0: none; memo.py)."""
        self.index = index or catalog_index()
        if neighbours is True:
            neighbours = shipped_neighbours(self.index)
        self.neighbours = neighbours or None
        self.weights = weights or load_weights(variant="collaborative" if self.neighbours else "content")
        self.like_weight = self.weights.like_weight
        self.memo = RankMemo(memo_size) if memo_size > 0 else None

    def rank(self, history: Sequence[HistoryItem], *, exclude: Iterable[int] = (), reference: date | None = None,
             limit: int = 100, among: Iterable[int] | None = None, explain: bool = False,
             released_by: date | None = None, also: Iterable[int] = ()) -> list[RankedFilm]:
        """The best `limit` films for this person, best first.

        `among`: rank only these films (a candidate list found elsewhere); otherwise the whole catalog.
        `also`: films scored and returned wherever they rank (the scout's lists): one pass over the person's
        features serves both the catalog's best and the lists' films.
        `released_by`: leave out films released after this year (a benchmark's cut: they did not exist yet).
        A whole-catalog ranking keeps its pool's best in the memo: the same person's next ranking with other
        `also` films scores only those (the same list, bit for bit)."""
        reference = reference or date.today()
        allowed = self._allowed(history, exclude, among, released_by)
        extra = self.index.rows(list(also))
        extra = extra[allowed[extra]] if len(extra) else extra
        key = None
        if self.memo is not None and among is None and not explain:
            key = fingerprint(history, reference, allowed)
            top = self.memo.get(key, limit)
            if top is not None:
                return self._from_memo(top, history, reference, extra, limit)
        matrix = person_features(self.index, history, reference, self.neighbours).matrix
        pool = self._pool(matrix, allowed)
        rows = np.union1d(pool, extra) if len(extra) else pool
        if len(rows) == 0:
            return []
        sub = matrix[rows]
        score, like_logit = self._scores(sub)
        if key is not None:
            at = np.searchsorted(rows, pool) if len(extra) else slice(None)  # the pool's films among `rows`
            top = PoolTop.of(pool, score[at], like_logit[at], limit)
            if top is not None:
                self.memo.put(key, top)
        return self._films(history, rows, score, like_logit, _order(rows, score, extra, limit),
                           sub if explain else None)

    def _from_memo(self, top: PoolTop, history: Sequence[HistoryItem], reference: date, extra: np.ndarray,
                   limit: int) -> list[RankedFilm]:
        """The ranking from the pool's kept best and the `also` films not among them (scored now)."""
        new = np.setdiff1d(extra, top.rows)
        rows, score, like_logit = top.rows, top.score, top.like_logit
        if len(new):
            # Scored as at least two rows, as rank() scores every film: numpy sums one row's terms pairwise but
            # those of several rows one by one (a last-bit difference in the score).
            padded = np.concatenate([new, new[:1]]) if len(new) == 1 else new
            feats = person_features(self.index, history, reference, self.neighbours, rows=padded).matrix
            score_new, like_new = (a[:len(new)] for a in self._scores(feats))
            rows, score, like_logit = (np.concatenate(pair) for pair in
                                       ((rows, new), (score, score_new), (like_logit, like_new)))
        if len(rows) == 0:
            return []
        # The order rank() would see the rows in: by row when films were added (union1d), else the pool's.
        by = np.argsort(rows, kind="stable") if len(extra) else np.argsort(top.positions, kind="stable")
        rows, score, like_logit = rows[by], score[by], like_logit[by]
        return self._films(history, rows, score, like_logit, _order(rows, score, extra, limit), None)

    def _scores(self, sub: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the order's score, the like model's log-odds) of feature rows."""
        like_logit = self.weights.like.logit(sub)
        return self.weights.watch.logit(sub) + self.like_weight * like_logit, like_logit

    def _films(self, history: Sequence[HistoryItem], rows: np.ndarray, score: np.ndarray, like_logit: np.ndarray,
               order: np.ndarray, sub: np.ndarray | None) -> list[RankedFilm]:
        """RankedFilms of `rows[order]` with their confidences, reasons' evidence and (`sub` given) contributions."""
        idx, watch, like = self.index, self.weights.watch, self.weights.like
        n_rated = sum(h.rating is not None for h in history)
        base = 1.0 / (1.0 + np.exp(-like.intercept))
        like_p = 1.0 / (1.0 + np.exp(-np.clip(like_logit, -30, 30)))
        confidence = base + (like_p - base) * (n_rated / (n_rated + EVIDENCE_K))
        stars = {idx.position[h.movie_id]: h.rating for h in history
                 if h.rating is not None and h.rating >= REASON_STARS and h.movie_id in idx.position}
        closest = self._closest(np.fromiter(stars, dtype=np.int64), np.fromiter(stars.values(), dtype=np.float64),
                                rows[order]) if stars else {}
        out = []
        for i in order:
            contributions = None
            if sub is not None:
                both = watch.contributions(sub[i:i + 1])[0]
                contributions = {f: float(v) for f, v in zip(watch.features, both, strict=True)}
                for f, v in zip(like.features, like.contributions(sub[i:i + 1])[0], strict=True):
                    contributions[f] = contributions.get(f, 0.0) + self.like_weight * float(v)
            row = int(rows[i])
            out.append(RankedFilm(int(idx.ids[row]), float(score[i]),
                                  float(np.clip(confidence[i], 0.01, MAX_CONFIDENCE)), closest.get(row),
                                  contributions))
        return out

    def _allowed(self, history: Sequence[HistoryItem], exclude: Iterable[int], among: Iterable[int] | None,
                 released_by: date | None) -> np.ndarray:
        """Catalog rows that may be ranked: eligible, released by the cut, not in the history nor excluded."""
        idx = self.index
        allowed = idx.eligible.copy()
        if released_by is not None:
            allowed &= ~(idx.years > released_by.year)
        allowed[idx.rows([h.movie_id for h in history])] = False
        allowed[idx.rows(list(exclude))] = False
        if among is not None:
            wanted = np.zeros(len(idx), dtype=bool)
            wanted[idx.rows(list(among))] = True
            allowed &= wanted
        return allowed

    def _pool(self, matrix: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """The allowed rows the cheap score puts first (the best `candidate_pool`; all when fewer)."""
        rows = np.flatnonzero(allowed)
        pool = self.weights.candidate_pool
        if len(rows) > pool:
            cheap = sum(w * matrix[rows, COLUMN[f]] for f, w in CANDIDATE_WEIGHTS.items()
                        if f != "collaborative" or self.neighbours is not None)
            rows = rows[np.argpartition(-cheap, pool - 1)[:pool]]
        return rows

    def _closest(self, seeds: np.ndarray, stars: np.ndarray, rows: np.ndarray) -> dict[int, int]:
        """For each ranked row (best first), the film rated REASON_STARS or more that a reason cites: alike enough
        to say, the higher rated the better (a 5★ film outweighs a slightly closer 4★ one), and a film already
        cited counts less each time (one 4★ film was the reason for 6 of a person's 12 picks)."""
        content = self.index.content
        sims = (content[rows] @ content[seeds].T).toarray()
        strength = sims * (stars / 5.0) ** 2
        uses = np.zeros(len(seeds))
        out = {}
        for i, row in enumerate(rows):
            score = np.where((sims[i] > CITE_SIMILARITY) & (uses < MAX_CITES), strength[i] * CITED_AGAIN ** uses, -1.0)
            best = int(score.argmax())
            if score[best] > 0:
                out[int(row)] = int(self.index.ids[seeds[best]])
                uses[best] += 1
        return out


def _order(rows: np.ndarray, score: np.ndarray, extra: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the first `limit` by score (ties in `rows`' order), then the `extra` rows past them."""
    ranked = np.argsort(-score, kind="stable")
    order = ranked[:limit]
    if len(extra):
        order = np.concatenate([order, ranked[limit:][np.isin(rows[ranked[limit:]], extra)]])
    return order


_shared_lock = threading.Lock()
_shared: CatalogRanker | None = None
_warming: threading.Thread | None = None


def shared_ranker() -> CatalogRanker:
    """One CatalogRanker per process over the bundled catalog (index ~3 s to build; a failure is not cached)."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = CatalogRanker()
    return _shared


def ready_ranker() -> CatalogRanker | None:
    """The shared ranker if it is built, else None (and its build starts in the background): a page that a
    person waits on never waits for the index; it uses its own fallback meanwhile."""
    if _shared is None:
        warm_shared_ranker()
    return _shared


def warm_shared_ranker() -> threading.Thread | None:
    """Build the shared ranker on a daemon thread (once); the app calls this at start."""
    global _warming
    with _shared_lock:
        if _shared is not None or (_warming is not None and _warming.is_alive()):
            return _warming
        _warming = threading.Thread(target=_warm, daemon=True, name="warm-catalog-ranker")
        _warming.start()
        return _warming


def _warm() -> None:
    try:
        shared_ranker()
    except Exception:  # logged, not cached: the next caller tries again
        log.exception("Catalog ranker warm-up failed")


def more_like(movie_id: int, *, exclude: Iterable[int] = (), limit: int = 12) -> list[RankedFilm] | None:
    """"More like this" from the shared ranker; None while it is still warming up (see `similar_films`)."""
    ranker = ready_ranker()
    if ranker is None:
        return None
    return similar_films(ranker, movie_id, exclude=exclude, limit=limit)


def similar_films(ranker: CatalogRanker, movie_id: int, *, exclude: Iterable[int] = (),
                  limit: int = 12) -> list[RankedFilm]:
    """Films like this one: its NEAR_FILMS closest by content (keywords, people, genres), in the ranker's order
    for someone who loved it. Ranking the whole catalog for a one-film history let popularity and era swamp
    closeness (Pan's Labyrinth → Inception, Heat → Nixon), and MovieLens neighbours are films watched by the
    same people, not alike (Heat → The Green Mile): closeness decides which films, the ranker their order.
    [] for a film the catalog does not know."""
    idx = ranker.index
    row = idx.position.get(int(movie_id))
    if row is None:
        return []
    sims = np.asarray((idx.content @ idx.content[row].T).todense()).ravel()
    sims[row] = -1.0
    near = np.argpartition(-sims, min(NEAR_FILMS, len(sims) - 1))[:NEAR_FILMS]
    near = near[sims[near] > CITE_SIMILARITY]
    loved = [HistoryItem(int(movie_id), 5.0, 0.0)]
    return ranker.rank(loved, exclude=exclude, limit=limit, among=[int(idx.ids[r]) for r in near],
                       released_by=date.today())


def history_from(rated: Sequence, watched: Iterable[int] = ()) -> list[HistoryItem]:
    """HistoryItems from RatedMovies (oldest first by date) and ids of films watched without stars."""
    items = [HistoryItem(r.movie.id, float(r.rating), r.rated_at.timestamp() if r.rated_at else 0.0) for r in rated]
    rated_ids = {h.movie_id for h in items}
    items += [HistoryItem(int(m), None, 0.0) for m in watched if int(m) not in rated_ids]
    return items


__all__ = ["FEATURES", "CatalogRanker", "HistoryItem", "RankedFilm", "history_from", "more_like", "ready_ranker",
           "shared_ranker", "similar_films", "warm_shared_ranker"]
