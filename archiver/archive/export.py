"""Streaming exports of the archive to JSON, JSON Lines and CSV.

Articles are written one at a time, to a temporary file renamed at the end, so a large export
stays in constant memory and an interrupted one never leaves a half file under the final name.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import errno
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO

CSV_COLUMNS = [
    "id", "url", "canonical_url", "site", "title", "lead", "body", "authors", "agency",
    "byline_raw", "published_at", "updated_at", "published_raw", "section", "tags", "language",
    "image_count", "comment_count", "fetched_at",
]  # fmt: skip
FORMATS = ("json", "jsonl", "csv")
EXPORT_DROPPED = ("field_sources", "parse_warnings", "crawl_id")
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class ExportError(Exception):
    """An export that could not be written (a full disk, a folder one may not write to),
    worded for the user; nothing is left under the output's name."""


@contextlib.contextmanager
def atomic_file(output: Path, mode: str = "w", **open_args: Any) -> Iterator[IO[Any]]:
    """A temporary file beside `output`, renamed to it only once everything is written, and
    removed otherwise: an interrupted or failed export never leaves a half file. OSError
    while writing becomes ExportError, "disk full: ..." when the disk is."""
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, mode, **open_args) as out:
            yield out
        os.replace(temporary, output)
    except OSError as error:
        reason = error.strerror or str(error)
        if error.errno in _DISK_FULL:
            raise ExportError(f"disk full: cannot write {output} ({reason})") from None
        raise ExportError(f"cannot write {output}: {reason}") from None
    finally:
        temporary.unlink(missing_ok=True)


def json_value(value: Any) -> Any:
    """A value json.dumps cannot write on its own: bytes as base64, as Datasette gives them."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$base64": True, "encoded": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def _public(article: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in article.items() if k not in EXPORT_DROPPED}


def write_json(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A JSON array written one record (one line) at a time, so memory stays flat."""
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False, default=json_value))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=json_value) + "\n")
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
    """Write `articles` to `output` atomically; returns how many were written. ExportError
    when it cannot be written (see atomic_file)."""
    writers: dict[str, Callable[[Iterable[dict[str, Any]], TextIO], int]] = {
        "json": write_json,
        "jsonl": write_jsonl,
        "csv": (lambda rows, out: write_csv(rows, out, ";")) if excel else write_csv,
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    encoding = "utf-8-sig" if excel and fmt == "csv" else "utf-8"
    public = articles if fmt == "csv" else (_public(article) for article in articles)
    with atomic_file(output, "w", encoding=encoding, newline="") as out:
        return writers[fmt](public, out)
