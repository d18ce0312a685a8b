"""One confidence scale for every engine: a Claude verdict re-orders and explains, it never sets the number.

Claude's self-reported confidence and the local matcher's calibrated probability do not mean the same
thing (Claude's is uncalibrated and clusters at 0.8–0.9), so they must not be ranked together against the
pick threshold. Claude therefore only re-ranks the shortlist it was shown: the k-th film in Claude's order
gets the k-th highest local calibrated probability of that shortlist (a rank-to-probability calibration
fitted on the same list). The set of probabilities, hence the number of picks above the threshold, is what
the local model measured; which film carries which number is Claude's judgement, and its reason is kept.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from cine_core.domain.models import Match

log = logging.getLogger(__name__)


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
