"""Cutting a chat message into clauses, each with a polarity from its sentiment words (with negation) or a
sentiment-bearing shape ("8/10", "too grim for me"). A clause of a question has polarity 0: asking about a film
teaches nothing about it. Pure: no database, network or LLM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cine_core.chat import _lexicon as lex

_SENTENCE_END = re.compile(r"[.!?;\n]+")
_CLAUSE_BREAK = re.compile(r",?\s+\b(?:but|though|although|however|yet|whereas)\b|,?\s+(?=(?:if|since|because|as) (?:i|we)\b)")
# A sentence asking about a film teaches nothing about it ("is Cats as terrible as everyone says?"), except a
# clause stating something of one's own ("is Nope worth it if I loved Get Out?").
ASKING = re.compile(r"^\W*(?:is|isn't|isnt|was|wasn't|are|aren't|were|does|did|do you|should|would|will|can|could|"
                     r"have you|has|what(?!\s+an?\b)|what's|whats|which|who|who's|how|why|where|when)\b")
_STATED = re.compile(r"^(?:if|since|because|as) (?:i|we)\b")
_LIKE_SUBJECTS = ("i", "we", "really", "do", "don't", "didn't", "also", "usually", "actually", "always", "generally",
                  "dont", "didnt", "doesnt")


@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int
    text: str  # lower-cased
    polarity: int  # -2..2 (0 in a question)
    question: bool = False


def clauses_of(lower: str) -> list[Clause]:
    clauses = []
    for sentence in _spans(lower, _SENTENCE_END, 0, len(lower)):
        ending = lower[sentence[1]: sentence[1] + 3]
        asking = "?" in ending or bool(ASKING.search(lower[sentence[0]: sentence[1]]))
        for start, end in _spans(lower, _CLAUSE_BREAK, *sentence):
            text = lower[start:end]
            question = asking and not _STATED.search(text.strip())
            clauses.append(Clause(start, end, text, 0 if question else _polarity(text), question))
    return clauses or [Clause(0, len(lower), lower, 0)]


def _spans(lower: str, breaks: re.Pattern[str], start: int, stop: int) -> list[tuple[int, int]]:
    spans = []
    for brk in [*breaks.finditer(lower, start, stop), None]:
        end = brk.start() if brk else stop
        if end > start:
            spans.append((start, end))
        start = brk.end() if brk else end
    return spans


def _polarity(clause: str) -> int:
    best = _shaped_polarity(clause)
    for m in lex.SENTIMENT_RE.finditer(clause):
        word = m.group()
        before = clause[: m.start()].split()[-3:]
        if word == "like" and (not before or before[-1] not in _LIKE_SUBJECTS):
            continue  # "films like Inception" is not a sentiment
        if word in ("not too", "nothing too") and lex.SENTIMENT_RE.match(clause, m.end() + 1):
            continue  # "not too bad": the next word carries it
        strength = lex.SENTIMENT_WORDS[word]
        if any(t in lex.NEGATORS or t.endswith("n't") for t in before) and word not in ("no more", "can't stand", "cant stand"):
            strength = {2: -1, 1: -1, -1: 1, -2: 0}[strength]
        if abs(strength) > abs(best) or (abs(strength) == abs(best) and strength < best):
            best = strength
    return best


def _shaped_polarity(clause: str) -> int:
    """Sentiment said by a shape: a score ("8/10", "2 out of 5"), "too grim for me", "the best X ever"."""
    score = lex.SCORE_RE.search(clause)
    if score and float(score.group(1)) <= float(score.group(2)):
        ratio = float(score.group(1)) / float(score.group(2))
        return 2 if ratio >= 0.8 else 1 if ratio >= 0.6 else -1 if ratio > 0.3 else -2
    if lex.TOO_MUCH_FOR_ME_RE.search(clause):
        return -1
    return 2 if lex.BEST_EVER_RE.search(clause) else 0


def clause_at(clauses: list[Clause], pos: int) -> Clause:
    return next((c for c in clauses if c.start <= pos < c.end + 1), clauses[-1])
