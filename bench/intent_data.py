"""The labelled chat messages of bench.intent (bench/data/intent_messages.jsonl) and their dev / held-out split.

Each line: `t` the message as a person would type it; `i` the expected intent (the local engine's vocabulary,
cine_core.domain.chat_turn.Intent); `l` what the message should teach (the facts of the stored ChatInsights);
`a` what it asks for (a request's RequestSpec, or the film a question is about); `after` an earlier message of
the same conversation, for follow-ups ("something shorter"); `b` the batch it was written in (1 when absent;
batch 2 was written after batch 1's held-out misses were read and before the engine was changed for them, so
its held-out half measures those fixes on messages nobody tuned on). Facts are "kind value" strings:

- learns: `+genre g` / `-genre g` (TMDB names), `+theme t` / `-theme t`, `mood m`, `context c`, `+person Name` /
  `-person Name`, `+film Title` / `-film Title` (loved or liked / disliked or hated), `pacing faster|slower`,
  `+style s` / `-style s`;
- asks: `mood m`, `genre g`, `avoid g`, `like Title`, `short` (a runtime ceiling), `long` (a runtime floor),
  `era 1980s` | `era recent` | `era old`, `about Title`.

Injections are labelled as teaching nothing and asking nothing. The split is by a hash of the text, so it does
not move when messages are added: `dev` is what the engine was tuned on, `heldout` is only reported.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "intent_messages.jsonl"
CATEGORIES = ("preference", "request", "question", "small_talk", "unclear", "injection")


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    intent: str
    learns: frozenset[str]
    asks: frozenset[str]
    after: str | None = None
    batch: int = 1

    @property
    def split(self) -> str:
        return split_of(self.text)


def split_of(text: str) -> str:
    """'dev' or 'heldout', about half each, fixed by the text."""
    return "dev" if hashlib.sha256(text.encode()).digest()[0] % 2 == 0 else "heldout"


def fact(value: str) -> str:
    """A fact as compared: lower-case, single spaces."""
    return " ".join(value.lower().split())


def load_cases(path: Path = DATA) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["i"] not in CATEGORIES:
            raise ValueError(f"{path.name}:{number}: unknown intent {row['i']!r}")
        cases.append(Case(row["t"], row["i"], frozenset(map(fact, row.get("l", ()))),
                          frozenset(map(fact, row.get("a", ()))), row.get("after"), int(row.get("b", 1))))
    return cases
