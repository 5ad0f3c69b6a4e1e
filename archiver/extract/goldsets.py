"""The corpora `archiver eval` reads, and the field-by-field scoring of the sets that give a
gold title, author list, date and body per page (see shared/corpus/*/README.md).

- "fundus": `<country>/<Publisher>.json` holds one record per parser version (V1, V1_1, V2, ...)
  and the publisher's pages, sorted by crawl date in `<country>/meta.info`, go with the versions
  sorted by number. The body is the summary plus each section's headlines and paragraphs.
- "newspaper4k": `ground-truth.json` gives `{name: record}` with `html/<name>.html.gz`.

Scoring, as the sets' READMEs suggest: a title must be the same after collapsing whitespace
(soft hyphens and zero-width characters dropped, the gold's entities decoded); authors the same
set of names; the day the same (fundus: in the gold's offset when both sides carry a time and an
offset; newspaper4k: the first ten characters, zones left alone); the minute the same where the
gold has a time (00:00:00 counts as none); the body a bag-of-words F1 over lowercased words,
punctuation dropped, and Chinese, Japanese, Thai and Burmese counted per character.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

FIELD_DATASETS = ("fundus", "newspaper4k")
DATASETS = ("trafilatura-eval", "zyte", *FIELD_DATASETS)
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_PAGE_FILE = re.compile(r"^(?P<publisher>.+)_\d{4}_\d{2}_\d{2}\.html\.gz$")
# scripts written without spaces between words: each character is a token
_PER_CHARACTER = re.compile(
    "[\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)


@dataclass
class GoldPage:
    """One page of a corpus and what its ground truth says of it."""

    page: str
    url: str
    path: Path
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    body: str | None = None
    author: Any = None
    date: str | None = None
    title: str | None = None


def read_html(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def load_gold(dataset: str, directory: Path) -> list[GoldPage]:
    """Every page of a set with its gold; ValueError for an unknown set, OSError when the
    ground truth cannot be read."""
    loaders = {
        "trafilatura-eval": _trafilatura_gold,
        "zyte": _zyte_gold,
        "fundus": _fundus_gold,
        "newspaper4k": _newspaper4k_gold,
    }
    if dataset not in loaders:
        raise ValueError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}")
    return loaders[dataset](directory)


def _trafilatura_gold(directory: Path) -> list[GoldPage]:
    records = json.loads((directory / "evaldata.json").read_text(encoding="utf-8"))
    return [
        GoldPage(
            page=record["file"],
            url=url,
            path=directory / "html" / f"{record['file']}.gz",
            with_=list(record.get("with") or []),
            without=list(record.get("without") or []),
            author=record.get("author") or None,
            date=record.get("date") or None,
        )
        for url, record in records.items()
    ]


def _zyte_gold(directory: Path) -> list[GoldPage]:
    records = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        GoldPage(
            page=key,
            url=record.get("url") or f"https://{key}.invalid/",
            path=directory / "html" / f"{key}.html.gz",
            body=record.get("articleBody") or "",
        )
        for key, record in sorted(records.items())
    ]


def _newspaper4k_gold(directory: Path) -> list[GoldPage]:
    records = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        GoldPage(
            page=name,
            url=record.get("url") or f"https://{name}.invalid/",
            path=directory / "html" / f"{name}.html.gz",
            body=record.get("text"),
            author=record.get("authors") or None,
            date=record.get("published") or None,
            title=record.get("title"),
        )
        for name, record in sorted(records.items())
    ]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def _fundus_gold(directory: Path) -> list[GoldPage]:
    countries = sorted(p for p in directory.iterdir() if (p / "meta.info").is_file())
    if not countries:
        raise OSError(f"no <country>/meta.info under {directory}")
    golds: list[GoldPage] = []
    for country in countries:
        meta = json.loads((country / "meta.info").read_text(encoding="utf-8"))
        by_publisher: dict[str, list[str]] = {}
        for name in sorted(meta, key=lambda n: meta[n].get("crawl_date") or ""):
            match = _PAGE_FILE.match(name)
            if match:
                by_publisher.setdefault(match["publisher"], []).append(name)
        for publisher, names in sorted(by_publisher.items()):
            records = json.loads((country / f"{publisher}.json").read_text(encoding="utf-8"))
            versions = sorted(records, key=_version_key)
            for name, version in zip(names, versions, strict=False):
                golds.append(_fundus_page(country, name, meta[name]["url"], records[version]))
    return golds


def _fundus_page(country: Path, name: str, url: str, record: dict[str, Any]) -> GoldPage:
    body = record.get("body") or {}
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return GoldPage(
        page=f"{country.name}/{name.removesuffix('.html.gz')}",
        url=url,
        path=country / name,
        body="\n\n".join(parts),
        author=list(record.get("authors") or []) or None,
        date=record.get("publishing_date") or None,
        title=record.get("title"),
    )


# ---------------------------------------------------------------- field scoring


def plain_title(text: str | None) -> str:
    """A title as compared: entities decoded, invisible characters dropped, spaces collapsed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", html.unescape(text or ""))).strip()


def same_title(found: str | None, gold: str | None) -> bool:
    """Our title must be the gold one; ours is not entity-decoded here, as a reader sees it."""
    return bool(gold) and _SPACES.sub(" ", _INVISIBLE.sub("", found or "")).strip() == plain_title(
        gold
    )


def same_author_set(found: Sequence[str] | None, gold: Sequence[str] | None) -> bool:
    """The same names, in any order and case, spaces collapsed."""
    names = [_SPACES.sub(" ", n).strip().casefold() for n in found or []]
    expected = [_SPACES.sub(" ", n).strip().casefold() for n in gold or []]
    return {n for n in names if n} == {n for n in expected if n}


def _parse(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None


def _has_time(value: str | None, parsed: datetime | None) -> bool:
    return (
        parsed is not None and len(str(value).strip()) > 10 and parsed.time() != datetime.min.time()
    )


def same_day(found: str | None, gold: str | None, *, in_gold_offset: bool) -> bool:
    """The day of our date is the gold's: read in the gold's offset when both carry a time and
    an offset (and `in_gold_offset`), else as each side writes it."""
    if not found or not gold:
        return False
    ours, theirs = _parse(found), _parse(gold)
    if in_gold_offset and ours and theirs and ours.tzinfo and theirs.tzinfo:
        if _has_time(found, ours) and _has_time(gold, theirs):
            return ours.astimezone(theirs.tzinfo).date() == theirs.date()
    return str(found).strip()[:10] == str(gold).strip()[:10]


def gold_has_time(gold: str | None) -> bool:
    return _has_time(gold, _parse(gold))


def same_minute(found: str | None, gold: str | None) -> bool:
    """The same minute: the same instant when both carry an offset, else the same wall clock."""
    ours, theirs = _parse(found), _parse(gold)
    if ours is None or theirs is None or not _has_time(found, ours):
        return False
    if ours.tzinfo and theirs.tzinfo:
        return ours.replace(second=0, microsecond=0) == theirs.replace(second=0, microsecond=0)
    return ours.strftime("%Y-%m-%dT%H:%M") == theirs.strftime("%Y-%m-%dT%H:%M")


def words(text: str | None) -> Counter[str]:
    """Bag of words: lowercased, punctuation and symbols dropped, per character in scripts
    written without spaces."""
    kept = "".join(
        " " if unicodedata.category(c)[0] in "PSC" and not c.isspace() else c
        for c in (text or "").casefold()
    )
    tokens: Counter[str] = Counter()
    for token in kept.split():
        if _PER_CHARACTER.search(token):
            tokens.update(_PER_CHARACTER.findall(token))
            tokens.update(t for t in _PER_CHARACTER.split(token) if t)
        else:
            tokens[token] += 1
    return tokens


def word_counts(gold: str | None, found: str | None) -> tuple[float, float, float]:
    """(tp, fp, fn) of the body's bag of words against the gold's."""
    expected, got = words(gold), words(found)
    tp = sum((expected & got).values())
    return float(tp), float(sum(got.values()) - tp), float(sum(expected.values()) - tp)
