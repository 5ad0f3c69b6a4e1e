"""The SQLite archive: article upserts with revisions, raw pages, crawl runs, fetch errors,
full-text search and read-only queries. Its tables are described in schema.py.

Articles are keyed by canonical URL. A re-crawl that finds the same content only touches
`last_seen_at`; changed content adds a row to `revisions`, so the archive keeps the history.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils
import zstandard

from archiver.archive.condition import check_condition
from archiver.archive.limits import TimeLimit
from archiver.archive.schema import (
    ARTICLE_COLUMNS,
    FTS_COLUMNS,
    JSON_COLUMNS,
    SCHEMA_VERSION,
    add_functions,
    author_key,
    best_spelling,
    create_or_upgrade,
    fts_behind,
    fts_catch_up,
)
from archiver.archive.search import fts_query, matching, search_sql
from archiver.items import Article, RawPage

# What makes a new revision: the text and the facts a reader would cite.
CONTENT_FIELDS = ("title", "lead", "body", "authors", "published_at", "updated_at")

# What read-only SQL may do: read tables and call functions, nothing else (no ATTACH either).
_READ_ACTIONS = {
    sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE,
    sqlite3.SQLITE_SAVEPOINT, sqlite3.SQLITE_TRANSACTION,  # harmless on a read-only file
}  # fmt: skip
_READ_PRAGMAS = {
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", "database_list",
    "compile_options", "page_count", "page_size", "freelist_count", "collation_list",
    "function_list", "pragma_list", "user_version", "schema_version", "journal_mode",
    "data_version",
}  # fmt: skip


def _read_only_authorizer(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
    if action in _READ_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        return sqlite3.SQLITE_OK  # FTS5 asks this while it loads; the file is read-only anyway
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS:
        writes = arg2 is not None and (arg1 or "").lower() in {"journal_mode", "user_version"}
        return sqlite3.SQLITE_DENY if writes else sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class ArchiveError(Exception):
    """A problem with the archive file itself, worded for the user."""


class ArchiveBusy(ArchiveError):
    """Another process holds the archive's write lock, and the caller chose not to wait."""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def content_hash(article: Article) -> str:
    """What a revision is about. A date read from "il y a 3 heures" is left out: it resolves a
    little differently at every fetch although the page has not changed."""
    values = [
        None if name in article.relative_dates else getattr(article, name)
        for name in CONTENT_FIELDS
    ]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


@dataclass
class SaveResult:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reparsed: int = 0

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged + self.reparsed


@dataclass
class CrawlRun:
    """One crawl process's run; finish_reason is None while it runs, or after it was killed."""

    id: int
    spider: str
    started_at: str
    finished_at: str | None
    finish_reason: str | None
    pages_fetched: int
    articles_stored: int
    pages_skipped: int
    failures: int


@dataclass
class FrontierJob:
    """The URLs one crawl job has discovered, and how many it still has to fetch."""

    job: str
    discovered: int
    pending: int
    last_activity: str | None


@dataclass
class ArticleFilter:
    """The subset of articles an export (or a reparse) works on; every value is bound, not pasted."""

    since: str | None = None
    until: str | None = None
    site: str | None = None
    author: str | None = None
    search: str | None = None
    where: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def sql(self) -> tuple[str, dict[str, Any]]:
        """A WHERE clause (or nothing) on the articles table, and its parameters."""
        clauses, params = self.conditions()
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def conditions(self) -> tuple[list[str], dict[str, Any]]:
        clauses: list[str] = []
        params = dict(self.params)
        if self.since:
            clauses.append("articles.published_at >= :_since")
            params["_since"] = self.since
        if self.until:
            clauses.append("articles.published_at < :_until")
            params["_until"] = self.until
        if self.site:
            clauses.append("articles.site = :_site")
            params["_site"] = self.site
        if self.author:
            # read through the function, not the key column, so archives made before it
            # answer too, read-only as they are opened here
            clauses.append(
                "articles.id IN (SELECT article_id FROM article_authors JOIN authors "
                "ON authors.id = article_authors.author_id "
                "WHERE author_key(authors.name) = :_author)"
            )
            params["_author"] = author_key(self.author)
        if self.search:
            clause, bound = matching(self.search, "_search")
            clauses.append(clause)
            params.update(bound)
        if self.where:
            clauses.append(f"({check_condition(self.where)})")
        return clauses, params


# How raw pages may be compressed, and the levels each codec takes. zstd at its default level 3
# takes 0.12 ms of CPU for a 60 KB page and keeps 21% of it; zlib at level 1 takes 0.32 ms and
# keeps 24%, and level 6 takes 0.73 ms for 20%. Rows say which codec wrote them.
RAW_LEVELS = {"zstd": range(1, 23), "zlib": range(0, 10)}
RAW_DEFAULT_LEVELS = {"zstd": 3, "zlib": 1}


def raw_level(codec: str, level: int | None) -> int:
    """The compression level to use, checked against the codec: its default when None.
    ValueError with a sentence for the user when the codec or the level cannot be."""
    if codec not in RAW_LEVELS:
        raise ValueError(f"ARCHIVE_RAW_CODEC must be one of {', '.join(RAW_LEVELS)}, not {codec!r}")
    levels = RAW_LEVELS[codec]
    level = RAW_DEFAULT_LEVELS[codec] if level is None else level
    if level not in levels:
        raise ValueError(
            f"ARCHIVE_RAW_COMPRESSION must be a {codec} level from {levels[0]} to {levels[-1]},"
            f" not {level}"
        )
    return level


def crawl_counts(stats: dict[str, Any]) -> dict[str, int]:
    """A crawl's counts, as its row in `crawls` keeps them, from Scrapy's stats."""

    def stat(name: str) -> int:
        return int(stats.get(name, 0) or 0)

    return {
        "pages_fetched": stat("response_received_count"),
        "articles_stored": stat("archiver/articles_stored"),
        "pages_skipped": stat("archiver/pages_skipped"),
        "failures": sum(int(v) for k, v in stats.items() if k.startswith("archiver/failures/")),
    }


class Archive:
    """One SQLite archive file, opened for writing (crawls) or read-only (query, export).

        with Archive("archive.db") as archive:
            archive.save_articles([article])
            hits = archive.search("netflix", limit=5)

    Opening for writing creates the file and its tables, or upgrades an older archive. Opened
    `read_only`, SQL can only read (an authorizer refuses the rest), and a missing file is an
    ArchiveError rather than a new archive. `db` is the sqlite_utils Database underneath.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        raw_codec: str = "zstd",
        raw_compression: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.raw_codec = raw_codec
        self.raw_compression = raw_level(raw_codec, raw_compression)
        self._zstd = (
            zstandard.ZstdCompressor(level=self.raw_compression) if raw_codec == "zstd" else None
        )
        if read_only:
            if not self.path.is_file():
                raise ArchiveError(
                    f"no archive at {self.path} (run `archiver demo` or `archiver crawl` first)"
                )
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            self.db = sqlite_utils.Database(conn)
            try:
                self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError as error:
                raise ArchiveError(f"{self.path} is not a SQLite archive ({error})") from None
            self._fts_catch_up()
            conn.set_authorizer(_read_only_authorizer)
            add_functions(conn)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Several crawl processes may write at once: wait for the lock rather than fail.
            self.db = sqlite_utils.Database(sqlite3.connect(self.path, timeout=60))
            add_functions(self.db.conn)
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            if self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                self.ensure_schema()
            self._fts_catch_up()

    def close(self) -> None:
        """Close the connection; `with Archive(...)` does it on leaving."""
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and schema --------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, *, wait: bool = True) -> Iterator[None]:
        """A write transaction that takes the write lock up front (BEGIN IMMEDIATE).

        A transaction that reads first and writes later cannot wait for another process's
        lock: SQLite fails it at once. Taking the lock at BEGIN makes writers queue instead.
        Without `wait`, ArchiveBusy is raised at once when another process holds the lock: a
        crawl keeps fetching and extracting, and writes a little later, rather than stall.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():  # nested: a savepoint inside the open transaction
                yield
            return
        if wait:
            conn.execute("BEGIN IMMEDIATE")
        else:
            self._begin_at_once(conn)
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _begin_at_once(self, conn: sqlite3.Connection) -> None:
        (waited,) = conn.execute("PRAGMA busy_timeout").fetchone()
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise ArchiveBusy(f"{self.path} is being written by another process") from None
            raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(waited)}")

    def ensure_schema(self) -> None:
        """Make what the file lacks, or upgrade an older archive, in one transaction."""
        with self.transaction():
            create_or_upgrade(self.db)

    def _fts_catch_up(self) -> None:
        """Index the articles other tools added, so that search finds them (schema.fts_behind).

        Opened read-only, the archive does it through a write connection of its own, which
        writes nothing else; when the file cannot be written, or another process keeps the
        write lock, search goes without those articles until a later open."""
        if not fts_behind(self.db.conn):
            return
        if not self.read_only:
            with self.transaction():
                fts_catch_up(self.db.conn)
            return
        with contextlib.suppress(sqlite3.Error):
            writer = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            try:
                writer.execute("BEGIN IMMEDIATE")
                fts_catch_up(writer)
                writer.execute("COMMIT")
            finally:
                writer.close()

    def _index_new(self, article_id: int, row: dict[str, Any]) -> None:
        """Index an article just inserted, in the insert's transaction: see schema._fts_triggers
        for why no trigger does."""
        self.db.conn.execute(
            f"INSERT INTO articles_fts (rowid, {', '.join(FTS_COLUMNS)}) "
            f"VALUES (?{', ?' * len(FTS_COLUMNS)})",
            [article_id, *(row.get(c) for c in FTS_COLUMNS)],
        )

    # -- crawl runs and failures --------------------------------------------------------------

    def start_crawl(self, spider: str) -> int:
        """A new row in `crawls` for a run of `spider`; its id, which the run's articles carry."""
        with self.transaction():
            table = self.db["crawls"].insert({"spider": spider, "started_at": utc_now()})
        return int(table.last_pk)

    def finish_crawl(self, crawl_id: int, reason: str, stats: dict[str, Any]) -> None:
        """Close a run's row: how it ended, its counts, and Scrapy's stats as JSON."""
        with self.transaction():
            self.db["crawls"].update(
                crawl_id,
                {
                    "finished_at": utc_now(),
                    "finish_reason": reason,
                    **crawl_counts(stats),
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
        """A page that could not be fetched or read, in `fetch_errors`, with why."""
        with self.transaction():
            self.db["fetch_errors"].insert(
                {
                    "crawl_id": crawl_id, "url": url, "reason": reason, "status": status,
                    "detail": detail, "occurred_at": utc_now(),
                }
            )  # fmt: skip

    # -- articles -----------------------------------------------------------------------------

    def save_articles(
        self,
        articles: Iterable[Article],
        crawl_id: int | None = None,
        *,
        extractor_version: str | None = None,
        reparse: bool = False,
        wait: bool = True,
    ) -> SaveResult:
        """Upsert a batch of articles, their children and raw pages, in one transaction.

        With `reparse`, an article's current revision is rewritten in place: a better extractor
        is not the publisher changing the text. Without `wait`, raises ArchiveBusy, writing
        nothing, when another process is writing.
        """
        result = SaveResult()
        with self.transaction(wait=wait):
            for article in articles:
                outcome = self._save_article(article, crawl_id, extractor_version, reparse)
                setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """INSERT one row with plain SQL: sqlite-utils' checks cost more than the write here."""
        columns = list(row)
        cursor = self.db.conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns],
        )
        return int(cursor.lastrowid or 0)

    def _update(self, table: str, row_id: int, row: dict[str, Any]) -> None:
        columns = list(row)
        self.db.conn.execute(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [*(row[c] for c in columns), row_id],
        )

    def _save_raw(self, raw: RawPage) -> str:
        sha256 = hashlib.sha256(raw.body).hexdigest()
        stored = self.db.execute("SELECT 1 FROM raw_pages WHERE sha256 = ?", [sha256]).fetchone()
        if stored is None:  # an unchanged page is not compressed again
            self.db.execute(
                "INSERT INTO raw_pages (sha256, body, size, compression) VALUES (?, ?, ?, ?)",
                [sha256, self._compress(raw.body), len(raw.body), self.raw_codec],
            )
        return sha256

    def _compress(self, body: bytes) -> bytes:
        if self._zstd is not None:
            return self._zstd.compress(body)
        return zlib.compress(body, self.raw_compression)

    def _save_article(
        self, article: Article, crawl_id: int | None, version: str | None, reparse: bool
    ) -> str:
        db = self.db
        now = utc_now()
        key = article.canonical_url or article.url
        raw_sha256 = self._save_raw(article.raw) if article.raw else None
        digest = content_hash(article)
        existing = db.execute(
            "SELECT id, content_hash, revision_id, revision_count FROM articles "
            "WHERE canonical_url = ?",
            [key],
        ).fetchone()
        if existing and existing[1] == digest and not reparse:
            article_id = existing[0]
            db.execute(
                "UPDATE articles SET last_seen_at = ?, url = ?, crawl_id = ?, "
                "raw_sha256 = coalesce(?, raw_sha256) WHERE id = ?",
                [now, article.url, crawl_id, raw_sha256, article_id],
            )
            outcome = "unchanged"
        else:
            row = self._article_row(article, key, digest, crawl_id, version, raw_sha256, now)
            if existing:
                article_id = existing[0]
                row.pop("first_seen_at")
                for name in article.relative_dates:  # the first fetch resolved it most closely
                    kept = db.execute(
                        f"SELECT {name} FROM articles WHERE id = ?", [article_id]
                    ).fetchone()[0]
                    if kept:
                        row[name] = kept
                        setattr(article, name, kept)
                for column in (
                    "raw_sha256",
                    "crawl_id",
                ):  # a reparse keeps where the page came from
                    if row[column] is None:
                        row.pop(column)
                self._update("articles", article_id, row)
            else:
                article_id = self._insert("articles", row)
                self._index_new(article_id, row)
            if reparse and existing and existing[2]:
                self._write_revision(article, existing[2], digest, crawl_id, raw_sha256)
                outcome = "reparsed"
            else:
                number = (existing[3] or 0) + 1 if existing else 1
                content = self._revision_content(article, digest, crawl_id, raw_sha256)
                revision_id = self._insert(
                    "revisions",
                    {"article_id": article_id, "number": number, "captured_at": now, **content},
                )
                self._write_paragraphs(article, revision_id, fresh=True)
                self._update(
                    "articles", article_id, {"revision_id": revision_id, "revision_count": number}
                )
                outcome = "changed" if existing else "new"
            self._replace_authors_and_images(article_id, article, fresh=existing is None)
        self._add_comments(article_id, article, now, fresh=existing is None)
        if article.raw:
            self._record_fetch(article_id, article.raw, crawl_id, raw_sha256)
        return outcome

    def _article_row(
        self,
        article: Article,
        key: str,
        digest: str,
        crawl_id: int | None,
        version: str | None,
        raw_sha256: str | None,
        now: str,
    ) -> dict[str, Any]:
        skip = {"id", "revision_id", "revision_count"}
        row = {c: getattr(article, c, None) for c in ARTICLE_COLUMNS if c not in skip}
        for column in JSON_COLUMNS:
            row[column] = json.dumps(getattr(article, column), ensure_ascii=False)
        row.update(
            canonical_url=key,
            image_count=len(article.images),
            crawl_id=crawl_id,
            first_seen_at=now,
            last_seen_at=now,
            content_hash=digest,
            raw_sha256=raw_sha256,
            extractor_version=version,
        )
        return row

    def _write_revision(
        self,
        article: Article,
        revision_id: int,
        digest: str,
        crawl_id: int | None,
        raw_sha256: str | None,
    ) -> None:
        """Rewrite a revision's content and paragraphs in place (a reparse)."""
        self._update(
            "revisions", revision_id, self._revision_content(article, digest, crawl_id, raw_sha256)
        )
        self._write_paragraphs(article, revision_id)

    def _revision_content(
        self, article: Article, digest: str, crawl_id: int | None, raw_sha256: str | None
    ) -> dict[str, Any]:
        values = {name: getattr(article, name) for name in CONTENT_FIELDS}
        values["authors"] = json.dumps(article.authors, ensure_ascii=False)
        return {**values, "content_hash": digest, "crawl_id": crawl_id, "raw_sha256": raw_sha256}

    def _write_paragraphs(self, article: Article, revision_id: int, *, fresh: bool = False) -> None:
        """The revision's paragraphs; `fresh` for a revision just inserted, which has none to
        replace."""
        conn = self.db.conn
        if not fresh:
            conn.execute("DELETE FROM revision_paragraphs WHERE revision_id = ?", [revision_id])
        paragraphs = [p for p in (article.body or "").split("\n\n") if p.strip()]
        conn.executemany(
            "INSERT INTO revision_paragraphs (revision_id, position, text) VALUES (?, ?, ?)",
            [(revision_id, position, text) for position, text in enumerate(paragraphs, start=1)],
        )

    def _replace_authors_and_images(
        self, article_id: int, article: Article, *, fresh: bool = False
    ) -> None:
        """An article's authors and images, in order; a `fresh` article has none to replace."""
        conn = self.db.conn
        if not fresh:
            conn.execute("DELETE FROM article_authors WHERE article_id = ?", [article_id])
            conn.execute("DELETE FROM images WHERE article_id = ?", [article_id])
        for position, name in enumerate(article.authors, start=1):
            conn.execute(
                "INSERT OR IGNORE INTO article_authors (article_id, author_id, position) "
                "VALUES (?, ?, ?)",
                [article_id, self._author_id(name), position],
            )
        conn.executemany(
            "INSERT INTO images (article_id, position, src, caption, credit, caption_raw, alt) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (article_id, n, i.src, i.caption, i.credit, i.caption_raw, i.alt)
                for n, i in enumerate(article.images, start=1)
            ],
        )

    def _author_id(self, name: str) -> int:
        """The author's row, added when new, under the best spelling seen of the name."""
        conn = self.db.conn
        key = author_key(name)
        row = conn.execute("SELECT id, name FROM authors WHERE key = ?", [key]).fetchone()
        if row is None:
            return self._insert("authors", {"name": name, "key": key})
        if best_spelling([row[1], name]) != row[1]:
            conn.execute("UPDATE authors SET name = ? WHERE id = ?", [name, row[0]])
        return int(row[0])

    def _add_comments(
        self, article_id: int, article: Article, now: str, *, fresh: bool = False
    ) -> None:
        """New comments are added; comments already archived are kept, even if since removed."""
        conn = self.db.conn
        if article.comments:
            start = 0
            if not fresh:
                start = conn.execute(
                    "SELECT coalesce(max(position), 0) FROM comments WHERE article_id = ?",
                    [article_id],
                ).fetchone()[0]
            conn.executemany(
                "INSERT OR IGNORE INTO comments (article_id, comment_id, parent_id, author, "
                "published_at, published_raw, text, position, first_seen_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (article_id, c.id, c.parent_id, c.author, c.published_at, c.published_raw,
                     c.text, start + offset, now)
                    for offset, c in enumerate(article.comments, start=1)
                ],
            )  # fmt: skip
        conn.execute(
            "UPDATE articles SET comment_count = "
            "(SELECT count(*) FROM comments WHERE article_id = :id) WHERE id = :id",
            {"id": article_id},
        )

    def _record_fetch(
        self, article_id: int, raw: RawPage, crawl_id: int | None, sha256: str | None
    ) -> None:
        self._insert(
            "fetches",
            {
                "crawl_id": crawl_id, "article_id": article_id, "url": raw.url,
                "final_url": raw.final_url or raw.url, "status": raw.status, "content_type": raw.content_type,
                "last_modified": raw.last_modified, "etag": raw.etag,
                "fetched_at": raw.fetched_at or utc_now(), "sha256": sha256,
            }
        )  # fmt: skip

    def raw_body(self, sha256: str) -> bytes | None:
        """The raw page stored under `sha256`, decompressed; None when there is none.
        ArchiveError when its codec is unknown or its bytes cannot be decompressed."""
        row = self.db.execute(
            "SELECT body, compression FROM raw_pages WHERE sha256 = ?", [sha256]
        ).fetchone()
        if row is None:
            return None
        body, codec = row
        try:
            if codec == "zstd":
                return zstandard.ZstdDecompressor().decompress(body)
            if codec == "zlib":
                return zlib.decompress(body)
        except (zstandard.ZstdError, zlib.error) as error:
            raise ArchiveError(f"raw page {sha256} cannot be decompressed: {error}") from None
        if codec in (None, "", "none"):
            return bytes(body)
        raise ArchiveError(f"raw page {sha256} is compressed with {codec!r}, which is not known")

    # -- reads --------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many rows the main tables hold, 0 for a table the file lacks."""
        tables = [
            "articles",
            "authors",
            "images",
            "comments",
            "revisions",
            "fetch_errors",
            "crawls",
        ]
        return {t: self.db[t].count if self.db[t].exists() else 0 for t in tables}

    def last_crawl_id(self) -> int:
        """The newest crawl run's id, 0 when there is none: the runs a crawl about to start
        makes are newer."""
        if not self.db["crawls"].exists():
            return 0
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM crawls").fetchone()[0])

    def crawls(self, after: int = 0, *, latest: int | None = None) -> list[CrawlRun]:
        """The crawl runs newer than run `after`, oldest first; with `latest`, only the newest
        that many of them. A count a run never wrote down is 0."""
        rows = self.db.execute(
            "SELECT id, spider, started_at, finished_at, finish_reason, pages_fetched, "
            "articles_stored, pages_skipped, failures FROM crawls WHERE id > ? "
            "ORDER BY id DESC LIMIT ?",
            [after, -1 if latest is None else latest],
        ).fetchall()
        return [
            CrawlRun(*row[:5], *(int(count or 0) for count in row[5:])) for row in reversed(rows)
        ]

    def frontier_jobs(self) -> list[FrontierJob]:
        """Every crawl job in the frontier, the one that discovered a URL last first."""
        rows = self.db.execute(
            "SELECT job, count(*), sum(done_at IS NULL), max(discovered_at) AS last_activity "
            "FROM frontier GROUP BY job ORDER BY last_activity DESC"
        ).fetchall()
        return [FrontierJob(*row) for row in rows]

    def query(
        self, sql: str, params: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> tuple[list[str], Iterator[tuple]]:
        """Run one SQL statement, its :name parameters bound from `params`; returns the column
        names and a lazy row iterator, as `archiver query` prints them.

        With `timeout`, a statement still running that many seconds from now is interrupted;
        `limit_time` sets a limit whose clock can stop while output waits.
        """
        if timeout:
            self.limit_time(timeout)
        cursor = self.db.conn.execute(sql, params or {})
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, iter(cursor)

    def limit_time(self, seconds: float | None, *, per_row: bool = False) -> TimeLimit:
        """Stop what runs next on this archive past `seconds` of SQLite's work (None: never);
        see limits.TimeLimit. A stopped statement raises sqlite3.OperationalError."""
        return TimeLimit(self.db.conn, seconds, per_row=per_row)

    def search(
        self,
        text: str,
        *,
        site: str | None = None,
        since: str | None = None,
        limit: int = 20,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        """The articles that match `text`, best first, as `archiver search` finds them.

        Accents are optional ("cafe" finds "café"), every word must be found unless OR joins
        two, NOT leaves one out and `word*` is a prefix. Each hit has id, title, site,
        published_at, url, a snippet with the words found in [brackets], and its rank (bm25:
        lower is better). SearchError when `text` holds nothing to search for, or too much
        (search.MAX_WORDS); past `timeout` seconds, sqlite3.OperationalError("interrupted").
        """
        clauses, params = ArticleFilter(site=site, since=since).conditions()
        params.update(query=fts_query(text), limit=limit)
        self.limit_time(timeout)
        try:
            cursor = self.db.conn.execute(search_sql(clauses), params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor]
        finally:
            self.limit_time(None)  # the limit was this search's, not the next statement's

    def count_articles(self, where: ArticleFilter | None = None) -> int:
        """How many articles `where` selects: what iter_articles will give."""
        clause, params = (where or ArticleFilter()).sql()
        return self.db.execute(f"SELECT count(*) FROM articles{clause}", params).fetchone()[0]

    def iter_articles(self, where: ArticleFilter | None = None) -> Iterator[dict[str, Any]]:
        """The articles `where` selects (all by default), oldest published first, one at a
        time: a dict of the row, JSON columns decoded, with images and comments nested, as
        `archiver export` writes them."""
        clause, params = (where or ArticleFilter()).sql()
        conn = self.db.conn
        cursor = conn.execute(
            f"SELECT * FROM articles{clause} ORDER BY articles.published_at, articles.id", params
        )
        names = [d[0] for d in cursor.description]
        for values in cursor:
            article = dict(zip(names, values, strict=True))
            for column in JSON_COLUMNS:
                article[column] = json.loads(article[column]) if article[column] else None
            article_id = article["id"]
            article["images"] = [
                {"src": src, "caption": caption, "credit": credit}
                for src, caption, credit in conn.execute(
                    "SELECT src, caption, credit FROM images WHERE article_id = ? ORDER BY position",
                    [article_id],
                )
            ]
            article["comments"] = [
                {"id": cid, "parent_id": parent, "author": author, "published_at": at, "text": text}
                for cid, parent, author, at, text in conn.execute(
                    "SELECT comment_id, parent_id, author, published_at, text "
                    "FROM comments WHERE article_id = ? ORDER BY position",
                    [article_id],
                )
            ]
            yield article
