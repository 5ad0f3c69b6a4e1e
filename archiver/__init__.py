"""Scrape French entertainment news into a queryable SQLite archive."""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"
__all__ = [
    "Archive",
    "ArchiveError",
    "ArticleFilter",
    "ArticleReader",
    "SearchError",
    "read_article",
    "__version__",
]

# Each name is imported on first use, so that `archiver query` does not load the extractors.
_HOMES = {
    "Archive": "archiver.archive.store",
    "ArchiveError": "archiver.archive.store",
    "ArticleFilter": "archiver.archive.store",
    "ArticleReader": "archiver.extract.read",
    "SearchError": "archiver.archive.search",
    "read_article": "archiver.extract.read",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'archiver' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
