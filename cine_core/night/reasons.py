"""One line of reason per person for a joint pick, as the viewer reads it: "You loved Heat" for their own
film, "Sam rated Collateral 5★" for their partner's. Pure: no I/O."""

from __future__ import annotations

import logging

from cine_core.recommend.reasons import stars

log = logging.getLogger(__name__)

LOVED_RATING = 4.5  # "You loved X" from here up; "You rated X 4★" below


def reason_line(who: str | None, title: str | None, rating: float | None) -> str:
    """`who` None: the viewer themselves. Without a cited film: a line that claims nothing about their ratings."""
    if title is None or rating is None:
        return "Something new for you" if who is None else f"Something new for {who}"
    if who is None:
        return f"You loved {title}" if rating >= LOVED_RATING else f"You rated {title} {stars(rating)}"
    return f"{who} rated {title} {stars(rating)}"
