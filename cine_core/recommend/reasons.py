"""One-sentence reasons for local matches, citing the user's own film and rating or a stated preference."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.recommend.features import CAST_PEOPLE, movie_tokens
from cine_core.taste.summary import label_for

log = logging.getLogger(__name__)

MAX_REASON_CHARS = 220


def stars(rating: float) -> str:
    return f"{rating:g}★"


def _allowed(names: Sequence[str], prefix: str, removed: frozenset[str]) -> list[str]:
    return [n for n in names if f"{prefix}:{n}" not in removed]


def describe(candidate: Movie, evidence: Movie | None, removed: frozenset[str]) -> str:
    """What the candidate shares with `evidence` (or, without it, what it is): genres, topics, people."""
    cand = {f: movie_tokens(candidate, f) for f in ("genre", "keyword", "person")}
    if evidence is not None:
        other = {f: set(movie_tokens(evidence, f)) for f in cand}
        shared = {f: [t for t in cand[f] if t in other[f]] for f in cand}
    else:
        shared = {"genre": cand["genre"][:2], "keyword": [], "person": []}
    genres = _allowed(shared["genre"], "genre", removed)[:2] or _allowed(cand["genre"], "genre", removed)[:1]
    keywords = _allowed(shared["keyword"], "keyword", removed)[:2]
    people = _allowed(shared["person"], "person", removed)
    directors = {d.strip().lower() for d in candidate.directors}
    phrase = " and ".join(genres) if genres else "a film"
    if keywords:
        phrase += f" about {' and '.join(keywords)}"
    names = {n.strip().lower(): n.strip() for n in (*candidate.directors, *candidate.cast[:CAST_PEOPLE])}
    director = next((names[p] for p in people if p in directors), None)
    actor = next((names[p] for p in people if p not in directors), None)
    if director:
        phrase += f" from {director}"
    elif actor:
        phrase += f" with {actor}"
    return phrase


def stated_evidence(candidate: Movie, profile: TasteProfile) -> str | None:
    """The most recent thing the user told us in chat that this film satisfies, as a label."""
    tokens = {f: set(movie_tokens(candidate, f)) for f in ("genre", "keyword", "person")}
    text = (candidate.overview or "").lower()
    for key in profile.recent_learning:
        if key in profile.removed:
            continue
        kind, _, name = key.partition(":")
        if kind == "genre" and name in tokens["genre"] and profile.genres.get(name, 0) > 0:
            return label_for(key, profile).lower() if name != "science fiction" else "sci-fi"
        if kind == "person" and name in tokens["person"] and profile.people.get(name, 0) > 0:
            return label_for(key, profile)
        if kind in ("theme", "style") and (name in tokens["keyword"] or f" {name}" in f" {text}"):
            if (profile.themes if kind == "theme" else profile.visual_style).get(name, 0) > 0:
                return name if kind == "theme" else f"{name} visuals"
    return None


def reason_for(
    candidate: Movie,
    *,
    profile: TasteProfile,
    neighbour: RatedMovie | None,
    strongest: str,
) -> str:
    """One sentence; `strongest` is the feature family that contributed most to the score."""
    removed = profile.removed
    stated = stated_evidence(candidate, profile)
    # A stated preference beats diffuse evidence (genre, people, overview wording); only a close film does not.
    if stated and (strongest == "stated" or neighbour is None or strongest in ("genre", "person", "text", "decade")):
        text = f"You told me you love {stated}: {describe(candidate, None, removed)}"
        if profile.pacing == "faster" and candidate.runtime and candidate.runtime <= 105:
            text += f", and at {candidate.runtime} minutes it keeps moving"
    elif neighbour is not None:
        text = (f"Like {neighbour.movie.title}, which you rated {stars(neighbour.rating)}: "
                f"{describe(candidate, neighbour.movie, removed)}")
    elif candidate.vote_average and candidate.vote_count >= 50:
        text = f"A well-reviewed pick: {describe(candidate, None, removed)} rated {candidate.vote_average:.1f}/10 on TMDB"
    else:
        text = f"Little to go on yet: {describe(candidate, None, removed)} you have not rated"
    text = text.strip()
    if len(text) > MAX_REASON_CHARS - 1:
        return text[: MAX_REASON_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:—-") + "…"
    return text if text.endswith((".", "!", "?")) else text + "."  # "…with Robert Downey Jr." ends once
