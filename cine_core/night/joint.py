"""Joint picks for two people, from the catalog ranker (the picks' own model) run once per person over the same
candidates; a film the catalog index lacks (a live TMDB film newer than it) is judged by the local matcher.

A film's joint confidence is the weaker of the two calibrated confidences (both must like it, so the
average would let one person's enthusiasm hide the other's dislike). Films the pair can stream count
STREAM_PREFERENCE higher per member while ranking only; the stored confidence stays the weaker one.
Each member's reason cites their own film: the ranker's (or matcher's) closest highly-rated film, else their
best-rated film sharing a genre, else none. Pure: no I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.recommend.local_scorer import LocalMatcher, confidences
from cine_core.recommend.ranker.rank import CatalogRanker, history_from

log = logging.getLogger(__name__)

EVIDENCE_RATING = 4.0  # a reason cites only a film its person rated at least this
STREAM_PREFERENCE = 0.03  # confidence points per member who can stream the film, while ranking only


@dataclass(frozen=True, slots=True)
class MemberScores:
    """One person's view of the candidates: confidence per film and the film of theirs a reason cites."""

    confidence: Mapping[int, float]
    evidence: Mapping[int, RatedMovie | None]


@dataclass(frozen=True, slots=True)
class JointPick:
    movie_id: int
    rank: int
    confidence: float  # the weaker of the two
    streamable: int  # members who can stream it (0-2)
    inviter_evidence: RatedMovie | None
    invitee_evidence: RatedMovie | None


def fallback_evidence(candidate: Movie, rated: Sequence[RatedMovie]) -> RatedMovie | None:
    """The person's best-rated film (≥ EVIDENCE_RATING) sharing a director or a genre with the candidate."""
    genres = {g.casefold() for g in candidate.genres}
    directors = {d.casefold() for d in candidate.directors}

    def shared(r: RatedMovie) -> int:
        return (2 * len(directors & {d.casefold() for d in r.movie.directors})
                + len(genres & {g.casefold() for g in r.movie.genres}))

    fitting = [r for r in rated if r.rating >= EVIDENCE_RATING and shared(r) > 0]
    return max(fitting, key=lambda r: (shared(r), r.rating, -r.movie.id), default=None)


def score_member(ranker: CatalogRanker, matcher: LocalMatcher, profile: TasteProfile, rated: Sequence[RatedMovie],
                 candidates: Sequence[Movie], *, today: date) -> MemberScores:
    """Calibrated confidences and cited films for one person; films they rated are left out."""
    rated_ids = {r.movie.id for r in rated}
    films = {m.id: m for m in candidates if m.id not in rated_ids}
    by_id = {r.movie.id: r for r in rated}
    inside = [i for i in films if i in ranker.index.position]
    ranked = ranker.rank(history_from(rated), reference=today, released_by=today, among=inside,
                         limit=len(inside)) if inside else []
    confidence: dict[int, float] = {}
    evidence: dict[int, RatedMovie | None] = {}
    for film in ranked:
        confidence[film.movie_id] = film.confidence
        cited = by_id.get(film.closest_loved) if film.closest_loved is not None else None
        evidence[film.movie_id] = cited if cited is not None and cited.rating >= EVIDENCE_RATING \
            else fallback_evidence(films[film.movie_id], rated)
    outside = [m for i, m in films.items() if i not in ranker.index.position]
    if outside:
        judged = _matcher_scores(matcher, profile, rated, outside)
        confidence.update(judged.confidence)
        evidence.update(judged.evidence)
    return MemberScores(confidence, evidence)


def _matcher_scores(matcher: LocalMatcher, profile: TasteProfile, rated: Sequence[RatedMovie],
                    candidates: Sequence[Movie]) -> MemberScores:
    films, scores, raw = matcher.score(profile=profile, rated=rated, candidates=candidates)
    if not films:
        return MemberScores({}, {})
    conf = confidences(raw, scores.has_metadata, len(rated), matcher.config)
    confidence: dict[int, float] = {}
    evidence: dict[int, RatedMovie | None] = {}
    for i, movie in enumerate(films):
        confidence[movie.id] = float(conf[i])
        j = int(scores.neighbour[i])
        cited = rated[j] if j >= 0 and rated[j].rating >= EVIDENCE_RATING else None
        evidence[movie.id] = cited or fallback_evidence(movie, rated)
    return MemberScores(confidence, evidence)


def rank_joint(inviter: MemberScores, invitee: MemberScores, streamable: Mapping[int, int], *,
               limit: int) -> list[JointPick]:
    """The best `limit` films both can be judged on: those with a cited film for each first, then by the weaker
    confidence (+ the streaming preference)."""
    shared = set(inviter.confidence) & set(invitee.confidence)

    def weaker(movie_id: int) -> float:
        return min(inviter.confidence[movie_id], invitee.confidence[movie_id])

    def grounded(movie_id: int) -> bool:  # each can be told why: a film of theirs it is like
        return inviter.evidence.get(movie_id) is not None and invitee.evidence.get(movie_id) is not None

    # Films both have a reason for come first; among them, the weaker confidence (+ streaming) decides.
    order = sorted(shared, key=lambda m: (not grounded(m), -(weaker(m) + STREAM_PREFERENCE * streamable.get(m, 0)),
                                          m))
    return [JointPick(movie_id=m, rank=rank, confidence=round(min(1.0, max(0.0, weaker(m))), 4),
                      streamable=streamable.get(m, 0), inviter_evidence=inviter.evidence.get(m),
                      invitee_evidence=invitee.evidence.get(m))
            for rank, m in enumerate(order[:limit], start=1)]
