"""Title normalisation and fuzzy comparison shared by the catalog search and the importers."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

_PUNCT = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^(the|a|an|le|la|les|el|il|der|die|das) ")


def normalize_title(title: str) -> str:
    """'Amélie!' -> 'amelie'; accents, case, punctuation and '&' vs 'and' do not matter."""
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("&", " and ")
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def title_key(title: str) -> str:
    """normalize_title without a leading article ('The Matrix' and 'Matrix, The' agree)."""
    norm = normalize_title(title)
    if norm.endswith((" the", " a", " an")) and "," in title:
        norm = norm.rsplit(" ", 1)[0]
    return _LEADING_ARTICLE.sub("", norm)


def title_similarity(a: str, b: str) -> float:
    """0..100; 100 for titles that normalise to the same key."""
    ka, kb = title_key(a), title_key(b)
    if ka == kb:
        return 100.0
    return float(fuzz.ratio(ka, kb))
