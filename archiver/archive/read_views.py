"""What the web pages (`archiver serve`) read from the archive: the home page's counts, lists of
articles under a selection, ranked search, one article with everything archived about it,
facet and month counts.

Each function takes a sqlite3 connection, since Datasette lends one per thread, and returns
plain values, ready for a template or for JSON. Search reuses search.py's query language and
ranking, so the browser finds what `archiver search` finds, in the same order.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from archiver.archive.search import fts_query, search_sql
from archiver.archive.store import ArticleFilter

PAGE_SIZE = 20
MAX_PAGE = 100  # 2,000 results deep: past that, a narrower search says more
# Snippet marks that no article text holds, so that the page can escape the text and mark the
# words found without mistaking a bracket printed in an article for one.
MARK_START, MARK_END = "\x02", "\x03"
LIST_COLUMNS = (
    "articles.id, articles.title, articles.site, articles.section, articles.published_at, "
    "articles.authors, articles.lead, articles.comment_count"
)
ARTICLE_COLUMNS = (
    "id, url, canonical_url, site, title, lead, body, authors, agency, byline_raw, "
    "published_at, updated_at, published_raw, updated_raw, section, tags, language, "
    "comment_count, comment_count_shown, comments_status, fetched_at, first_seen_at, "
    "last_seen_at, field_sources, parse_warnings, relative_dates, revision_count, raw_sha256"
)


@dataclass
class Selection:
    """What a list of articles is narrowed to, as a page's query string says it: every value
    a string as typed, checked by `check`, bound and never pasted into SQL."""

    site: str | None = None
    section: str | None = None
    author: str | None = None
    tag: str | None = None
    since: str | None = None
    until: str | None = None
    year: str | None = None

    @classmethod
    def from_args(cls, args: dict[str, str]) -> Selection:
        """The selection in a query string; empty values mean no filter."""
        return cls(**{f.name: (args.get(f.name) or "").strip() or None for f in fields(cls)})

    def as_args(self) -> dict[str, str]:
        """The query string that gives this selection back, for links and pagination."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def check(self) -> None:
        """ValueError, worded for a reader, when a date or a year cannot be read."""
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise ValueError(
                        f"date {value!r} illisible : écrire AAAA-MM-JJ, par exemple 2016-10-03"
                    ) from None
        if self.year is not None and not (self.year.isdigit() and len(self.year) == 4):
            raise ValueError(f"année {self.year!r} illisible : écrire quatre chiffres")

    def conditions(self) -> tuple[list[str], dict[str, Any]]:
        """SQL conditions on `articles` and their parameters; `until` is the last day kept."""
        self.check()
        clauses, params = [], {}
        if self.section:
            clauses.append("articles.section = :_section")
            params["_section"] = self.section
        if self.tag:
            clauses.append(
                "EXISTS (SELECT 1 FROM json_each(articles.tags) WHERE json_each.value = :_tag)"
            )
            params["_tag"] = self.tag
        if self.year:
            clauses.append("articles.published_at >= :_year AND articles.published_at < :_next")
            params.update(_year=self.year, _next=str(int(self.year) + 1))
        until = self.until and (date.fromisoformat(self.until) + timedelta(days=1)).isoformat()
        where = " AND ".join(clauses) or None
        base = ArticleFilter(
            since=self.since, until=until, site=self.site, author=self.author, where=where,
            params=params,
        )  # fmt: skip
        return base.conditions()


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _listed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a list of articles, their authors decoded from JSON."""
    for row in rows:
        row["authors"] = json.loads(row["authors"]) if row.get("authors") else []
    return rows


def _where(clauses: list[str]) -> str:
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def summary(conn: sqlite3.Connection, latest: int = 10) -> dict[str, Any]:
    """The home page: what the archive holds, its newest articles and its sites."""
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(DISTINCT site) FROM articles), "
        "(SELECT count(*) FROM authors), (SELECT count(*) FROM comments), "
        "(SELECT min(published_at) FROM articles), (SELECT max(published_at) FROM articles)"
    ).fetchone()
    names = ("articles", "sites", "authors", "comments", "first_published", "last_published")
    return {
        "counts": dict(zip(names, counts, strict=True)),
        "latest": _listed(
            _rows(
                conn,
                f"SELECT {LIST_COLUMNS} FROM articles WHERE published_at IS NOT NULL "
                "ORDER BY published_at DESC LIMIT ?",
                [latest],
            )
        ),
        "sites": _rows(
            conn,
            "SELECT site, count(*) AS articles, max(published_at) AS last_published "
            "FROM articles GROUP BY site ORDER BY articles DESC, site",
        ),
    }


def _page_bounds(page: int) -> tuple[int, int]:
    page = min(max(page, 1), MAX_PAGE)
    return page, (page - 1) * PAGE_SIZE


def list_articles(conn: sqlite3.Connection, selection: Selection, page: int = 1) -> dict[str, Any]:
    """The selected articles, newest first (undated last), one page of them, and their count."""
    clauses, params = selection.conditions()
    where = _where(clauses)
    page, offset = _page_bounds(page)
    total = conn.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0]
    rows = _rows(
        conn,
        f"SELECT {LIST_COLUMNS} FROM articles{where} "
        "ORDER BY articles.published_at IS NULL, articles.published_at DESC, articles.id DESC "
        "LIMIT :_limit OFFSET :_offset",
        {**params, "_limit": PAGE_SIZE, "_offset": offset},
    )
    return {"total": total, "page": page, "articles": _listed(rows)}


def _ranked_sql(clauses: list[str]) -> str:
    """search.py's ranked statement, its snippet marks made ones that no text holds."""
    ranked = search_sql(clauses)
    marked = ranked.replace("'[', ']'", "char(2), char(3)")
    if marked == ranked:  # search.py changed how it marks snippets: say so, do not guess
        raise RuntimeError("search_sql no longer marks snippets with '[' and ']'")
    return marked


def search_articles(
    conn: sqlite3.Connection, text: str, selection: Selection, page: int = 1
) -> dict[str, Any]:
    """The articles matching `text` under `selection`, best first (bm25, as `archiver search`
    ranks them), one page of them with snippets, and how many match in all. SearchError when
    `text` holds nothing to search for."""
    clauses, params = selection.conditions()
    params["query"] = fts_query(text)
    page, offset = _page_bounds(page)
    # Without filters the index alone counts (a word in 10% of 200,000 articles: 40 ms less);
    # CROSS JOIN keeps the index outer: on the site index first, SQLite ran the match once
    # an article of the site (148 ms for 625 articles, not 3)
    joined = " CROSS JOIN articles ON articles.id = articles_fts.rowid" if clauses else ""
    total = conn.execute(
        f"SELECT count(*) FROM articles_fts{joined}"
        + _where(["articles_fts MATCH :query", *clauses]),
        params,
    ).fetchone()[0]
    # search.py's statement alone, then the page's other columns by id: wrapped in a join,
    # SQLite made a snippet of every match (400 ms for a word in 3,300 of 5,000 articles).
    hits = _rows(conn, _ranked_sql(clauses), {**params, "limit": offset + PAGE_SIZE})[offset:]
    ids = [hit["id"] for hit in hits]
    listed = _rows(
        conn,
        f"SELECT {LIST_COLUMNS} FROM articles WHERE articles.id IN ({', '.join('?' * len(ids))})",
        ids,
    )
    by_id = {row["id"]: row for row in _listed(listed)}
    return {"total": total, "page": page, "articles": [{**by_id[h["id"]], **h} for h in hits]}


def month_counts(conn: sqlite3.Connection, selection: Selection) -> list[dict[str, Any]]:
    """How many selected articles each month holds, oldest first; undated ones are left out."""
    clauses, params = selection.conditions()
    clauses.append("articles.published_at IS NOT NULL")
    return _rows(
        conn,
        "SELECT substr(articles.published_at, 1, 7) AS month, count(*) AS articles "
        f"FROM articles{_where(clauses)} GROUP BY month ORDER BY month",
        params,
    )


def facet_counts(
    conn: sqlite3.Connection, selection: Selection, size: int = 15
) -> dict[str, list[dict[str, Any]]]:
    """For each facet (author, tag, site, section, year), its most frequent values among the
    selected articles, with their counts."""
    clauses, params = selection.conditions()
    where = _where(clauses)
    params = {**params, "_size": size}
    sources = {
        "author": "SELECT authors.name AS value, count(*) AS articles FROM articles "
        "JOIN article_authors ON article_authors.article_id = articles.id "
        f"JOIN authors ON authors.id = article_authors.author_id{where} GROUP BY authors.id",
        "tag": "SELECT json_each.value AS value, count(*) AS articles "
        f"FROM articles, json_each(articles.tags){where} GROUP BY json_each.value",
        "site": f"SELECT site AS value, count(*) AS articles FROM articles{where} GROUP BY site",
        "section": f"SELECT section AS value, count(*) AS articles FROM articles{where} "
        "GROUP BY section",
        "year": "SELECT substr(published_at, 1, 4) AS value, count(*) AS articles "
        f"FROM articles{where} GROUP BY value",
    }
    facets = {}
    for name, sql in sources.items():
        order = "value DESC" if name == "year" else "articles DESC, value"
        rows = _rows(conn, f"{sql} ORDER BY {order} LIMIT :_size", params)
        facets[name] = [row for row in rows if row["value"] is not None]
    return facets


def author(conn: sqlite3.Connection, author_id: int) -> dict[str, Any] | None:
    """An author's row: id and name, the spelling the archive shows."""
    rows = _rows(conn, "SELECT id, name FROM authors WHERE id = ?", [author_id])
    return rows[0] if rows else None


def article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    """One article with its authors (with ids, in byline order), images, comments (in
    order), revisions and the raw page it was read from; None when there is no such id."""
    rows = _rows(conn, f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id])
    if not rows:
        return None
    found = rows[0]
    for column in ("tags", "field_sources", "parse_warnings", "relative_dates"):
        found[column] = json.loads(found[column]) if found[column] else None
    found["authors"] = _rows(
        conn,
        "SELECT authors.id, authors.name FROM article_authors "
        "JOIN authors ON authors.id = article_authors.author_id "
        "WHERE article_authors.article_id = ? ORDER BY article_authors.position",
        [article_id],
    )
    found["images"] = _rows(
        conn,
        "SELECT src, caption, credit, caption_raw, alt FROM images WHERE article_id = ? "
        "ORDER BY position",
        [article_id],
    )
    found["comments"] = _rows(
        conn,
        "SELECT comment_id, parent_id, author, published_at, published_raw, text FROM comments "
        "WHERE article_id = ? ORDER BY position",
        [article_id],
    )
    found["revisions"] = _rows(
        conn,
        "SELECT number, captured_at, title, lead, body, authors, published_at, updated_at "
        "FROM revisions WHERE article_id = ? ORDER BY number",
        [article_id],
    )
    found["raw"] = raw_page_of(conn, article_id)
    return found


def raw_page_of(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    """The raw page an article was last read from: its sha256, and the URL, time and
    Content-Type of the fetch that brought it; None when the page was not kept."""
    rows = _rows(
        conn,
        "SELECT articles.raw_sha256 AS sha256, fetches.final_url AS url, fetches.fetched_at, "
        "fetches.content_type FROM articles "
        "JOIN raw_pages ON raw_pages.sha256 = articles.raw_sha256 "
        "LEFT JOIN fetches ON fetches.article_id = articles.id "
        "AND fetches.sha256 = articles.raw_sha256 "
        "WHERE articles.id = ? ORDER BY fetches.fetched_at DESC LIMIT 1",
        [article_id],
    )
    return rows[0] if rows else None
