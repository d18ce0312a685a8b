"""3–5 films for one request ("something uplifting", "like Heat but shorter") or one mood chip.

Candidates come from Postgres (the catalog the app already has; never TMDB or an LLM): the request's
hard limits (runtime, era, genres to avoid, the mood's genres or keywords) are SQL filters on the most
popular films; the catalog ranker — the one that orders the picks — then scores the pool for this user, and
the request's soft part (how well a film carries the mood, how close it is to the named film) is added to
that score. A film the catalog ranker does not know (a live TMDB film newer than the catalog) ranks last.
The SQL lives in `suggest.sql`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cine_core.db import load_sql
from cine_core.domain.chat_turn import RequestSpec
from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.domain.vocabulary import MOODS, canonical_genre
from cine_core.films.rows import movies_by_ids, row_to_movie
from cine_core.recommend.features import FeatureSpace
from cine_core.recommend.local_scorer import LocalMatcher, confidences, standardise
from cine_core.recommend.reasons import MAX_REASON_CHARS, stars

log = logging.getLogger(__name__)

POOL_SIZE = 300  # most popular films passing the hard limits, scored in Python
MIN_VOTES = 150  # a suggestion should be a film people have actually seen
FEATURE_MINUTES = 70  # shorts and episodes are not what "a film for tonight" means
MOOD_WEIGHT = 3.0  # how much the mood fit (0..1) adds to the user's standardised score
LIKE_WEIGHT = 3.0  # how much likeness to the named film adds
LOVED_RATING = 4.0  # a reason cites only a film rated this high (as picks' reasons do)
LOVED_LIKENESS = 0.28  # about: the main genres and the era shared (WALL·E and Up: 0.30)


@dataclass(frozen=True, slots=True)
class Suggested:
    movie: Movie
    confidence: float
    reason: str


def _title_case(genre: str) -> str:
    return "Science Fiction" if genre == "science fiction" else "TV Movie" if genre == "tv movie" else genre.title()


def candidate_pool(conn, user_id: str, spec: RequestSpec, *, like: Sequence[Movie] = (),
                   pool_size: int = POOL_SIZE) -> list[Movie]:
    """Unrated, undismissed films that pass the request's hard limits, most popular first."""
    moods = [MOODS[m] for m in spec.moods if m in MOODS]
    any_genres = {g for m in moods if not m.needs_keyword for g in m.genres}
    any_keywords = {k for m in moods for k in m.keywords} | set(spec.keywords)
    avoid = {_title_case(canonical_genre(g)) for g in spec.avoid_genres} | {g for m in moods for g in m.excludes}
    if like and not moods:
        any_genres |= {g for film in like for g in film.genres[:2]}
    params = {
        "user_id": user_id, "min_votes": MIN_VOTES, "pool_size": pool_size, "feature_minutes": FEATURE_MINUTES,
        "any_genres": sorted(any_genres), "any_keywords": sorted(any_keywords),
        "all_genres": sorted({_title_case(canonical_genre(g)) for g in spec.genres} - avoid),
        "avoid_genres": sorted(avoid), "runtime_max": spec.runtime_max, "runtime_min": spec.runtime_min,
        "year_from": spec.year_from, "year_to": spec.year_to,
        "exclude": sorted({*spec.exclude_ids, *spec.like_ids}),
    }
    return [row_to_movie(row) for row in conn.execute(load_sql(__name__, "candidates"), params).fetchall()]


def likeness(candidate: Movie, reference: Movie) -> float:
    """0–1: shared genres, keywords and people, and a close release year."""
    def share(a, b) -> float:
        a, b = {x.lower() for x in a}, {x.lower() for x in b}
        return len(a & b) / len(a | b) if a and b else 0.0

    people = share((*candidate.directors, *candidate.cast[:4]), (*reference.directors, *reference.cast[:4]))
    era = 1.0 - min(abs((candidate.year or 0) - (reference.year or 0)), 30) / 30 if candidate.year and reference.year else 0
    return 0.4 * share(candidate.genres, reference.genres) + 0.3 * share(candidate.keywords, reference.keywords) \
        + 0.2 * min(1.0, 2 * people) + 0.1 * era


SECONDARY_MOOD = 0.6  # "cozy and atmospheric": the first mood named counts most


def mood_fit(movie: Movie, moods: Sequence[str]) -> float:
    """The best fit of the film to any of the moods, the first one weighing most (0 when none is asked for)."""
    keywords = [k.lower() for k in movie.keywords]
    return max((MOODS[m].fit(movie.genres, keywords) * (1.0 if i == 0 else SECONDARY_MOOD)
                for i, m in enumerate(moods) if m in MOODS), default=0.0)


def suggest_films(conn, user_id: str, spec: RequestSpec, *, profile: TasteProfile, rated: Sequence[RatedMovie],
                  limit: int = 5, pool_size: int = POOL_SIZE) -> list[Suggested]:
    """Up to `limit` films for the request, best first, each with a confidence and a one-line reason."""
    like = list(movies_by_ids(conn, spec.like_ids).values()) if spec.like_ids else []
    pool = candidate_pool(conn, user_id, spec, like=like, pool_size=pool_size)
    moods = [m for m in spec.moods if m in MOODS]
    if moods:
        pool = [m for m in pool if mood_fit(m, moods) > 0]
    if not pool:
        return []
    scored = _ranker_scores(rated, pool)
    if scored is None:  # the ranker is still warming up (a new process): the local matcher answers meanwhile
        raw, known = _taste_scores(profile, rated, pool)
        conf = confidences(raw, known, len(rated), LocalMatcher().config)
        scored = (raw, conf)
    raw, conf = scored
    known = np.isfinite(raw)
    z = standardise(np.where(known, raw, np.nan), known, LocalMatcher().config)
    z = np.where(known, z, (z[known].min() if known.any() else 0.0) - 1.0)
    fit = np.array([mood_fit(m, moods) for m in pool]) if moods else np.zeros(len(pool))
    near = np.array([max(likeness(m, ref) for ref in like) for m in pool]) if like else np.zeros(len(pool))
    total = z + MOOD_WEIGHT * fit + LIKE_WEIGHT * 4 * near
    chosen: list[Suggested] = []
    directors: set[str] = set()
    for i in np.argsort(-total, kind="stable"):
        movie = pool[i]
        lead = {d.lower() for d in movie.directors[:1]}
        if lead & directors and len(pool) > 2 * limit:
            continue  # five films by one director is one suggestion, not five
        directors |= lead
        chosen.append(Suggested(movie, round(float(conf[i]), 4), reason_line(movie, spec, like, moods, rated)))
        if len(chosen) == limit:
            break
    return chosen


def _ranker_scores(rated: Sequence[RatedMovie], pool: list[Movie]) -> tuple[np.ndarray, np.ndarray] | None:
    """The catalog ranker's order score and confidence for each pool film (NaN score, 0.5 when unknown);
    None while the shared ranker is not built yet."""
    from cine_core.recommend.ranker.rank import history_from, ready_ranker

    ranker = ready_ranker()
    if ranker is None:
        return None
    ranked = {f.movie_id: f for f in ranker.rank(history_from(rated), among=[m.id for m in pool],
                                                           limit=len(pool))}
    raw = np.array([ranked[m.id].score if m.id in ranked else np.nan for m in pool], dtype=float)
    conf = np.array([ranked[m.id].confidence if m.id in ranked else 0.5 for m in pool], dtype=float)
    return raw, conf


def _taste_scores(profile: TasteProfile, rated: Sequence[RatedMovie], pool: list[Movie]):
    """The local matcher's raw scores for the pool (all zero if the pool is too small to fit a space)."""
    try:
        space = FeatureSpace([*pool, *(r.movie for r in rated)])
        films, scores, raw = LocalMatcher(space=space).score(profile=profile, rated=rated, candidates=pool)
    except ValueError:  # e.g. a handful of films with too few words for the overview vectoriser
        log.info("pool of %d too small for a feature space; ranking by popularity", len(pool))
        return -np.arange(len(pool), dtype=float), np.ones(len(pool), dtype=bool)
    by_id = {m.id: i for i, m in enumerate(films)}
    out = np.array([raw[by_id[m.id]] if m.id in by_id else -np.inf for m in pool], dtype=float)
    known = np.array([m.id in by_id and bool(scores.has_metadata[by_id[m.id]]) for m in pool])
    return np.where(np.isfinite(out), out, (out[np.isfinite(out)].min() if np.isfinite(out).any() else 0) - 1), known


def closest_loved(movie: Movie, rated: Sequence[RatedMovie]) -> RatedMovie | None:
    """The film the person rated 4★ or more that this one is most like, if it is alike enough to say so."""
    loved = [r for r in rated if r.rating >= LOVED_RATING and r.movie.id != movie.id]
    if not loved:
        return None
    best = max(loved, key=lambda r: (likeness(movie, r.movie), r.rating))
    return best if likeness(movie, best.movie) >= LOVED_LIKENESS else None


def reason_line(movie: Movie, spec: RequestSpec, like: Sequence[Movie], moods: Sequence[str],
                rated: Sequence[RatedMovie] = ()) -> str:
    """One line: why this film answers the request ("Like Heat: crime and drama, 2 h 4 min"), citing a film
    the person loved when one is close ("Uplifting, and like Up, which you rated 4.5★: animation and family")."""
    what = " and ".join(g.lower() for g in movie.genres[:2]) or "a film"
    topics = [k for k in movie.keywords if any(k in MOODS[m].keywords for m in moods)][:2]
    if not topics:
        topics = list(movie.keywords[:1]) if like else []
    parts = []
    if like:
        ref = max(like, key=lambda r: likeness(movie, r))
        shared = [g.lower() for g in movie.genres if g in ref.genres][:2]
        people = [p for p in (*movie.directors, *movie.cast[:4]) if p in (*ref.directors, *ref.cast[:4])][:1]
        parts.append(f"Like {ref.title}: {' and '.join(shared) or what}" + (f" with {people[0]}" if people else ""))
    else:
        loved = closest_loved(movie, rated)
        cited = f"like {loved.movie.title}, which you rated {stars(loved.rating)}" if loved else ""
        about = what + (f" about {' and '.join(topics)}" if topics else "")
        if moods:
            best = max(moods, key=lambda m: MOODS[m].fit(movie.genres, [k.lower() for k in movie.keywords]))
            parts.append(f"{best.capitalize()}, and {cited}: {about}" if cited else f"{best.capitalize()}: {about}")
        else:
            parts.append(f"{cited[0].upper()}{cited[1:]}: {about}" if cited else about.capitalize())
    if movie.year:
        parts.append(str(movie.year))
    if movie.runtime:
        parts.append(f"{movie.runtime // 60} h {movie.runtime % 60:02d} min" if movie.runtime >= 60 else f"{movie.runtime} min")
    if movie.vote_average and movie.vote_count >= 100:
        parts.append(f"{movie.vote_average:.1f}/10 on TMDB")
    text = ", ".join(parts)
    return text if len(text) < MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1].rsplit(" ", 1)[0] + "…"
