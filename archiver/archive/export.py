"""Streaming exports of the archive to JSON, JSON Lines and CSV.

Articles are written one at a time, to a temporary file renamed at the end, so a large export
stays in constant memory and an interrupted one never leaves a half file under the final name.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

CSV_COLUMNS = [
    "id", "url", "canonical_url", "site", "title", "lead", "body", "authors", "agency",
    "byline_raw", "published_at", "updated_at", "published_raw", "section", "tags", "language",
    "image_count", "comment_count", "fetched_at",
]  # fmt: skip
FORMATS = ("json", "jsonl", "csv")
EXPORT_DROPPED = ("field_sources", "parse_warnings", "crawl_id")


def _public(article: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in article.items() if k not in EXPORT_DROPPED}


def write_json(articles: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    out.write("[")
    for article in articles:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(_public(article), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_jsonl(articles: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for article in articles:
        out.write(json.dumps(_public(article), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(articles: Iterable[dict[str, Any]], out: TextIO, delimiter: str = ",") -> int:
    """One row per article: authors and tags joined with "; ", images and comments counted."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for article in articles:
        row = dict(article)
        row["authors"] = "; ".join(article.get("authors") or [])
        row["tags"] = "; ".join(article.get("tags") or [])
        row["image_count"] = len(article.get("images") or [])
        row["comment_count"] = len(article.get("comments") or [])
        writer.writerow(row)
        count += 1
    return count


def export(
    articles: Iterable[dict[str, Any]], fmt: str, output: Path, *, excel: bool = False
) -> int:
    """Write `articles` to `output` atomically; returns how many were written."""
    writers: dict[str, Callable[[Iterable[dict[str, Any]], TextIO], int]] = {
        "json": write_json,
        "jsonl": write_jsonl,
        "csv": (lambda rows, out: write_csv(rows, out, ";")) if excel else write_csv,
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    encoding = "utf-8-sig" if excel and fmt == "csv" else "utf-8"
    try:
        with open(temporary, "w", encoding=encoding, newline="") as out:
            count = writers[fmt](articles, out)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    return count
