"""Claude's verdicts: one confidence scale for every engine, and each verdict paid for once.

**One scale.** Claude's self-reported confidence and the local matcher's calibrated probability do not mean
the same thing (Claude's is uncalibrated and clusters at 0.8–0.9), so they must not be ranked together
against the pick threshold. Claude therefore only re-ranks the shortlist it was shown: the k-th film in
Claude's order gets the k-th highest local calibrated probability of that shortlist (a rank-to-probability
calibration fitted on the same list). The set of probabilities, hence the number of picks above the
threshold, is what the local model measured; which film carries which number is Claude's judgement, and its
reason is kept.

**Paid once.** Every verdict is stored per (user, film, taste fingerprint) in `llm_verdicts` (server-owned;
SQL in verdicts.sql); the scout sends Claude only the shortlisted films without a verdict for the current
fingerprint and reuses the others. The fingerprint (`taste_fingerprint`) covers what changes what Claude
would say about a film, and nothing else:

- invalidates: a new or changed rating of 4.5★ or more or 1.5★ or less (a film loved or hated), a 👍/👎
  (it weighs like a fresh 4.5★), a removed preference, a chat insight that teaches something
  new (a key in `recent_learning`, pacing, a mood context);
- does not: a watchlist add, a middling rating (2–4★: it shifts the weights a little, not who the person
  is), a dismissed or watched film (it only leaves the shortlist), the passing of days, a new trending list.

Verdicts also expire after VERDICT_MAX_AGE_DAYS (slow drift the fingerprint does not see: many middling
ratings), and only verdicts of the current fingerprint are kept per person. A film Claude was asked about
but gave no usable verdict for (its reason cited nothing of the person's) is stored with a null verdict:
the local score stands and it is not asked again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Iterable, Sequence

import psycopg
from psycopg.rows import dict_row

from cine_core.db import load_sql
from cine_core.domain.models import Match, RatedMovie, TasteProfile

log = logging.getLogger(__name__)

LOVED_RATING = 4.5  # at or above: a film that says who the person is
HATED_RATING = 1.5  # at or below
VERDICT_MAX_AGE_DAYS = 30


def taste_fingerprint(profile: TasteProfile, rated: Sequence[RatedMovie], thumbs: Iterable[tuple[int, str]] = ()) -> str:
    """What a Claude verdict depends on (see the module docstring); `thumbs` are (film id, 'up' | 'down')."""
    strong = sorted((r.movie.id, "loved" if r.rating >= LOVED_RATING else "hated") for r in rated
                    if r.rating >= LOVED_RATING or r.rating <= HATED_RATING)
    taught = {
        "strong": strong,
        "thumbs": sorted((int(i), k) for i, k in thumbs if k in ("up", "down")),
        "removed": sorted(profile.removed),
        "learned": sorted(profile.recent_learning),
        "pacing": profile.pacing,
        "contexts": sorted(profile.mood_context),
    }
    return hashlib.sha256(json.dumps(taught, sort_keys=True).encode()).hexdigest()[:32]


def load_verdicts(conn: psycopg.Connection, user_id: str, fingerprint: str,
                  movie_ids: Sequence[int]) -> dict[int, Match | None]:
    """Stored verdicts of the current fingerprint for `movie_ids`: a Match, or None (asked, no usable verdict)."""
    if not movie_ids:
        return {}
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(load_sql(__name__, "load"),
                           {"user_id": user_id, "fingerprint": fingerprint,
                            "movie_ids": list(movie_ids), "max_age_days": VERDICT_MAX_AGE_DAYS}).fetchall()
    return {row["movie_id"]: None if row["confidence"] is None else
            Match(movie_id=row["movie_id"], confidence=float(row["confidence"]), reason=row["reason"] or "",
                  score=float(row["confidence"]))
            for row in rows}


def save_verdicts(conn: psycopg.Connection, user_id: str, fingerprint: str, asked: Sequence[int],
                  verdicts: Sequence[Match], *, model: str | None = None) -> None:
    """Store Claude's verdicts on the films it was `asked` about (a null verdict for those it skipped) and
    forget the person's verdicts of other fingerprints."""
    by_id = {v.movie_id: v for v in verdicts}
    rows = [{"user_id": user_id, "movie_id": movie_id, "fingerprint": fingerprint, "model": model,
             "confidence": by_id[movie_id].confidence if movie_id in by_id else None,
             "reason": by_id[movie_id].reason if movie_id in by_id else None} for movie_id in dict.fromkeys(asked)]
    with conn.cursor() as cur:
        cur.execute(load_sql(__name__, "forget_other_fingerprints"), {"user_id": user_id, "fingerprint": fingerprint})
        if rows:
            cur.executemany(load_sql(__name__, "save"), rows)


def align_to_local(verdicts: Sequence[Match], local: Sequence[Match]) -> list[Match]:
    """Claude's order (its confidence only orders; ties keep the local order) on the local probabilities of
    the films Claude judged. Films Claude skipped or that are not in `local` are left out."""
    by_id = {m.movie_id: m for m in local}
    local_rank = {m.movie_id: i for i, m in enumerate(sorted(local, key=lambda m: -m.confidence))}
    judged = list({v.movie_id: v for v in verdicts if v.movie_id in by_id}.values())
    order = sorted(judged, key=lambda v: (-_finite(v.confidence), local_rank[v.movie_id]))
    scale = sorted((by_id[v.movie_id].confidence for v in judged), reverse=True)
    return [Match(movie_id=v.movie_id, confidence=p, reason=v.reason, score=by_id[v.movie_id].score)
            for v, p in zip(order, scale, strict=True)]


def _finite(value: float) -> float:
    return 0.0 if math.isnan(value) else value  # NaN sorts last
