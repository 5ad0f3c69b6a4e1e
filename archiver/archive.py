"""The SQLite archive: schema, upserts of articles with their authors, images and comments,
crawl runs, fetch errors, and read-only queries.

Articles are keyed by canonical URL, so a re-crawl updates a row instead of adding one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from archiver.items import Article

ARTICLE_COLUMNS: dict[str, type] = {
    "id": int,
    "url": str,
    "canonical_url": str,
    "site": str,
    "title": str,
    "lead": str,
    "body": str,
    "authors": str,  # JSON array, for Datasette facets; the authors table is the relational form
    "agency": str,
    "byline_raw": str,
    "published_at": str,
    "updated_at": str,
    "published_raw": str,
    "updated_raw": str,
    "section": str,
    "tags": str,  # JSON array
    "language": str,
    "image_count": int,
    "comment_count": int,
    "comment_count_shown": int,
    "fetched_at": str,
    "first_seen_at": str,
    "last_seen_at": str,
    "field_sources": str,  # JSON object: field -> where it was found
    "parse_warnings": str,  # JSON object: field -> raw string that could not be read
    "crawl_id": int,
}
JSON_COLUMNS = ("authors", "tags", "field_sources", "parse_warnings")


class ArchiveError(Exception):
    """A problem with the archive file itself, worded for the user."""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Archive:
    """One SQLite archive file, opened for writing (crawls) or read-only (query, export)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only:
            if not self.path.exists():
                raise ArchiveError(
                    f"no archive at {self.path} (run `archiver demo` or `archiver crawl` first)"
                )
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            self.db = sqlite_utils.Database(conn)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(self.path)
            self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.ensure_schema()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        db = self.db
        with db.atomic():
            db["crawls"].create(
                {
                    "id": int, "spider": str, "started_at": str, "finished_at": str,
                    "finish_reason": str, "pages_fetched": int, "articles_stored": int,
                    "pages_skipped": int, "failures": int, "stats": str,
                },
                pk="id", not_null={"spider", "started_at"}, if_not_exists=True,
            )  # fmt: skip
            db["articles"].create(
                ARTICLE_COLUMNS,
                pk="id",
                not_null={"url", "canonical_url"},
                foreign_keys=[("crawl_id", "crawls", "id")],
                defaults={"comment_count": 0, "image_count": 0},
                if_not_exists=True,
            )
            db["authors"].create(
                {"id": int, "name": str}, pk="id", not_null={"name"}, if_not_exists=True
            )
            db["article_authors"].create(
                {"article_id": int, "author_id": int, "position": int},
                pk=("article_id", "author_id"),
                foreign_keys=[("article_id", "articles", "id"), ("author_id", "authors", "id")],
                if_not_exists=True,
            )
            db["images"].create(
                {
                    "id": int, "article_id": int, "position": int, "src": str, "caption": str,
                    "credit": str, "caption_raw": str, "alt": str,
                },
                pk="id", not_null={"article_id", "position", "src"},
                foreign_keys=[("article_id", "articles", "id")], if_not_exists=True,
            )  # fmt: skip
            db["comments"].create(
                {
                    "id": int, "article_id": int, "comment_id": str, "parent_id": str,
                    "author": str, "published_at": str, "published_raw": str, "text": str,
                    "position": int,
                },
                pk="id", not_null={"article_id", "comment_id", "text"},
                foreign_keys=[("article_id", "articles", "id")], if_not_exists=True,
            )  # fmt: skip
            db["fetch_errors"].create(
                {
                    "id": int, "crawl_id": int, "url": str, "reason": str, "status": int,
                    "detail": str, "occurred_at": str,
                },
                pk="id", not_null={"url", "reason", "occurred_at"},
                foreign_keys=[("crawl_id", "crawls", "id")], if_not_exists=True,
            )  # fmt: skip
            indexes: list[tuple[str, list[str], bool]] = [
                ("articles", ["canonical_url"], True),
                ("articles", ["site", "published_at"], False),
                ("articles", ["published_at"], False),
                ("authors", ["name"], True),
                ("article_authors", ["author_id"], False),
                ("images", ["article_id", "position"], True),
                ("comments", ["article_id", "comment_id"], True),
                ("fetch_errors", ["crawl_id"], False),
                ("fetch_errors", ["url"], False),
            ]
            for table, columns, unique in indexes:
                db[table].create_index(columns, unique=unique, if_not_exists=True)

    # -- writes -------------------------------------------------------------------------------

    def start_crawl(self, spider: str) -> int:
        with self.db.atomic():
            table = self.db["crawls"].insert({"spider": spider, "started_at": utc_now()})
        return int(table.last_pk)

    def finish_crawl(self, crawl_id: int, reason: str, stats: dict[str, Any]) -> None:
        def stat(name: str) -> int:
            return int(stats.get(name, 0) or 0)

        failures = sum(int(v) for k, v in stats.items() if k.startswith("archiver/failures/"))
        with self.db.atomic():
            self.db["crawls"].update(
                crawl_id,
                {
                    "finished_at": utc_now(),
                    "finish_reason": reason,
                    "pages_fetched": stat("response_received_count"),
                    "articles_stored": stat("archiver/articles_stored"),
                    "pages_skipped": stat("archiver/pages_skipped"),
                    "failures": failures,
                    "stats": json.dumps(stats, default=str, sort_keys=True),
                },
            )

    def record_failure(
        self,
        url: str,
        reason: str,
        *,
        crawl_id: int | None = None,
        status: int | None = None,
        detail: str | None = None,
    ) -> None:
        with self.db.atomic():
            self.db["fetch_errors"].insert(
                {
                    "crawl_id": crawl_id, "url": url, "reason": reason, "status": status,
                    "detail": detail, "occurred_at": utc_now(),
                }
            )  # fmt: skip

    def save_articles(self, articles: Iterable[Article], crawl_id: int | None = None) -> int:
        """Upsert a batch of articles and their children in one transaction."""
        saved = 0
        with self.db.atomic():
            for article in articles:
                self._save_article(article, crawl_id)
                saved += 1
        return saved

    def _save_article(self, article: Article, crawl_id: int | None) -> int:
        db = self.db
        record = asdict(article)
        row = {column: record.get(column) for column in ARTICLE_COLUMNS if column in record}
        for column in JSON_COLUMNS:
            row[column] = json.dumps(record[column], ensure_ascii=False)
        row["canonical_url"] = article.canonical_url or article.url
        row["image_count"] = len(article.images)
        row["crawl_id"] = crawl_id
        row["first_seen_at"] = row["last_seen_at"] = utc_now()
        row.pop("id", None)
        columns = list(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "first_seen_at")
        article_id = db.execute(
            f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT(canonical_url) DO UPDATE SET {updates} RETURNING id",
            [row[c] for c in columns],
        ).fetchone()[0]
        for table in ("article_authors", "images", "comments"):
            db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
        for position, name in enumerate(article.authors, start=1):
            author_id = db["authors"].lookup({"name": name})
            db["article_authors"].insert(
                {"article_id": article_id, "author_id": author_id, "position": position},
                ignore=True,
            )
        db["images"].insert_all(
            {"article_id": article_id, "position": position, **asdict(image)}
            for position, image in enumerate(article.images, start=1)
        )
        db["comments"].insert_all(
            {
                "article_id": article_id,
                "comment_id": comment.id,
                "parent_id": comment.parent_id,
                "author": comment.author,
                "published_at": comment.published_at,
                "published_raw": comment.published_raw,
                "text": comment.text,
                "position": position,
            }
            for position, comment in enumerate(article.comments, start=1)
        )
        return int(article_id)

    # -- reads --------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ["articles", "authors", "images", "comments", "fetch_errors", "crawls"]
        return {t: self.db[t].count if self.db[t].exists() else 0 for t in tables}

    def query(
        self, sql: str, params: dict[str, Any] | None = None
    ) -> tuple[list[str], Iterator[tuple]]:
        """Run one SQL statement; returns the column names and a lazy row iterator."""
        cursor = self.db.conn.execute(sql, params or {})
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, iter(cursor)

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        """Every article with its authors, images and comments nested, one at a time."""
        conn = self.db.conn
        conn.row_factory = sqlite3.Row
        try:
            for row in conn.execute("SELECT * FROM articles ORDER BY published_at, id"):
                article = dict(row)
                for column in JSON_COLUMNS:
                    article[column] = json.loads(article[column]) if article[column] else None
                article_id = article["id"]
                article["images"] = [
                    dict(r)
                    for r in conn.execute(
                        "SELECT src, caption, credit FROM images WHERE article_id = ? ORDER BY position",
                        [article_id],
                    )
                ]
                article["comments"] = [
                    dict(r)
                    for r in conn.execute(
                        "SELECT comment_id AS id, parent_id, author, published_at, text "
                        "FROM comments WHERE article_id = ? ORDER BY position",
                        [article_id],
                    )
                ]
                yield article
        finally:
            conn.row_factory = None
