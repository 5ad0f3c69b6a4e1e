"""The archive's schema: its tables, indexes, views and full-text index, and the steps that bring
an archive made by an older version up to date.

Tables are made through sqlite-utils, so that `sqlite-utils` and Datasette read the file as they
read any other, and a table an older archive has is given the columns it lacks.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from typing import Any

import sqlite_utils

# Bumped whenever create_or_upgrade() changes, so that opening an up-to-date archive writes nothing.
SCHEMA_VERSION = 7

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
    "comments_status": str,
    "fetched_at": str,
    "first_seen_at": str,
    "last_seen_at": str,
    "field_sources": str,  # JSON object: field -> where it was found
    "parse_warnings": str,  # JSON object: field -> raw string that could not be read
    "relative_dates": str,  # JSON array: dates resolved from "il y a 2 heures" and the like
    "crawl_id": int,
    "revision_id": int,
    "revision_count": int,
    "content_hash": str,
    "raw_sha256": str,
    "extractor_version": str,
}
JSON_COLUMNS = ("authors", "tags", "field_sources", "parse_warnings", "relative_dates")
FTS_COLUMNS = ["title", "lead", "body", "authors"]
# "cafe" finds "café"; apostrophes separate tokens, so "amour" finds "d'amour".
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

# Each table's columns and sqlite-utils create() options, in the order they are made: a table
# comes after those its foreign keys name.
TABLES: dict[str, tuple[dict[str, type], dict[str, Any]]] = {
    "crawls": (
        {
            "id": int, "spider": str, "started_at": str, "finished_at": str,
            "finish_reason": str, "pages_fetched": int, "articles_stored": int,
            "pages_skipped": int, "failures": int, "stats": str,
            "uid": str,  # the run's identity across archives, which `archiver merge` keys on
        },
        {"pk": "id", "not_null": {"spider", "started_at"}},
    ),
    "articles": (
        ARTICLE_COLUMNS,
        {
            "pk": "id", "not_null": {"url", "canonical_url"},
            "foreign_keys": [("crawl_id", "crawls", "id")],
            "defaults": {"comment_count": 0, "image_count": 0, "revision_count": 0},
        },
    ),
    "authors": ({"id": int, "name": str, "key": str}, {"pk": "id", "not_null": {"name"}}),
    "article_authors": (
        {"article_id": int, "author_id": int, "position": int},
        {
            "pk": ("article_id", "author_id"),
            "foreign_keys": [("article_id", "articles", "id"), ("author_id", "authors", "id")],
        },
    ),
    "images": (
        {
            "id": int, "article_id": int, "position": int, "src": str, "caption": str,
            "credit": str, "caption_raw": str, "alt": str,
        },
        {
            "pk": "id", "not_null": {"article_id", "position", "src"},
            "foreign_keys": [("article_id", "articles", "id")],
        },
    ),
    "comments": (
        {
            "id": int, "article_id": int, "comment_id": str, "parent_id": str, "author": str,
            "published_at": str, "published_raw": str, "text": str, "position": int,
            "first_seen_at": str,
        },
        {
            "pk": "id", "not_null": {"article_id", "comment_id", "text"},
            "foreign_keys": [("article_id", "articles", "id")],
        },
    ),
    "revisions": (
        {
            "id": int, "article_id": int, "number": int, "content_hash": str, "title": str,
            "lead": str, "body": str, "authors": str, "published_at": str, "updated_at": str,
            "captured_at": str, "crawl_id": int, "raw_sha256": str,
        },
        {
            "pk": "id", "not_null": {"article_id", "number", "captured_at"},
            "foreign_keys": [("article_id", "articles", "id"), ("crawl_id", "crawls", "id")],
        },
    ),
    "revision_paragraphs": (
        {"revision_id": int, "position": int, "text": str},
        {"pk": ("revision_id", "position"), "foreign_keys": [("revision_id", "revisions", "id")]},
    ),
    "raw_pages": (
        {"sha256": str, "body": bytes, "size": int, "compression": str},
        {"pk": "sha256"},
    ),
    "fetches": (
        {
            "id": int, "crawl_id": int, "article_id": int, "url": str, "final_url": str,
            "status": int, "content_type": str, "last_modified": str, "etag": str,
            "fetched_at": str, "sha256": str,
        },
        {
            "pk": "id", "not_null": {"url", "fetched_at"},
            "foreign_keys": [
                ("crawl_id", "crawls", "id"), ("article_id", "articles", "id"),
                ("sha256", "raw_pages", "sha256"),
            ],
        },
    ),
    "frontier": (
        {
            "job": str, "url": str, "kind": str, "depth": int, "discovered_at": str,
            "done_at": str,
        },
        {"pk": ("job", "url"), "not_null": {"job", "url"}},
    ),
    "fetch_errors": (
        {
            "id": int, "crawl_id": int, "url": str, "reason": str, "status": int, "detail": str,
            "occurred_at": str,
        },
        {
            "pk": "id", "not_null": {"url", "reason", "occurred_at"},
            "foreign_keys": [("crawl_id", "crawls", "id")],
        },
    ),
}  # fmt: skip

# (table, columns, unique)
INDEXES: list[tuple[str, list[str], bool]] = [
    ("articles", ["canonical_url"], True),
    ("crawls", ["uid"], True),
    ("articles", ["site", "published_at"], False),
    ("articles", ["published_at"], False),
    ("authors", ["name"], True),
    ("authors", ["key"], True),
    ("article_authors", ["author_id"], False),
    ("images", ["article_id", "position"], True),
    ("comments", ["article_id", "comment_id"], True),
    ("revisions", ["article_id", "number"], True),
    ("fetches", ["article_id"], False),
    ("fetches", ["url"], False),
    ("frontier", ["job", "done_at"], False),
    ("fetch_errors", ["crawl_id"], False),
    ("fetch_errors", ["url"], False),
]

VIEWS = {
    "revision_changes": """
SELECT r.article_id, a.canonical_url AS url, p.number AS from_revision, r.number AS to_revision,
       p.captured_at AS before_at, r.captured_at AS after_at,
       p.title AS title_before, r.title AS title_after,
       p.title IS NOT r.title AS title_changed, p.lead IS NOT r.lead AS lead_changed,
       p.body IS NOT r.body AS body_changed, p.authors IS NOT r.authors AS authors_changed,
       p.published_at IS NOT r.published_at AS published_changed,
       p.updated_at IS NOT r.updated_at AS updated_changed
FROM revisions r
JOIN revisions p ON p.article_id = r.article_id AND p.number = r.number - 1
JOIN articles a ON a.id = r.article_id""",
    "paragraph_changes": """
SELECT r.article_id, r.number AS revision, 'added' AS change, rp.position, rp.text
FROM revisions r
JOIN revisions p ON p.article_id = r.article_id AND p.number = r.number - 1
JOIN revision_paragraphs rp ON rp.revision_id = r.id
WHERE rp.text NOT IN (SELECT text FROM revision_paragraphs WHERE revision_id = p.id)
UNION ALL
SELECT r.article_id, r.number AS revision, 'removed' AS change, pp.position, pp.text
FROM revisions r
JOIN revisions p ON p.article_id = r.article_id AND p.number = r.number - 1
JOIN revision_paragraphs pp ON pp.revision_id = p.id
WHERE pp.text NOT IN (SELECT text FROM revision_paragraphs WHERE revision_id = r.id)""",
}


def author_key(name: str) -> str:
    """Who an author is, whatever the capitals: "Jean DUPONT" and "Jean Dupont" are one person
    in the authors table, while each article keeps the spelling its page printed."""
    return " ".join(name.split()).casefold()


def best_spelling(names: Iterable[str]) -> str:
    """Of the spellings of one name, the one with the fewest capitals (the first of equals):
    "Jean Dupont" rather than "Jean DUPONT", as most pages print it."""
    return min(names, key=lambda name: sum(1 for c in name if c.isupper()))


def add_functions(conn: sqlite3.Connection) -> None:
    """SQL functions of ours that queries may call: author_key(name)."""
    conn.create_function(
        "author_key",
        1,
        lambda name: author_key(name) if isinstance(name, str) else None,
        deterministic=True,
    )


def create_or_upgrade(db: sqlite_utils.Database) -> None:
    """Make what the archive lacks and upgrade what an older version made, in the caller's
    transaction; the last step stamps SCHEMA_VERSION."""
    for name, (columns, options) in TABLES.items():
        _table(db, name, columns, **options)
    _merge_author_spellings(db.conn)  # before authors.key is made unique
    _crawl_uids(db.conn)  # before crawls.uid is made unique
    for table, columns, unique in INDEXES:
        db[table].create_index(columns, unique=unique, if_not_exists=True)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), ignore=True)
    if not db["articles_fts"].exists():
        db["articles"].enable_fts(FTS_COLUMNS, tokenize=FTS_TOKENIZE, create_triggers=True)
    _fts_triggers(db.conn)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _table(db: sqlite_utils.Database, name: str, columns: dict[str, type], **options: Any) -> None:
    """Create a table, or add the columns an older archive lacks."""
    table = db[name]
    if table.exists():
        for column, kind in columns.items():
            if column not in table.columns_dict:
                table.add_column(column, kind)
    else:
        table.create(columns, **options)


def _merge_author_spellings(conn: sqlite3.Connection) -> None:
    """An archive made before authors had a key: key every author, then merge the rows that
    spell one name differently into the first, under its best spelling."""
    unkeyed = conn.execute("SELECT id, name FROM authors WHERE key IS NULL").fetchall()
    conn.executemany(
        "UPDATE authors SET key = ? WHERE id = ?", [(author_key(n), i) for i, n in unkeyed]
    )
    repeated = conn.execute("SELECT key FROM authors GROUP BY key HAVING count(*) > 1").fetchall()
    for (key,) in repeated:
        rows = conn.execute(
            "SELECT id, name FROM authors WHERE key = ? ORDER BY id", [key]
        ).fetchall()
        kept = rows[0][0]
        for other, _ in rows[1:]:
            conn.execute(
                "UPDATE OR IGNORE article_authors SET author_id = ? WHERE author_id = ?",
                [kept, other],
            )
            conn.execute("DELETE FROM article_authors WHERE author_id = ?", [other])
            conn.execute("DELETE FROM authors WHERE id = ?", [other])
        conn.execute(
            "UPDATE authors SET name = ? WHERE id = ?", [best_spelling(n for _, n in rows), kept]
        )


def legacy_crawl_uid(spider: str, started_at: str, crawl_id: int) -> str:
    """The uid of a run recorded before runs had one: derived from the row, so that a merge
    reading an archive not yet upgraded and the upgrade itself agree on it."""
    return hashlib.sha256(f"{spider}|{started_at}|{crawl_id}".encode()).hexdigest()[:32]


def _crawl_uids(conn: sqlite3.Connection) -> None:
    """Give every run a uid: older rows get legacy_crawl_uid, new rows a random one from a
    trigger, so that any writer (a crawl, a merge, plain SQL) gets one. Two nodes of a
    distributed crawl both number their first run 1: the uid tells them apart."""
    rows = conn.execute("SELECT id, spider, started_at FROM crawls WHERE uid IS NULL").fetchall()
    conn.executemany(
        "UPDATE crawls SET uid = ? WHERE id = ?",
        [(legacy_crawl_uid(spider, started, i), i) for i, spider, started in rows],
    )
    conn.execute(
        "CREATE TRIGGER IF NOT EXISTS crawls_uid AFTER INSERT ON crawls WHEN new.uid IS NULL "
        "BEGIN UPDATE crawls SET uid = lower(hex(randomblob(16))) WHERE id = new.id; END"
    )


def fts_behind(conn: sqlite3.Connection) -> bool:
    """Whether `articles` holds rows that articles_fts lacks: rows that sqlite-utils, Datasette
    or plain SQL added, since no insert trigger indexes them (see _fts_triggers).

    Two look-ups on the rowid keys and two counts, which the rowid alone would miss in a row
    put in a gap: opening the demo archive (43 articles) takes 0.04 ms longer, 0.50 ms in all,
    and one of 100,000 articles 1.8 ms longer, 2.2 ms. False for a file without the tables."""
    try:
        stored, indexed = conn.execute(
            "SELECT (SELECT max(rowid) FROM articles), (SELECT max(id) FROM articles_fts_docsize)"
        ).fetchone()
        counted = conn.execute(
            "SELECT (SELECT count(*) FROM articles) = (SELECT count(*) FROM articles_fts_docsize)"
        ).fetchone()[0]
    except sqlite3.OperationalError:  # no such table: not an archive, or not one of ours yet
        return False
    return stored != indexed or not counted


def fts_catch_up(conn: sqlite3.Connection) -> None:
    """Index the rows fts_behind finds, in the caller's transaction. They are most often new
    rows past the last one indexed; if the index still differs from the table (a row put in a
    gap, or deleted without the triggers), it is rebuilt from the table."""
    columns = ", ".join(FTS_COLUMNS)
    conn.execute(
        f"INSERT INTO articles_fts (rowid, {columns}) SELECT rowid, {columns} FROM articles "
        "WHERE rowid > (SELECT coalesce(max(id), 0) FROM articles_fts_docsize)"
    )
    if fts_behind(conn):
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")


def _fts_triggers(conn: sqlite3.Connection) -> None:
    """The triggers that keep articles_fts in step with articles, but for new rows.

    sqlite-utils' insert trigger is dropped: save_articles indexes a new article itself
    (Archive._index_new), and rows added otherwise are indexed when the archive is next opened
    (fts_catch_up). A row written by a trigger has FTS5 flush its pending terms at every
    statement, one segment an article to be merged later, where rows inserted directly are
    flushed once a transaction: saving 2,000 generated articles took 0.43-0.47 ms an article
    with the trigger, 0.28-0.33 without (benchmarks/bench_fts_index.py).

    sqlite-utils' update trigger re-indexes an article on every UPDATE, so a re-crawl that only
    moves last_seen_at, or a new comment count, would rewrite its whole FTS entry. This one
    fires only when an indexed column's value changes, not whenever one is written: a changed
    date rewrites the whole row."""
    columns = ", ".join(FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in FTS_COLUMNS)
    conn.execute("DROP TRIGGER IF EXISTS articles_ai")
    conn.execute("DROP TRIGGER IF EXISTS articles_au")
    conn.execute(
        f"CREATE TRIGGER articles_au AFTER UPDATE OF {columns} ON articles WHEN {changed} BEGIN "
        f"INSERT INTO articles_fts (articles_fts, rowid, {columns}) "
        f"VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO articles_fts (rowid, {columns}) VALUES (new.rowid, {new}); END"
    )
