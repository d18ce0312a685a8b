"""People's names as lists: a name is never split at its comma.

Sources that list cast as one comma-separated string ("Aaron Pierre, Kelvin Harrison, Jr., Tiffany Boone")
split "Kelvin Harrison, Jr." into "Kelvin Harrison" and "Jr.", which then reads "Not a fan of Jr.". A suffix
standing alone is joined back to the name before it.
"""

from __future__ import annotations

from collections.abc import Iterable

NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd", "esq", "esq.", "phd",
                           "ph.d.", "md", "m.d."})


def is_name_suffix(part: str) -> bool:
    return part.strip().lower() in NAME_SUFFIXES


def join_name_parts(names: Iterable[str]) -> tuple[str, ...]:
    """The names with every lone suffix ("Jr.") joined to the name before it ("Kelvin Harrison Jr."); a suffix
    with no name before it is dropped. Order is kept; empty names go."""
    joined: list[str] = []
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if is_name_suffix(name):
            if joined:
                joined[-1] = f"{joined[-1]} {name}"
            continue
        joined.append(name)
    return tuple(joined)
