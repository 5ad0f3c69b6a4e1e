"""French full-text search over the archive: what a user types made a safe FTS5 query, and the
ranked, highlighted statement that runs it.

It knows the articles_fts table and nothing else of the archive, so the archive's filters and
`Archive.search` build on it without it building on them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from archiver.normalize.text import clean_text

_OPERATORS = {"OR", "AND", "NOT"}
# FTS5's work grows faster than the number of phrases (2,000 words took 67 s on 43 articles):
# past these, a search says to be shorter rather than run for minutes.
MAX_WORDS = 64
MAX_CHARS = 1_000


class SearchError(ValueError):
    """A search the user typed that cannot be run, worded for them."""


def fts_query(text: str) -> str:
    """Turn what a user typed into an FTS5 query that cannot be a syntax error.

    Every word becomes a quoted phrase (so quotes, hyphens, parentheses and colons are just
    text), a trailing `*` keeps its prefix meaning, and OR / AND / NOT between words are kept.
    A word said twice is searched once. SearchError past MAX_CHARS characters or MAX_WORDS
    different words, or with no word at all.
    """
    if len(text) > MAX_CHARS:
        raise SearchError(
            f"search too long: {len(text):,} characters, at most {MAX_CHARS:,}; keep the words that matter"
        )
    terms: list[str] = []
    seen: set[str] = set()
    for raw in clean_text(text).split(" "):
        if raw in _OPERATORS:
            if terms and terms[-1] not in _OPERATORS:
                terms.append(raw)
            continue
        prefix = raw.endswith("*")
        word = raw.rstrip("*").replace('"', " ").strip()
        if not re.search(r"\w", word):
            continue  # a lone "*", a dash or a bracket says nothing to search for
        term = f'"{word}"' + ("*" if prefix else "")
        if term.lower() in seen:
            if terms and terms[-1] in _OPERATORS:
                terms.pop()  # "a OR b OR a" is "a OR b"
            continue
        seen.add(term.lower())
        terms.append(term)
    while terms and terms[-1] in _OPERATORS:
        terms.pop()
    if not terms:
        raise SearchError(f"nothing to search for in {text!r}: type at least one word")
    if len(seen) > MAX_WORDS:
        raise SearchError(
            f"search too long: {len(seen):,} different words, at most {MAX_WORDS}; "
            "keep the words that matter"
        )
    return " ".join(terms)


def matching(text: str, name: str) -> tuple[str, dict[str, str]]:
    """A condition on `articles` that keeps those matching `text`, and its bound parameter."""
    condition = f"articles.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :{name})"
    return condition, {name: fts_query(text)}


def search_sql(conditions: Sequence[str] = ()) -> str:
    """The ranked search statement, best hits first, each with a snippet that brackets the
    words found. The caller binds :query (an fts_query), :limit and the conditions' parameters.

    Titles weigh most, then leads, authors and bodies: a word in a headline says more of what
    an article is about than the same word deep in its text."""
    where = " AND ".join(["articles_fts MATCH :query", *conditions])
    return (
        "SELECT articles.id, articles.title, articles.site, articles.published_at, "
        "articles.canonical_url AS url, "
        "snippet(articles_fts, -1, '[', ']', '…', 12) AS snippet, "
        "bm25(articles_fts, 10.0, 4.0, 1.0, 2.0) AS rank "
        "FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid "
        f"WHERE {where} ORDER BY rank LIMIT :limit"
    )
