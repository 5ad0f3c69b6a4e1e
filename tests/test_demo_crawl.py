"""End to end: `archiver demo` crawls the bundled site over HTTP into a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from conftest import article_row, authors_of, json_column, run_cli

SEED = "luke-cage-netflix-serveurs"


def test_seed_article_field_by_field(db: sqlite3.Connection) -> None:
    row = article_row(db, SEED)
    assert row is not None
    assert row["title"] == "Luke Cage a-t-il fait crasher les serveurs de Netflix ?"
    assert json_column(row, "authors") == ["Christophe Foltzer"]
    assert authors_of(db, row["id"]) == ["Christophe Foltzer"]
    assert row["published_at"].startswith("2016-10-03T")
    assert row["published_at"].endswith("+02:00")  # Europe/Paris, summer time
    images = db.execute(
        "SELECT caption, credit FROM images WHERE article_id = ? ORDER BY position", [row["id"]]
    ).fetchall()
    assert [tuple(i) for i in images] == [("Mike Colter", None), ("Mike Colter", None)]
    assert row["comment_count"] == 0
    assert (
        db.execute("SELECT count(*) FROM comments WHERE article_id = ?", [row["id"]]).fetchone()[0]
        == 0
    )
    assert row["lead"] and row["lead"] not in row["body"]
    for noise in ("Christophe Foltzer", "3 octobre 2016", "Photo Mike Colter", "Aucun commentaire",
                  "votre commentaire", "À lire aussi", "Partager"):  # fmt: skip
        assert noise not in row["body"], noise
    assert row["language"] == "fr"
    assert row["site"] == "www.echo-des-ecrans.test"


def test_every_article_matches_what_its_page_states(
    db: sqlite3.Connection, demo_content: list[dict[str, Any]]
) -> None:
    """Each demo page's expected fields were written by hand, independently of the code."""
    checked = 0
    for page in demo_content:
        if not page["title"]:
            continue
        row = article_row(db, page["slug"])
        assert row is not None, page["slug"]
        expected = page["expected"]
        where = page["slug"]
        assert json_column(row, "authors") == expected["authors"], where
        assert row["agency"] == expected["agency"], where
        if expected["published_date"]:
            assert row["published_at"][:10] == expected["published_date"], where
        else:
            assert row["published_at"], where  # relative dates resolve against the fetch time
        if expected["published_time"]:
            assert row["published_at"][11:16] == expected["published_time"], where
        if expected["updated_date"]:
            assert row["updated_at"] and row["updated_at"][:10] == expected["updated_date"], where
        images = db.execute(
            "SELECT caption, credit FROM images WHERE article_id = ? ORDER BY position", [row["id"]]
        ).fetchall()
        assert [dict(i) for i in images] == expected["captions"], where
        assert row["comment_count"] == expected["comment_count"], where
        for paragraph in page["paragraphs"]:
            assert paragraph.removeprefix("## ") in row["body"], where
        for figure in page["figures"]:
            assert figure["caption"] not in row["body"], where
        checked += 1
    assert checked >= 40


def test_threaded_comments_keep_their_reply_to(
    db: sqlite3.Connection, demo_content: list[dict[str, Any]]
) -> None:
    threaded = [p for p in demo_content if any(c["parent"] for c in p["comments"])]
    assert len(threaded) >= 3
    for page in threaded:
        row = article_row(db, page["slug"])
        stored = db.execute(
            "SELECT comment_id, parent_id, author, text, published_at FROM comments "
            "WHERE article_id = ? ORDER BY position",
            [row["id"]],
        ).fetchall()
        assert {c["comment_id"]: c["parent_id"] for c in stored} == {
            c["id"]: c["parent"] for c in page["comments"]
        }
        assert [c["author"] for c in stored] == [c["author"] for c in page["comments"]]
        assert [c["text"] for c in stored] == [c["text"] for c in page["comments"]]
        assert all(c["published_at"] for c in stored)
        for comment in page["comments"]:
            assert comment["text"] not in row["body"]


def test_latin1_page_keeps_its_accents(
    db: sqlite3.Connection, demo_content: list[dict[str, Any]]
) -> None:
    page = next(p for p in demo_content if p["encoding"] == "iso-8859-1")
    row = article_row(db, page["slug"])
    assert row["title"] == page["title"]
    assert row["lead"] == page["lead"]
    assert "é" in row["body"] and "Ã" not in row["body"]


def test_page_without_title_is_a_recorded_failure(db: sqlite3.Connection) -> None:
    assert article_row(db, "breve-sans-titre") is None
    crawl = db.execute("SELECT stats, failures FROM crawls ORDER BY id DESC LIMIT 1").fetchone()
    assert json.loads(crawl["stats"])["archiver/failures/missing_title"] == 1
    assert crawl["failures"] >= 1
    errors = db.execute(
        "SELECT reason FROM fetch_errors WHERE url LIKE '%breve-sans-titre%'"
    ).fetchall()
    assert [e["reason"] for e in errors] == ["missing_title"]


def test_listing_tag_and_author_pages_are_not_articles(db: sqlite3.Connection) -> None:
    for pattern in ("%/tag/%", "%/auteur/%", "%/page/%", "%a-propos%"):
        assert (
            db.execute("SELECT count(*) FROM articles WHERE url LIKE ?", [pattern]).fetchone()[0]
            == 0
        )
    crawl = db.execute("SELECT pages_skipped FROM crawls ORDER BY id DESC LIMIT 1").fetchone()
    assert crawl["pages_skipped"] >= 10


def test_robots_txt_is_obeyed(db: sqlite3.Connection) -> None:
    blocked = db.execute(
        "SELECT reason, detail FROM fetch_errors WHERE url LIKE '%/admin/%'"
    ).fetchone()
    assert blocked is not None and "robots.txt" in blocked["detail"]


def test_schema_has_foreign_keys_and_indexes(db: sqlite3.Connection) -> None:
    for table in ("article_authors", "images", "comments"):
        targets = {row["table"] for row in db.execute(f"PRAGMA foreign_key_list({table})")}
        assert "articles" in targets, table
    indexed = {
        row["name"] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    assert any("canonical_url" in name for name in indexed)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_running_demo_twice_gives_the_same_counts(tmp_path: Path) -> None:
    path = tmp_path / "twice.db"
    first = run_cli("demo", "--db", str(path))
    assert first.returncode == 0, first.stderr[-2000:]
    counts_query = (
        "SELECT (SELECT count(*) FROM articles) a, (SELECT count(*) FROM authors) b, "
        "(SELECT count(*) FROM images) c, (SELECT count(*) FROM comments) d"
    )
    before = sqlite3.connect(path).execute(counts_query).fetchone()
    second = run_cli("demo", "--db", str(path))
    assert second.returncode == 0, second.stderr[-2000:]
    conn = sqlite3.connect(path)
    assert conn.execute(counts_query).fetchone() == before
    assert conn.execute("SELECT count(*) FROM crawls").fetchone()[0] == 2
    assert before[0] >= 40
    assert "articles stored" in second.stdout and "archiver query" in second.stdout


def test_the_crawl_stats_count_garbage_collections(db: sqlite3.Connection) -> None:
    """The collector extension ran in the real crawl and stored its counts before the pipeline
    wrote the stats down."""
    crawl = db.execute("SELECT stats FROM crawls ORDER BY id DESC LIMIT 1").fetchone()
    stats = json.loads(crawl["stats"])
    assert {"gc/collections/0", "gc/collections/1", "gc/collections/2"} <= stats.keys()
    assert stats["gc/collections/2"] == 0  # nothing piled up for a full collection
