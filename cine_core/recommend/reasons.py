"""One-sentence reasons for local matches, citing the user's own film and rating or a stated preference.

Written as a person would: genres as a phrase ("a sci-fi thriller"), names exactly as the catalog spells them
(never re-cased), no raw keyword tags. When the film carries a Wikipedia summary (the scout's enrichment),
its own first-sentence description ("a 2016 American science fiction drama film directed by Denis
Villeneuve") replaces the genre phrase: one concrete fact instead of a label.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.recommend.features import CAST_PEOPLE, movie_tokens
from cine_core.taste.summary import label_for

log = logging.getLogger(__name__)

MAX_REASON_CHARS = 220
MAX_WIKI_PHRASE_CHARS = 110
WELL_REVIEWED_AVERAGE = 7.0  # "well-reviewed" must mean it: TMDB average and enough votes to trust it
WELL_REVIEWED_VOTES = 1000
ADJECTIVES = {"science fiction": "sci-fi", "animation": "animated", "history": "historical", "music": "musical",
              "romance": "romantic", "tv movie": "TV", "family": "family", "comedy": "comic", "war": "war"}
NOUNS = {"science fiction": "sci-fi film", "action": "action film", "animation": "animated film",
         "crime": "crime film", "family": "family film", "history": "period film", "horror": "horror film",
         "music": "music film", "war": "war film", "tv movie": "TV film", "adventure": "adventure"}
HEADS = ("drama", "comedy", "thriller", "western", "romance", "horror", "mystery", "documentary", "fantasy",
         "science fiction", "crime", "war", "adventure", "action", "animation")  # which genre names the film best as a noun
_WIKI_TAIL = re.compile(r"\s(?:and written|and produced|written by|produced by|starring|based on|and stars)\b.*$")
_WIKI_IS = re.compile(r"\b(?:is|was) (an? [^.;()]+?(?:film|movie|documentary|feature)[^.;()]*?)(?=[.;,(]|$)")


def stars(rating: float) -> str:
    return f"{rating:g}★"


def _allowed(names: Sequence[str], prefix: str, removed: frozenset[str]) -> list[str]:
    return [n for n in names if f"{prefix}:{n}" not in removed]


def _article(phrase: str) -> str:
    return f"{'an' if phrase[:1].lower() in 'aeio' else 'a'} {phrase}"


def genre_phrase(genres: Sequence[str]) -> str:
    """["Science Fiction", "Thriller"] -> "a sci-fi thriller"; [] -> "a film"."""
    names = [g.strip().lower() for g in genres if g and g.strip()][:2]
    if not names:
        return "a film"
    head = min(names, key=lambda g: HEADS.index(g) if g in HEADS else len(HEADS))
    other = next((g for g in names if g != head), None)
    noun = NOUNS.get(head, head)
    if other is None:
        return _article(noun)
    return _article(f"{ADJECTIVES.get(other, other)} {noun}")


def wiki_phrase(movie: Movie) -> str | None:
    """The film's own description from its Wikipedia summary ("a 1995 American crime film directed by
    Michael Mann"), or None when there is none that short."""
    wiki = (movie.enrichment or {}).get("wikipedia") if movie.enrichment else None
    extract = wiki.get("extract") if isinstance(wiki, dict) else None
    if not isinstance(extract, str):
        return None
    found = _WIKI_IS.search(extract.split("\n", 1)[0])
    phrase = _WIKI_TAIL.sub("", found.group(1)).strip() if found else ""
    return phrase if 0 < len(phrase) <= MAX_WIKI_PHRASE_CHARS else None


def describe(candidate: Movie, evidence: Movie | None, removed: frozenset[str]) -> str:
    """What the candidate is (and shares with `evidence`): a phrase for its genres or its Wikipedia
    description, and the director or actor it shares with `evidence` (names as the catalog has them)."""
    cand = {f: movie_tokens(candidate, f) for f in ("genre", "person")}
    shared_people: list[str] = []
    genres = _allowed(cand["genre"], "genre", removed)
    if evidence is not None:
        other = {f: set(movie_tokens(evidence, f)) for f in cand}
        shared_people = _allowed([p for p in cand["person"] if p in other["person"]], "person", removed)
        shared_genres = [g for g in genres if g in other["genre"]]
        genres = shared_genres + [g for g in genres if g not in shared_genres]
    proper = {g.strip().lower(): g.strip() for g in candidate.genres}
    phrase = wiki_phrase(candidate) or genre_phrase([proper.get(g, g) for g in genres[:2]])
    names = {n.strip().lower(): n.strip() for n in (*candidate.directors, *candidate.cast[:CAST_PEOPLE])}
    directors = {d.strip().lower() for d in candidate.directors}
    director = next((names[p] for p in shared_people if p in directors), None)
    actor = next((names[p] for p in shared_people if p not in directors), None)
    if director and director.lower() not in phrase.lower():
        phrase += f" from {director}"
    elif actor:
        phrase += f" with {actor}"
    return phrase


def stated_evidence(candidate: Movie, profile: TasteProfile) -> str | None:
    """The most recent thing the user told us in chat that this film satisfies, as a label."""
    tokens = {f: set(movie_tokens(candidate, f)) for f in ("genre", "keyword", "person")}
    people = {n.strip().lower(): n.strip() for n in (*candidate.directors, *candidate.cast[:CAST_PEOPLE])}
    text = (candidate.overview or "").lower()
    for key in profile.recent_learning:
        if key in profile.removed:
            continue
        kind, _, name = key.partition(":")
        if kind == "genre" and name in tokens["genre"] and profile.genres.get(name, 0) > 0:
            return label_for(key, profile).lower() if name != "science fiction" else "sci-fi"
        if kind == "person" and name in tokens["person"] and profile.people.get(name, 0) > 0:
            return people.get(name) or label_for(key, profile)  # the catalog's spelling: "Leonardo DiCaprio"
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
    elif (candidate.vote_average or 0) >= WELL_REVIEWED_AVERAGE and candidate.vote_count >= WELL_REVIEWED_VOTES:
        text = (f"Well reviewed: {describe(candidate, None, removed)}, "
                f"{candidate.vote_average:.1f}/10 from {candidate.vote_count:,} votes on TMDB")
    else:
        text = f"Something new for you: {describe(candidate, None, removed)}"
    text = text.strip()
    if len(text) > MAX_REASON_CHARS - 1:
        return text[: MAX_REASON_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:—-") + "…"
    return text if text.endswith((".", "!", "?")) else text + "."  # "…with Robert Downey Jr." ends once
