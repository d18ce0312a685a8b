"""Other spellings of one title that `title_key` keeps apart, for matching an import row to a film.

`variant_key` is `title_key` with two more rules, each seen in real Letterboxd exports against TMDB's titles:
- letters that Unicode does not decompose into a base letter and an accent are folded like accented ones
  ('Baskın' is TMDB's 'Baskin', 'Ænigma' 'Aenigma', 'Søren' 'Soren');
- a sequel's number is one form: 'Part II', 'II' and '2' agree ('Red Cliff Part II' is TMDB's 'Red Cliff II').
Pure: no database, no catalog.
"""

from __future__ import annotations

from cine_core.domain.titles import title_key

# Letters NFKD leaves whole (so `normalize_title` keeps them), folded as a person typing without them would.
_LETTERS = str.maketrans({"ı": "i", "İ": "I", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ø": "o", "Ø": "O",
                          "ł": "l", "Ł": "L", "ß": "ss", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th",
                          "Þ": "Th", "ħ": "h", "Ħ": "H"})
# Roman numerals of two letters or more only: 'I', 'V' and 'X' are as often a word or a letter ('Malcolm X').
_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "xi": "11", "xii": "12"}
_PART_WORDS = frozenset({"part", "pt"})


def fold_letters(text: str) -> str:
    """'Baskın' -> 'Baskin', 'Ænigma' -> 'Aenigma': the letters `title_key` cannot strip an accent from."""
    return text.translate(_LETTERS)


def variant_key(title: str) -> str:
    """`title_key` with the letters folded and a sequel's number in one form ('red cliff part ii' and
    'red cliff ii' -> 'red cliff 2'); '' for an empty title."""
    words = [_ROMAN.get(word, word) for word in title_key(fold_letters(title or "")).split()]
    kept = [word for n, word in enumerate(words)
            if not (word in _PART_WORDS and n + 1 < len(words) and words[n + 1].isdigit())]
    return " ".join(kept)
