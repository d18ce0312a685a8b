"""The whole-catalog protocol's result as Markdown for bench/RESULTS.md (bench.catalog_protocol's tables)."""

from __future__ import annotations

METHODS = ("app", "popularity", "ease", "ranker", "content", "previous")
LABELS = {"app": "CineAI app (end to end)", "popularity": "popularity (most votes)", "ease": "EASE (MovieLens)",
          "ranker": "catalog ranker alone", "content": "catalog ranker, collaborative off (CINE_COLLABORATIVE=0)", "previous": "previous engine (end to end)"}


def _table(p: dict) -> list[str]:
    lines = ["| method | NDCG@10 | NDCG@10 liked | hits@12 | hits@12 liked | Recall@100 | mean votes (12) | mean year (12)"
             " | not in popularity's 12 |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for m in METHODS:
        v = p[m]
        def f(x, d=3):
            return "–" if x is None else f"{x:,.{d}f}"
        lines.append(f"| {LABELS[m]} | {f(v['ndcg@10'])} | {f(v['ndcg@10_liked'])} | {v['hits@12']} | "
                     f"{v['hits@12_liked']} | {f(v['recall@100'])} | {f(v['mean_votes'], 0)} | {f(v['mean_year'], 0)}"
                     f" | {f(v['not_in_popular_top12'], 2)} |")
    return lines


def markdown(result: dict) -> str:
    out = []
    for title, key in (("Shared real people (one account each)", "real"), ("MovieLens users not fit on", "movielens"),
                       ("All measured people", "all")):
        p = result[key]["pooled"] if key != "all" else result["all"]
        if not p["people"]:
            continue
        ratio = p["app"]["ndcg@10"] / p["popularity"]["ndcg@10"] if p["popularity"]["ndcg@10"] else float("nan")
        out += [f"**{title}**: {p['people']} people, {p['future_films']} future films; app NDCG@10 = "
                f"**{ratio:.2f}× popularity**; share of the 12 shown at or above the threshold: "
                f"{p['share_shown_at_threshold']:.2f}.", "", *_table(p), ""]
    c = result["cold_start"]
    out += [f"**Cold start** (the 5 earliest ratings as the past, everything after as the future; {c['people']} "
            f"people): app NDCG@10 {c['app']['ndcg@10']}, hits@12 {c['app']['hits@12']}; popularity NDCG@10 "
            f"{c['popularity']['ndcg@10']}, hits@12 {c['popularity']['hits@12']}.", ""]
    k = result["calibration"]
    if k["n"]:
        out += [f"**Confidence** (chance of a ≥ 3.5★ rating if watched) of the {k['n']:,} future films the measured "
                f"people rated, at their cut: Brier {k['brier']}, base rate {k['base_rate']}; "
                f"{k['share_at_or_above_0.7']:.0%} at or above 0.7, of which {k['liked_when_at_or_above_0.7']} were "
                "rated ≥ 3.5★.", "", "| decile | n | mean confidence | share rated ≥ 3.5★ |", "|---:|---:|---:|---:|"]
        out += [f"| {i} | {d['n']} | {d['mean_confidence']:.3f} | {d['share_liked']:.3f} |"
                for i, d in enumerate(k["deciles"], start=1)]
        out.append("")
    out += ["Per real person (read recent cuts first):", "", "| person | cut | past | future | app hits@12 | "
            "popularity hits@12 | app NDCG@10 | popularity NDCG@10 |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in result["real"]["people"]:
        a, p = r["methods"]["app"], r["methods"]["popularity"]
        out.append(f"| {r['person']} | {r['cut']} | {r['past']} | {r['future']} | {a['hits@12']} | {p['hits@12']} | "
                   f"{a['ndcg@10']:.3f} | {p['ndcg@10']:.3f} |")
    return "\n".join(out)


__all__ = ["LABELS", "METHODS", "markdown"]
