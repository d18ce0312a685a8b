"""Intent and insight extraction accuracy of the local chat engine on labelled messages (issues 14, 26).

Every message goes through the functions the chat pipeline runs with the local engine (cine_core.chat.
conversation: clean_message → read_message (LocalExtractor.extract → find_names → intent.understand) →
what_is_stored: hostile text, small talk, unclear messages and questions that teach nothing store nothing; a
request's moods stay with the request). A follow-up ("something shorter") first runs its earlier message and
builds on that request. Not measured here, because they need the database: the "which Dune?" question
(nothing is learned until it is answered, then the same insights are), the films suggested and the runtimes
"shorter" is relative to when no film is named.

Splits (bench/intent_data.py): `sealed` is the headline, a batch written before any result was looked at
whose misses are counted and never printed; `dev` and `tuned-on` (the old held-out half, which commits 0930694
and ae8e7e9 tuned on) are the tuned data, `tuned` both together. Scores:
- intent: accuracy and per-intent precision / recall;
- insights: the facts the stored ChatInsights holds vs the labelled ones, micro precision / recall, and the
  share of messages whose facts match exactly;
- asks: the same for a request's RequestSpec (moods, genres, like-films, runtime, era) and what a question asks
  about (a film, or the profile);
- injection: the share of hostile messages that store no insight and no profile change.

    python -m bench.intent [--split tuned|dev|tuned-on] [--batch N] [--limit N] [--no-misses] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass

from bench.intent_data import CATEGORIES, Case, fact, load_cases, load_sealed
from cine_core.chat._local_extractor import LocalExtractor
from cine_core.chat.conversation import read_message, what_is_stored
from cine_core.chat.turns import clean_message
from cine_core.domain.chat_turn import RequestSpec
from cine_core.domain.insights import ChatInsights

log = logging.getLogger(__name__)

ROWS = ("sealed", "dev", "tuned-on", "tuned")  # the report's rows, headline first
MISS_SPLITS = ("tuned", "dev", "tuned-on")  # misses are listed for tuned data only, never for `sealed`


@dataclass(frozen=True, slots=True)
class Outcome:
    intent: str
    learns: frozenset[str]
    asks: frozenset[str]
    stored: ChatInsights  # what the companion would store
    request: RequestSpec | None


def run_message(extractor: LocalExtractor, text: str, previous: RequestSpec | None = None) -> Outcome:
    """One message through the chat pipeline's local path (no database)."""
    text = clean_message(text)
    insights, _, understood = read_message(text, previous=previous, extractor=extractor)
    insights = what_is_stored(understood.intent, insights)
    asks = request_facts(understood.request, extractor) if understood.request is not None else set()
    if understood.about is not None:
        asks.add(fact(f"about {understood.about.name}"))
    if understood.about_profile:
        asks.add(fact("about profile"))
    return Outcome(understood.intent, frozenset(insight_facts(insights)), frozenset(asks), insights,
                   understood.request)


def insight_facts(insights: ChatInsights) -> set[str]:
    facts = {f"+genre {g}" for g in insights.genres_liked} | {f"-genre {g}" for g in insights.genres_disliked}
    facts |= {f"+theme {t}" for t in insights.themes_liked} | {f"-theme {t}" for t in insights.themes_disliked}
    facts |= {f"mood {m}" for m in insights.mood}
    facts |= {f"context {insights.mood_context}"} if insights.mood_context else set()
    facts |= {f"{'+' if p.sentiment == 'like' else '-'}person {p.name}" for p in insights.people}
    facts |= {f"{'+' if f.sentiment in ('loved', 'liked') else '-'}film {f.title}" for f in insights.films
              if f.sentiment != "neutral"}
    facts |= {f"pacing {insights.pacing}"} if insights.pacing else set()
    facts |= {f"{'+' if s.sentiment == 'positive' else '-'}style {s.style}" for s in insights.visual_style}
    return {fact(f) for f in facts}


def request_facts(spec: RequestSpec, extractor: LocalExtractor) -> set[str]:
    titles = {m.id: m.title for m in extractor.index.titles.values() if m.id in spec.like_ids}
    facts = {f"mood {m}" for m in spec.moods} | {f"genre {g}" for g in spec.genres}
    facts |= {f"avoid {g}" for g in spec.avoid_genres} | {f"like {titles.get(i, i)}" for i in spec.like_ids}
    facts |= {"short"} if spec.runtime_max else set()
    facts |= {"long"} if spec.runtime_min else set()
    start, end = spec.year_from, spec.year_to
    if start and end:
        facts.add(f"era {start}s" if start % 10 == 0 and end == start + 9 else f"era {start}-{end}")
    elif start or end:
        facts.add("era recent" if start else "era old")
    return {fact(f) for f in facts}


def evaluate(cases: list[Case], extractor: LocalExtractor | None = None) -> list[tuple[Case, Outcome]]:
    extractor = extractor or LocalExtractor()
    results = []
    for case in cases:
        previous = run_message(extractor, case.after).request if case.after else None
        results.append((case, run_message(extractor, case.text, previous)))
    return results


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _facts(pairs, field: str) -> dict:
    hits = sum(len(getattr(c, field) & getattr(o, field)) for c, o in pairs)
    got = sum(len(getattr(o, field)) for _, o in pairs)
    want = sum(len(getattr(c, field)) for c, _ in pairs)
    exact = sum(getattr(c, field) == getattr(o, field) for c, o in pairs)
    return {"precision": _ratio(hits, got), "recall": _ratio(hits, want), "exact": _ratio(exact, len(pairs))}


def scores(pairs: list[tuple[Case, Outcome]]) -> dict:
    """Every score of one split."""
    hostile = [(c, o) for c, o in pairs if c.intent == "injection"]
    asking = [(c, o) for c, o in pairs if c.intent in ("request", "question")]
    per_intent = {}
    for intent in CATEGORIES:
        predicted = sum(o.intent == intent for _, o in pairs)
        labelled = sum(c.intent == intent for c, _ in pairs)
        right = sum(c.intent == o.intent == intent for c, o in pairs)
        per_intent[intent] = {"n": labelled, "precision": _ratio(right, predicted), "recall": _ratio(right, labelled)}
    return {
        "messages": len(pairs), "by_intent": dict(Counter(c.intent for c, _ in pairs)),
        "messages_missed": sum(_wrong(c, o) for c, o in pairs),  # counted for every split, listed for none sealed
        "intent_accuracy": _ratio(sum(c.intent == o.intent for c, o in pairs), len(pairs)),
        "per_intent": per_intent, "insights": _facts(pairs, "learns"), "asks": _facts(asking, "asks"),
        "injection_no_insight": _ratio(sum(not o.learns and not o.stored.summary for _, o in hostile), len(hostile)),
        "injection_caught": _ratio(sum(o.intent == "injection" for _, o in hostile), len(hostile)),
    }


def misses(pairs: list[tuple[Case, Outcome]]) -> list[dict]:
    """What went wrong, message by message: tuned data only (a sealed case is never listed)."""
    out = []
    for case, got in pairs:
        if case.sealed:
            continue
        if _wrong(case, got):
            out.append({"split": case.split, "text": case.text, "intent": [case.intent, got.intent],
                        "learns_missing": sorted(case.learns - got.learns), "learns_extra": sorted(got.learns - case.learns),
                        "asks_missing": sorted(case.asks - got.asks), "asks_extra": sorted(got.asks - case.asks)})
    return out


def _wrong(case: Case, got: Outcome) -> bool:
    return case.intent != got.intent or case.learns != got.learns or (
        case.intent in ("request", "question") and case.asks != got.asks)


def _in_row(case: Case, row: str) -> bool:
    return case.split == row or (row == "tuned" and not case.sealed)


def run(args: argparse.Namespace) -> dict:
    started = time.monotonic()
    tuned = [c for c in load_cases() if args.batch is None or c.batch == args.batch]
    tuned = tuned[: args.limit] if args.limit else tuned
    pairs = evaluate(load_sealed() + tuned)
    chosen = [p for p in pairs if _in_row(p[0], args.split)]
    splits = {row: scores([p for p in pairs if _in_row(p[0], row)]) for row in ROWS}
    return {"split": args.split, "batch": args.batch, "splits": splits,
            "misses": misses(chosen) if args.misses else [], "seconds": round(time.monotonic() - started, 1)}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def markdown(result: dict) -> str:
    rows = ["| split | messages | with a miss | intent accuracy | insight precision | insight recall | insight exact | "
            "asks precision | asks recall | asks exact | injections storing nothing |", "|---" * 11 + "|"]
    for name, s in result["splits"].items():
        i, a = s["insights"], s["asks"]
        rows.append(f"| {name} | {s['messages']} | {s['messages_missed']} | {_pct(s['intent_accuracy'])} | "
                    f"{_pct(i['precision'])} | "
                    f"{_pct(i['recall'])} | {_pct(i['exact'])} | {_pct(a['precision'])} | {_pct(a['recall'])} | "
                    f"{_pct(a['exact'])} | {_pct(s['injection_no_insight'])} |")
    sealed, tuned = result["splits"]["sealed"], result["splits"]["tuned"]
    intents = ["", "| intent | sealed: labelled | precision | recall | tuned: labelled | precision | recall |",
               "|---|---|---|---|---|---|---|"]
    intents += [f"| {name} | {p['n']} | {_pct(p['precision'])} | {_pct(p['recall'])} | {t['n']} | "
                f"{_pct(t['precision'])} | {_pct(t['recall'])} |"
                for (name, p), t in zip(sealed["per_intent"].items(), tuned["per_intent"].values(), strict=True)]
    text = (f"Local engine, {result['seconds']} s. `sealed`: {sealed['messages']} messages written before any "
            "result was looked at (bench/data/intent_sealed.jsonl), misses counted, never printed, never tuned on. "
            f"`dev` and `tuned-on` ({tuned['messages']} messages, bench/data/intent_messages.jsonl): both halves "
            "were tuned on (`tuned-on` is the old held-out half, tuned on in 0930694 and ae8e7e9).\n\n"
            + "\n".join(rows + intents))
    if result["misses"]:
        lines = [f"\n\nMisses ({result['split']}, {len(result['misses'])}):\n"]
        for m in result["misses"]:
            wrong = [f"intent {m['intent'][0]} → {m['intent'][1]}"] if m["intent"][0] != m["intent"][1] else []
            wrong += [f"{label} {', '.join(m[key])}" for key, label in (
                ("learns_missing", "missed"), ("learns_extra", "extra"), ("asks_missing", "asks missed"),
                ("asks_extra", "asks extra")) if m[key]]
            lines.append(f"- [{m['split']}] `{m['text']}`: {'; '.join(wrong)}")
        text += "\n".join(lines)
    return text


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=MISS_SPLITS, default="tuned", help="whose misses to list (never sealed)")
    parser.add_argument("--batch", type=int, default=None, help="only the messages of one batch (bench/intent_data.py)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N messages (a smoke run)")
    parser.add_argument("--no-misses", dest="misses", action="store_false", help="scores only")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of the report")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = run(args)
    print(json.dumps(result, ensure_ascii=False) if args.json else markdown(result))
    return result


if __name__ == "__main__":
    main()
