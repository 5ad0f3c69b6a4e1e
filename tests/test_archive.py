"""The archive over time: raw pages, revisions, re-crawls, reparse, search, safe SQL, filters."""

from __future__ import annotations

import copy
import json
import re
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
import zstandard
from scrapy.settings import Settings

from archiver.archive.condition import ConditionError
from archiver.archive.diff import revision_diff
from archiver.archive.reparse import reparse
from archiver.archive.schema import SCHEMA_VERSION
from archiver.archive.search import SearchError
from archiver.archive.store import (
    Archive,
    ArchiveBusy,
    ArchiveError,
    ArticleFilter,
    FrontierJob,
)
from archiver.crawl.frontier import Frontier
from archiver.crawl.run import CrawlSettingError, check_crawl, crawl_settings, run_sharded
from archiver.crawl.session import raw_compression
from archiver.demo.server import DemoServer
from archiver.demo.site import DemoSite
from archiver.extract.read import ArticleReader
from archiver.items import Article
from conftest import article_row, run_cli

SEED = "luke-cage-netflix-serveurs"


def crawl_site(site: DemoSite, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    with DemoServer(site) as server:
        result = run_cli("crawl", "demo", "-a", f"url={server.url}", "--db", str(db), *extra)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def edited(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The demo site a day later: a new headline, a paragraph swapped, a new reader comment."""
    articles = copy.deepcopy(articles)
    seed = next(a for a in articles if a["slug"] == SEED)
    seed["title"] = "Luke Cage a bien fait tomber les serveurs de Netflix"
    seed["paragraphs"][1] = "Netflix a confirmé la panne dans un message publié lundi matin."
    seed["paragraphs"].append("Mise à jour : le service fonctionne de nouveau partout.")
    threaded = next(a for a in articles if any(c["parent"] for c in a["comments"]))
    threaded["comments"].append(
        {"id": "c99", "parent": threaded["comments"][0]["id"], "author": "Nouvelle venue",
         "date_text": "il y a 5 minutes", "text": "Je découvre ce fil, passionnant."}
    )  # fmt: skip
    return articles


@pytest.fixture(scope="module")
def recrawled(tmp_path_factory: pytest.TempPathFactory, demo_content: list[dict[str, Any]]) -> Path:
    db = tmp_path_factory.mktemp("revisions") / "archive.db"
    crawl_site(DemoSite(demo_content), db)
    crawl_site(DemoSite(demo_content), db)
    crawl_site(DemoSite(edited(demo_content)), db)
    return db


def test_unchanged_recrawl_only_touches_last_seen(recrawled: Path, demo_content: list) -> None:
    conn = sqlite3.connect(recrawled)
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    # one revision per article, plus one for the single edited article
    assert conn.execute("SELECT count(*) FROM revisions").fetchone()[0] == articles + 1
    other = conn.execute(
        "SELECT revision_count, first_seen_at <= last_seen_at FROM articles "
        "WHERE canonical_url NOT LIKE ?",
        [f"%{SEED}%"],
    ).fetchall()
    assert {tuple(r) for r in other} == {(1, 1)}
    stats = json.loads(conn.execute("SELECT stats FROM crawls WHERE id = 2").fetchone()[0])
    assert stats["archiver/articles_unchanged"] == articles
    assert "archiver/articles_new" not in stats or stats["archiver/articles_new"] == 0


def test_changed_page_adds_a_revision_answerable_in_sql(recrawled: Path) -> None:
    conn = sqlite3.connect(recrawled)
    conn.row_factory = sqlite3.Row
    row = article_row(conn, SEED)
    assert row["revision_count"] == 2
    assert row["title"] == "Luke Cage a bien fait tomber les serveurs de Netflix"
    change = conn.execute(
        "SELECT * FROM revision_changes WHERE article_id = ?", [row["id"]]
    ).fetchone()
    assert change["title_before"] == "Luke Cage a-t-il fait crasher les serveurs de Netflix ?"
    assert change["title_after"] == row["title"]
    assert change["title_changed"] == 1 and change["body_changed"] == 1
    assert change["authors_changed"] == 0
    added = conn.execute(
        "SELECT text FROM paragraph_changes WHERE article_id = ? AND change = 'added'", [row["id"]]
    ).fetchall()
    removed = conn.execute(
        "SELECT text FROM paragraph_changes WHERE article_id = ? AND change = 'removed'",
        [row["id"]],
    ).fetchall()
    assert {r[0] for r in added} == {
        "Netflix a confirmé la panne dans un message publié lundi matin.",
        "Mise à jour : le service fonctionne de nouveau partout.",
    }
    assert len(removed) == 1
    assert (
        row["revision_id"]
        == conn.execute(
            "SELECT max(id) FROM revisions WHERE article_id = ?", [row["id"]]
        ).fetchone()[0]
    )


def test_new_comments_are_added_not_duplicated(recrawled: Path, demo_content: list) -> None:
    conn = sqlite3.connect(recrawled)
    threaded = next(a for a in demo_content if any(c["parent"] for c in a["comments"]))
    article_id, count = conn.execute(
        "SELECT id, comment_count FROM articles WHERE canonical_url LIKE ?",
        [f"%/{threaded['slug']}.html"],
    ).fetchone()
    stored = conn.execute("SELECT comment_id FROM comments WHERE article_id = ?", [article_id])
    ids = [r[0] for r in stored]
    assert len(ids) == len(set(ids)) == len(threaded["comments"]) + 1 == count
    assert "c99" in ids


def test_diff_shows_the_changes(recrawled: Path) -> None:
    url = "https://www.echo-des-ecrans.test/articles/luke-cage-netflix-serveurs.html"
    other = "https://www.echo-des-ecrans.test/articles/festival-annecy-animation-francaise.html"
    with Archive(recrawled, read_only=True) as archive:
        report = revision_diff(archive, url)
        with pytest.raises(ArchiveError, match="single revision"):
            revision_diff(archive, other)
    assert "- Luke Cage a-t-il fait crasher les serveurs de Netflix ?" in report
    assert "+ Luke Cage a bien fait tomber les serveurs de Netflix" in report
    assert "+ Mise à jour : le service fonctionne de nouveau partout." in report
    assert run_cli("diff", url, "--db", str(recrawled)).stdout.strip() == report
    single = run_cli("diff", other, "--db", str(recrawled))
    assert single.returncode == 1 and "single revision" in single.stderr


def test_raw_pages_are_kept_once_with_their_headers(recrawled: Path, demo_content: list) -> None:
    conn = sqlite3.connect(recrawled)
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    # three crawls, but identical bodies are stored once
    bodies = {
        site.render(f"/articles/{page['slug']}.html").body
        for site in (DemoSite(demo_content), DemoSite(edited(demo_content)))
        for page in site.articles
        if page["title"]
    }
    assert conn.execute("SELECT count(*) FROM raw_pages").fetchone()[0] == len(bodies) > articles
    assert conn.execute("SELECT count(*) FROM fetches").fetchone()[0] == 3 * articles
    page = next(p for p in demo_content if p["encoding"] == "iso-8859-1")
    body, content_type, status = conn.execute(
        "SELECT raw_pages.body, content_type, status FROM fetches "
        "JOIN raw_pages ON raw_pages.sha256 = fetches.sha256 WHERE url LIKE ? LIMIT 1",
        [f"%/{page['slug']}.html"],
    ).fetchone()
    served = DemoSite(demo_content).render(f"/articles/{page['slug']}.html")
    assert zstandard.ZstdDecompressor().decompress(body) == served.body
    assert content_type == "text/html; charset=ISO-8859-1" and status == 200


def test_no_raw_keeps_no_pages(tmp_path: Path, demo_content: list) -> None:
    db = tmp_path / "noraw.db"
    crawl_site(DemoSite(demo_content[:5]), db, "--no-raw")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM raw_pages").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"ARCHIVE_RAW_COMPRESSION": "23"}, "must be a zstd level from 1 to 22, not 23"),
        (
            {"ARCHIVE_RAW_CODEC": "zlib", "ARCHIVE_RAW_COMPRESSION": "10"},
            "must be a zlib level from 0 to 9, not 10",
        ),
        ({"ARCHIVE_RAW_CODEC": "lz4"}, "ARCHIVE_RAW_CODEC must be one of zstd, zlib, not 'lz4'"),
    ],
)
def test_a_raw_codec_or_level_that_cannot_be_is_refused_up_front(
    tmp_path: Path, settings: dict[str, str], message: str
) -> None:
    with pytest.raises(CrawlSettingError, match=re.escape(message)):
        check_crawl("demo", crawl_settings(str(tmp_path / "a.db"), settings))
    assert not (tmp_path / "a.db").exists()


def test_the_crawl_command_refuses_a_codec_with_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("crawl", "demo", "--db", str(tmp_path / "a.db"), "-s", "ARCHIVE_RAW_CODEC=lz4")
    assert result.returncode == 2 and "not 'lz4'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "a.db").exists()


def test_search_index_follows_text_changes_only(recrawled: Path, tmp_path: Path) -> None:
    db = tmp_path / "fts.db"
    db.write_bytes(recrawled.read_bytes())
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    hits = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
    assert conn.execute(hits, ['"Luke Cage a bien fait tomber"']).fetchone()[0] == 1
    before = conn.total_changes
    conn.execute("UPDATE articles SET last_seen_at = 'x', comment_count = 0 WHERE id = 1")
    assert conn.total_changes - before == 1  # the index is not rewritten
    conn.execute("UPDATE articles SET title = title, published_at = 'y' WHERE id = 1")
    assert conn.total_changes - before == 2  # nor for a date, with the same text rewritten
    conn.execute("UPDATE articles SET title = 'Un titre tout neuf' WHERE id = 1")
    assert conn.execute(hits, ['"Un titre tout neuf"']).fetchone()[0] == 1
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")


def _index_matches_articles(conn: sqlite3.Connection) -> None:
    """FTS5's integrity check, rank 1: the index holds each article's text, no more, no less."""
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")


def test_save_articles_indexes_new_and_changed_articles(tmp_path: Path) -> None:
    hits = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid"
    with Archive(tmp_path / "a.db") as archive:
        conn = archive.db.conn
        first = [_article(f"https://a.test/{n}", ["Léa Martin"]) for n in range(1, 4)]
        first[1].body = "Une série adaptée des comics."
        archive.save_articles(first)
        _index_matches_articles(conn)
        assert conn.execute(hits, ["serie"]).fetchall() == [(2,)]
        assert conn.execute(hits, ["lea"]).fetchall() == [(1,), (2,), (3,)]
        again = copy.deepcopy(first)  # unchanged, changed, and a new one, in one batch
        again[2].body = "Le tournage reprend en mars."
        again.append(_article("https://a.test/4", ["Paul Roy"]))
        archive.save_articles(again)
        _index_matches_articles(conn)
        assert conn.execute(hits, ["tournage"]).fetchall() == [(3,)]
        assert conn.execute(hits, ["roy"]).fetchall() == [(4,)]
        assert conn.execute(hits, ["texte"]).fetchall() == [(1,), (4,)]


def test_an_archive_of_schema_5_drops_its_insert_trigger_and_keeps_its_index(
    tmp_path: Path,
) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.save_articles([_article("https://a.test/1", [])])
    conn = sqlite3.connect(db)
    conn.execute(  # the trigger sqlite-utils made, which schema 5 had
        "CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN INSERT INTO articles_fts "
        "(rowid, title, lead, body, authors) VALUES (new.rowid, new.title, new.lead, new.body, "
        "new.authors); END"
    )
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    with Archive(db) as archive:
        archive.save_articles([_article("https://a.test/2", [])])
    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    assert conn.execute(triggers).fetchall() == [
        ("articles_ad",),
        ("articles_au",),
        ("crawls_uid",),
    ]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    _index_matches_articles(conn)  # the second article is indexed once, not twice


def _found(db: Path, text: str) -> list[str]:
    """The URLs `archiver search` finds, as a user would run it."""
    result = run_cli("search", text, "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    return [hit["url"] for hit in json.loads(result.stdout or "[]")]


def test_rows_other_tools_add_are_indexed_when_the_archive_is_next_opened(
    tmp_path: Path,
) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.save_articles([_article("https://a.test/1", ["Léa Martin"])])
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO articles (url, canonical_url, title, body) VALUES (?, ?, ?, ?)",
        ["https://a.test/sql", "https://a.test/sql", "Ajouté en SQL", "Un tournage à Lyon."],
    )
    conn.commit()
    sqlite_utils.Database(db)["articles"].insert(
        {"url": "https://a.test/su", "canonical_url": "https://a.test/su", "title": "Ajouté",
         "body": "Un tournage à Nantes, par sqlite-utils."}
    )  # fmt: skip
    unindexed = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'tournage'"
    assert conn.execute(unindexed).fetchone()[0] == 0
    # read-only, as `archiver search` opens it
    assert sorted(_found(db, "tournage")) == ["https://a.test/sql", "https://a.test/su"]
    _index_matches_articles(conn)
    conn.execute("DELETE FROM articles WHERE id = 1")  # the delete trigger unindexes it
    conn.execute(  # a row put in the gap: the last rowid is the same as before
        "INSERT INTO articles (id, url, canonical_url, title) VALUES (1, 'https://a.test/gap', "
        "'https://a.test/gap', 'Une brève glissée dans le trou')"
    )
    conn.commit()
    with Archive(db) as archive:  # opened for writing, as a crawl does
        assert [hit["url"] for hit in archive.search("breve")] == ["https://a.test/gap"]
    _index_matches_articles(conn)


def test_opening_an_archive_whose_index_is_whole_writes_nothing(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(demo_db.read_bytes())
    before = db.read_bytes()
    with Archive(db, read_only=True) as archive:
        assert archive.search("Netflix")
    assert db.read_bytes() == before
    with Archive(db) as archive:
        assert archive.db.conn.total_changes == 0


@pytest.mark.parametrize("codec", ["zstd", "zlib"])
def test_raw_codec_and_level_are_settings(tmp_path: Path, demo_content: list, codec: str) -> None:
    sizes = {}
    for level in (1, 9):
        db = tmp_path / f"level{level}.db"
        settings = ["-s", f"ARCHIVE_RAW_COMPRESSION={level}", "-s", f"ARCHIVE_RAW_CODEC={codec}"]
        crawl_site(DemoSite(demo_content[:5]), db, *settings)
        with Archive(db, read_only=True) as archive:
            rows = archive.db.execute(
                "SELECT sha256, length(body), size, compression FROM raw_pages"
            ).fetchall()
            assert len(rows) == 5 and {row[3] for row in rows} == {codec}
            assert all(len(archive.raw_body(sha) or b"") == size for sha, _, size, _ in rows)
        sizes[level] = sum(stored for _, stored, _, _ in rows)
    assert sizes[9] < sizes[1]


def test_an_archive_reads_the_raw_pages_of_every_codec(tmp_path: Path) -> None:
    """Rows written with zlib (archives before zstd) or without compression read back alike."""
    body = "<html><body><p>Été à Paris</p></body></html>".encode() * 50
    with Archive(tmp_path / "mixed.db") as archive:
        rows = [
            ("a" * 64, zlib.compress(body, 6), "zlib"),
            ("b" * 64, zstandard.ZstdCompressor().compress(body), "zstd"),
            ("c" * 64, body, "none"),
        ]
        for sha256, stored, codec in rows:
            archive.db.execute(
                "INSERT INTO raw_pages (sha256, body, size, compression) VALUES (?, ?, ?, ?)",
                [sha256, stored, len(body), codec],
            )
        assert [archive.raw_body(sha256) for sha256, _, _ in rows] == [body] * 3
        unreadable = [("d" * 64, body, "lz4"), ("e" * 64, b"not zstd at all", "zstd")]
        for sha256, stored, codec in unreadable:
            archive.db.execute(
                "INSERT INTO raw_pages (sha256, body, size, compression) VALUES (?, ?, ?, ?)",
                [sha256, stored, len(body), codec],
            )
            with pytest.raises(ArchiveError, match=f"raw page {sha256}"):
                archive.raw_body(sha256)  # never compressed bytes handed out as the page


def test_a_sharded_crawl_checks_its_settings_before_it_starts(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    settings = crawl_settings(str(db), {"ARCHIVE_RAW_COMPRESSION": "99"})
    with pytest.raises(CrawlSettingError, match="not 99"):
        run_sharded("news", settings, {"url": "http://127.0.0.1:9/"}, 2)
    with pytest.raises(CrawlSettingError, match="needs start URLs"):
        run_sharded("demo", crawl_settings(str(db), {}), {}, 2)
    assert not db.exists()


def test_a_codec_or_level_the_archive_cannot_use_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ARCHIVE_RAW_CODEC must be one of zstd, zlib"):
        Archive(tmp_path / "a.db", raw_codec="lz4")
    with pytest.raises(ValueError, match="must be a zlib level from 0 to 9, not 12"):
        Archive(tmp_path / "a.db", raw_codec="zlib", raw_compression=12)
    assert Archive(tmp_path / "b.db", raw_codec="zlib").raw_compression == 1
    assert Archive(tmp_path / "c.db").raw_compression == 3
    assert raw_compression(Settings({"ARCHIVE_RAW_CODEC": "zlib"})) == ("zlib", 1)
    assert raw_compression(Settings({"ARCHIVE_RAW_COMPRESSION": "9"})) == ("zstd", 9)
    with pytest.raises(ValueError, match="a whole number, not 'fast'"):
        raw_compression(Settings({"ARCHIVE_RAW_COMPRESSION": "fast"}))


def test_reparse_counts_a_raw_page_it_cannot_read_and_goes_on(
    tmp_path: Path, demo_db: Path
) -> None:
    db = tmp_path / "bad-raw.db"
    db.write_bytes(demo_db.read_bytes())
    with Archive(db) as archive:
        articles = archive.counts()["articles"]
        sha256 = archive.db.execute("SELECT raw_sha256 FROM articles LIMIT 1").fetchone()[0]
        archive.db.execute("UPDATE raw_pages SET compression = 'lz4' WHERE sha256 = ?", [sha256])
        result = reparse(archive)
    assert result.failed == 1 and result.reparsed == articles - 1


def test_reparse_updates_in_place_with_the_new_extractor(tmp_path: Path, demo_db: Path) -> None:
    db = tmp_path / "reparse.db"
    db.write_bytes(demo_db.read_bytes())

    class Shouting(ArticleReader):
        def read(self, page: str | bytes, url: str, **options: object) -> Article | None:
            article = super().read(page, url, **options)
            if article:
                article.title = article.title.upper()
            return article

    with Archive(db) as archive:
        before = archive.counts()
        result = reparse(archive, reader=Shouting(), version="test-2")
        assert result.reparsed == before["articles"] and result.failed == 0
        assert result.content_changed == before["articles"]
        assert archive.counts() == before  # in place: no new article, revision or comment
        rows = archive.db.execute("SELECT title, extractor_version FROM articles").fetchall()
    assert all(title == title.upper() for title, _ in rows)
    assert {version for _, version in rows} == {"test-2"}
    conn = sqlite3.connect(db)
    assert (
        conn.execute("SELECT count(*) FROM revisions WHERE title <> upper(title)").fetchone()[0]
        == 0
    )

    cli = run_cli("reparse", "--db", str(db))
    assert cli.returncode == 0, cli.stderr
    assert (
        f"Reparsed {before['articles']} articles ({before['articles']} with changed content)"
        in cli.stdout
    )
    versions = {v for (v,) in sqlite3.connect(db).execute("SELECT extractor_version FROM articles")}
    assert len(versions) == 1 and versions != {"test-2"}


def test_reparse_filters_by_site(tmp_path: Path, demo_db: Path) -> None:
    db = tmp_path / "site.db"
    db.write_bytes(demo_db.read_bytes())
    with Archive(db) as archive:
        result = reparse(archive, ArticleFilter(site="nowhere.test"))
    assert result.reparsed == 0


def _first_elided_word(articles: list[dict[str, Any]]) -> tuple[str, str]:
    for page in articles:
        for paragraph in page["paragraphs"]:
            match = re.search(r"\b[ldLD]['’]([a-zà-ÿ]{6,})", paragraph)
            if match and page["title"]:
                return match.group(1), page["slug"]
    raise AssertionError("no elided word in the demo content")


def test_search_ignores_accents_and_elisions(demo_db: Path, demo_content: list) -> None:
    word, slug = _first_elided_word(demo_content)
    with Archive(demo_db, read_only=True) as archive:
        hits = archive.search("serie")
        assert hits and any(
            "[séries]" in h["snippet"].lower() or "[série]" in h["snippet"].lower() for h in hits
        )
        hits = archive.search(word, limit=50)
        assert any(h["url"].endswith(f"/{slug}.html") for h in hits)
        one = archive.search("Netflix", limit=1)
        assert len(one) == 1 and "Netflix" in (one[0]["title"] + one[0]["snippet"])
        ranks = [h["rank"] for h in archive.search("Netflix")]
        assert ranks == sorted(ranks)  # best first: bm25 is lower for a better hit


@pytest.mark.parametrize(
    "text",
    ['"', "((", "-", "*", "NOT", "a:b", "'; DROP TABLE articles; --", 'série"OR"', "l'", "AND OR"],
)
def test_hostile_searches_never_crash(demo_db: Path, text: str) -> None:
    with Archive(demo_db, read_only=True) as archive:
        try:
            assert isinstance(archive.search(text), list)
        except SearchError as error:
            assert "nothing to search for" in str(error)


@pytest.mark.parametrize(
    "sql",
    [
        "ATTACH DATABASE 'other.db' AS other",
        "PRAGMA journal_mode = DELETE",
        "INSERT INTO authors (name) VALUES ('x')",
        "CREATE TABLE x (a)",
        "SELECT 1; DELETE FROM articles",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
    ],
)
def test_hostile_sql_is_refused(
    tmp_path: Path, demo_db: Path, sql: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(demo_db.read_bytes())
    before = db.read_bytes()
    monkeypatch.chdir(tmp_path)
    with Archive(db, read_only=True) as archive, pytest.raises(sqlite3.Error):
        _, rows = archive.query(sql, timeout=1)
        list(rows)
    assert db.read_bytes() == before
    assert not (tmp_path / "other.db").exists()


def test_article_filters(demo_db: Path) -> None:
    conn = sqlite3.connect(demo_db)
    archive = Archive(demo_db, read_only=True)

    def selected(**options: Any) -> list[dict[str, Any]]:
        return list(archive.iter_articles(ArticleFilter(**options)))

    since = selected(since="2020-01-01", until="2022-01-01")
    expected = conn.execute(
        "SELECT count(*) FROM articles WHERE published_at >= '2020-01-01' AND published_at < '2022-01-01'"
    ).fetchone()[0]
    assert len(since) == expected > 0
    assert all("2020-01-01" <= a["published_at"] < "2022-01-01" for a in since)
    by_author = selected(author="Christophe Foltzer")
    assert [a["title"] for a in by_author] == [
        "Luke Cage a-t-il fait crasher les serveurs de Netflix ?"
    ]
    assert selected(site="elsewhere.test") == []
    assert all("Netflix" in json.dumps(a, ensure_ascii=False) for a in selected(search="Netflix"))
    commented = selected(where="comment_count >= :n", params={"n": 4})
    assert commented and all(len(a["comments"]) >= 4 for a in commented)
    with pytest.raises(ConditionError):
        selected(where="1); DELETE FROM articles; --")
    archive.close()


def test_archive_opens_with_the_usual_tools(demo_db: Path) -> None:
    tool = Path(sys.executable).with_name("sqlite-utils")
    tables = subprocess.run(
        [str(tool), "tables", str(demo_db), "--counts"], capture_output=True, text=True
    )
    assert tables.returncode == 0 and '"table": "articles"' in tables.stdout
    conn = sqlite3.connect(demo_db)
    for authors, tags in conn.execute("SELECT authors, tags FROM articles"):
        assert isinstance(json.loads(authors), list) and isinstance(json.loads(tags), list)


def _article(url: str, authors: list[str]) -> Article:
    return Article(url=url, canonical_url=url, title=f"Titre {url}", body="Texte.", authors=authors)


def test_one_author_spelled_in_two_cases_is_one_row(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        archive.save_articles([_article("https://a.test/1", ["Jean DUPONT", "Léa Martin"])])
        archive.save_articles([_article("https://a.test/2", ["Jean Dupont"])])
        archive.save_articles([_article("https://a.test/3", ["jean  DUPONT"])])
        conn = archive.db.conn
        assert conn.execute("SELECT name FROM authors ORDER BY id").fetchall() == [
            ("Jean Dupont",),
            ("Léa Martin",),  # the spelling with fewer capitals is shown
        ]
        linked = conn.execute(
            "SELECT count(*) FROM article_authors JOIN authors ON authors.id = author_id "
            "WHERE authors.name = 'Jean Dupont'"
        ).fetchone()[0]
        assert linked == 3
        # each article keeps what its page printed
        assert json.loads(
            conn.execute("SELECT authors FROM articles WHERE id = 1").fetchone()[0]
        ) == ["Jean DUPONT", "Léa Martin"]
        found = list(archive.iter_articles(ArticleFilter(author="JEAN dupont")))
        assert [a["url"] for a in found] == [
            "https://a.test/1",
            "https://a.test/2",
            "https://a.test/3",
        ]


def test_an_archive_of_schema_4_merges_its_author_spellings(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Archive(db) as archive:
        archive.save_articles([_article(f"https://a.test/{n}", []) for n in (1, 2)])
    conn = sqlite3.connect(db)
    conn.execute("DROP INDEX idx_authors_key")
    conn.execute("ALTER TABLE authors DROP COLUMN key")
    conn.executemany("INSERT INTO authors (id, name) VALUES (?, ?)",
                     [(1, "Anne LEFÈVRE"), (2, "Paul Roy"), (3, "Anne Lefèvre")])  # fmt: skip
    conn.executemany(
        "INSERT INTO article_authors (article_id, author_id, position) VALUES (?, ?, ?)",
        [(1, 1, 1), (1, 3, 2), (2, 3, 1), (2, 2, 2)],
    )
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    # read-only, as the CLI's readers open it: the author filter works before the upgrade
    with Archive(db, read_only=True) as archive:
        found = archive.iter_articles(ArticleFilter(author="anne lefèvre"))
        assert [a["id"] for a in found] == [1, 2]
    with Archive(db):
        pass
    assert conn.execute("SELECT id, name, key FROM authors ORDER BY id").fetchall() == [
        (1, "Anne Lefèvre", "anne lefèvre"),
        (2, "Paul Roy", "paul roy"),
    ]
    assert conn.execute(
        "SELECT article_id, author_id, position FROM article_authors ORDER BY article_id, position"
    ).fetchall() == [(1, 1, 1), (2, 1, 1), (2, 2, 2)]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_crawl_runs_and_frontier_jobs_read_back(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        assert archive.last_crawl_id() == 0 and archive.crawls() == []
        first = archive.start_crawl("demo")
        stats = {"response_received_count": 5, "archiver/articles_stored": 3}
        archive.finish_crawl(first, "finished", {**stats, "archiver/failures/http_404": 1})
        second = archive.start_crawl("news")  # running, or killed: nothing counted
        assert archive.last_crawl_id() == second
        runs = archive.crawls()
        assert [(r.id, r.spider, r.finish_reason, r.pages_fetched, r.failures) for r in runs] == [
            (first, "demo", "finished", 5, 1),
            (second, "news", None, 0, 0),
        ]
        assert archive.crawls(first) == archive.crawls(latest=1) == runs[1:]
        archive.db.conn.executemany(
            "INSERT INTO frontier (job, url, kind, depth, discovered_at, done_at) "
            "VALUES (?, ?, 'page', 0, ?, ?)",
            [("old", "https://a.test/", "2024-01-01", "2024-01-01"),
             ("new", "https://b.test/", "2024-02-01", "2024-02-01"),
             ("new", "https://b.test/1", "2024-02-02", None)],
        )  # fmt: skip
        assert archive.frontier_jobs() == [
            FrontierJob("new", 2, 1, "2024-02-02"),
            FrontierJob("old", 1, 0, "2024-01-01"),
        ]
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (a)")
    with Archive(plain, read_only=True) as archive:
        assert archive.last_crawl_id() == 0


def _holding_the_lock(db: Path) -> sqlite3.Connection:
    """Another process's connection, in the middle of a write."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_write_that_must_not_wait_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        other = _holding_the_lock(db)
        with pytest.raises(ArchiveBusy):
            archive.save_articles([_article("https://a.test/1", ["Léa Martin"])], wait=False)
        other.execute("COMMIT")
        assert archive.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        # the connection waits again as it did: a write after the refusal goes through
        archive.save_articles([_article("https://a.test/1", ["Léa Martin"])])
        assert archive.db.execute("PRAGMA busy_timeout").fetchone()[0] == 60000
        assert archive.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_the_frontier_holds_its_writes_while_another_process_writes(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        frontier = Frontier(archive, "job")
        frontier.add([("https://a.test/", "page", 0)])
        frontier.commit()
        other = _holding_the_lock(db)
        frontier.add([("https://a.test/1", "page", 1), ("https://a.test/2", "page", 1)])
        frontier.done(["https://a.test/", "https://a.test/1"])  # crossed off in the same breath
        rows = other.execute("SELECT url, done_at IS NOT NULL FROM frontier ORDER BY url")
        assert rows.fetchall() == [("https://a.test/", 0)]  # nothing more, and nothing lost
        other.execute("COMMIT")
        assert frontier.pending() == [("https://a.test/2", "page", 1)]  # a read commits first
        rows = other.execute("SELECT url, done_at IS NOT NULL FROM frontier ORDER BY url")
        assert rows.fetchall() == [
            ("https://a.test/", 1),
            ("https://a.test/1", 1),
            ("https://a.test/2", 0),
        ]


def test_the_frontier_commits_a_pages_links_with_its_crossing_off(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    rows = "SELECT url, done_at IS NOT NULL FROM frontier ORDER BY url"
    with Archive(db) as archive:
        frontier = Frontier(archive, "job")
        frontier.add([("https://a.test/", "page", 0)])
        frontier.add([("https://a.test/1", "page", 1), ("https://a.test/2", "page", 1)])
        reader = sqlite3.connect(db)
        assert reader.execute(rows).fetchall() == []  # a stop now loses nothing: all is redone
        frontier.done(["https://a.test/"])
        assert reader.execute(rows).fetchall() == [
            ("https://a.test/", 1),
            ("https://a.test/1", 0),
            ("https://a.test/2", 0),
        ]
        many = [(f"https://a.test/p{n}", "page", 2) for n in range(1000)]
        frontier.add(many[:999])
        assert reader.execute("SELECT count(*) FROM frontier").fetchone()[0] == 3
        frontier.add(many[999:])  # held up to a point, then committed without a crossing-off
        assert reader.execute("SELECT count(*) FROM frontier").fetchone()[0] == 1003
