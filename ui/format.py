"""Small text helpers: ages, stars, posters drawn when TMDB has none."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import textwrap
from datetime import UTC, datetime

RATING_OPTIONS = [x / 2 for x in range(1, 11)]  # 0.5 … 5.0, the only values the DB accepts
SOURCE_BADGES = {
    "trending": ("Trending", "orange"),
    "similar_to_rated": ("Like films you rated", "blue"),
    "mood_match": ("Mood match", "violet"),
    "popular_fallback": ("Popular", "gray"),
    "person": ("Their work, ranked for you", "green"),
}
_PLACEHOLDER_COLOURS = ["#1f3b57", "#4a2545", "#23423a", "#5a3d1e", "#2e2a5a", "#553030"]


def time_ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'just now', '12 min ago', '3 h ago', '2 days ago'."""
    if moment is None:
        return "never"
    now = now or datetime.now(UTC)
    seconds = max(0.0, (now - moment).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86_400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86_400)
    return f"{days} day{'s' if days != 1 else ''} ago"


def stars(rating: float) -> str:
    """4.5 → '★★★★½'."""
    full = int(rating)
    return "★" * full + ("½" if rating - full >= 0.5 else "")


def rating_label(value: float) -> str:
    return f"{stars(value)} {value:g}"


def placeholder_poster(title: str, year: int | None) -> str:
    """An SVG poster (data URI) with the title, for films without a TMDB poster."""
    digest = int(hashlib.sha1(title.encode()).hexdigest(), 16)
    colour = _PLACEHOLDER_COLOURS[digest % len(_PLACEHOLDER_COLOURS)]
    lines = textwrap.wrap(title, 14)[:5]
    text = "".join(
        f'<text x="100" y="{120 + i * 26}" font-size="20" text-anchor="middle" fill="#f4efe6" '
        f'font-family="Georgia, serif">{html.escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300" viewBox="0 0 200 300">'
        f'<rect width="200" height="300" fill="{colour}"/>'
        '<rect x="10" y="10" width="180" height="280" fill="none" stroke="#f4efe6" stroke-opacity="0.35"/>'
        f"{text}"
        f'<text x="100" y="270" font-size="16" text-anchor="middle" fill="#f4efe6" fill-opacity="0.7" '
        f'font-family="Helvetica, sans-serif">{year or ""}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# A TMDB image URL and nothing else goes into the style attribute: poster paths come from outside.
_TMDB_IMAGE_URL = re.compile(r"^https://image\.tmdb\.org/t/p/[a-z0-9]+/[A-Za-z0-9_-]+\.(jpg|jpeg|png|webp)$")


def poster_html(poster_url: str | None, title: str, year: int | None) -> str:
    """A 2:3 poster box: the TMDB image over the drawn placeholder, so a failed load still shows a poster.

    A URL that is not a TMDB image URL (a hostile or broken poster_path) is left out: the placeholder shows.
    """
    layers = [f"url('{poster_url}')"] if poster_url and _TMDB_IMAGE_URL.fullmatch(poster_url) else []
    layers.append(f"url('{placeholder_poster(title, year)}')")
    return (
        f'<div role="img" aria-label="Poster: {html.escape(title)}" style="width:100%;aspect-ratio:2/3;'
        f"border-radius:6px;background-image:{', '.join(layers)};background-size:cover;"
        'background-position:center;margin-bottom:0.4rem"></div>'
    )
