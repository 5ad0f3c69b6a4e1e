"""French full-text search over the archive: safe query building and ranked, highlighted hits."""

from __future__ import annotations

import re
from typing import Any

from archiver.archive.store import ArticleFilter
from archiver.normalize.text import clean_text

_OPERATORS = {"OR", "AND", "NOT"}


class SearchError(ValueError):
    """A search the user typed that cannot be run, worded for them."""


def fts_query(text: str) -> str:
    """Turn what a user typed into an FTS5 query that cannot be a syntax error.

    Every word becomes a quoted phrase (so quotes, hyphens, parentheses and colons are just
    text), a trailing `*` keeps its prefix meaning, and OR / AND / NOT between words are kept.
    """
    terms: list[str] = []
    for raw in clean_text(text).split(" "):
        if raw in _OPERATORS:
            if terms and terms[-1] not in _OPERATORS:
                terms.append(raw)
            continue
        prefix = raw.endswith("*")
        word = raw.rstrip("*").replace('"', " ").strip()
        if not re.search(r"\w", word):
            continue  # a lone "*", a dash or a bracket says nothing to search for
        terms.append(f'"{word}"' + ("*" if prefix else ""))
    while terms and terms[-1] in _OPERATORS:
        terms.pop()
    if not terms:
        raise SearchError(f"nothing to search for in {text!r}: type at least one word")
    return " ".join(terms)


def search_sql(*, site: str | None = None, since: str | None = None) -> tuple[str, dict[str, Any]]:
    """The ranked search statement; the query, limit and filters are bound parameters."""
    clauses, params = ArticleFilter(site=site, since=since).conditions()
    clauses.insert(0, "articles_fts MATCH :query")
    sql = (
        "SELECT articles.id, articles.title, articles.site, articles.published_at, "
        "articles.canonical_url AS url, "
        "snippet(articles_fts, -1, '[', ']', '…', 12) AS snippet, "
        "bm25(articles_fts, 10.0, 4.0, 1.0, 2.0) AS rank "
        "FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid "
        f"WHERE {' AND '.join(clauses)} ORDER BY rank LIMIT :limit"
    )
    return sql, params
