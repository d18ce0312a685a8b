"""bench.match_decades: per-decade match rates of a Letterboxd history, and each miss classified."""

from __future__ import annotations

from bench import match_decades


def test_rates_per_decade_and_misses_are_near_or_absent(tmp_path):
    export = tmp_path / "watched.csv"
    export.write_text("Date,Name,Year,Letterboxd URI\n"
                      "2022-01-01,The Red Shoes,1948,https://boxd.it/a\n"
                      "2022-01-02,The Red Shoes,1948,https://boxd.it/a\n"  # the same film twice counts once
                      "2022-01-03,Floating Weeds,1959,https://boxd.it/b\n"  # Ozu's: in no shared file
                      "2022-01-04,Red Cliff Part II,2009,https://boxd.it/c\n"  # the catalog says 'Red Cliff II'
                      "2022-01-05,Heat,1995,https://boxd.it/d\n", encoding="utf-8")
    result = match_decades.measure([export])
    rows = {r["decade"]: r for r in result["rows"]}
    assert (result["films"], result["matched"]) == (4, 2)
    assert (rows["1940s"]["rate"], rows["1990s"]["rate"]) == (1.0, 1.0)
    assert (rows["1950s"]["matched"], rows["1950s"]["absent"], rows["1950s"]["near_misses"]) == (0, 1, 0)
    assert rows["2000s"]["near_misses"] == 1
    assert "Red Cliff II (2009)" in result["misses"]["2000s"][0]["near"]
    table = match_decades.markdown(result, listing=True)
    assert "| 1950s | 1 | 0 | 0.0% | 0 | 1 |" in table
    assert "1950s: Floating Weeds (1959)" in table
