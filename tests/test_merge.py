"""archiver merge: node archives united by canonical URL, idempotent, atomic."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archiver.archive import merge as merge_module
from archiver.archive.merge import MergeError, merge_archives
from archiver.archive.store import Archive
from archiver.items import Article, Comment, RawPage
from conftest import run_cli

# the tables a merge writes, and a stable order to compare them in (ids may differ)
DUMPS = {
    "articles": "SELECT canonical_url, title, body, authors, fetched_at, first_seen_at, "
    "last_seen_at, revision_count, comment_count, image_count FROM articles ORDER BY canonical_url",
    "revisions": "SELECT a.canonical_url, r.number, r.title, r.captured_at FROM revisions r "
    "JOIN articles a ON a.id = r.article_id ORDER BY 1, 2",
    "authors": "SELECT name, key FROM authors ORDER BY key",
    "comments": "SELECT a.canonical_url, c.comment_id, c.text FROM comments c "
    "JOIN articles a ON a.id = c.article_id ORDER BY 1, c.position",
    "crawls": "SELECT uid, spider FROM crawls ORDER BY uid",
    "failures": "SELECT url, reason, occurred_at FROM fetch_errors ORDER BY 1, 2, 3",
    "raw_pages": "SELECT sha256 FROM raw_pages ORDER BY 1",
    "fetches": "SELECT url, fetched_at FROM fetches ORDER BY 1, 2",
}


def _article(
    number: int, title: str = "", fetched_at: str = "2024-06-01T10:00:00+00:00"
) -> Article:
    url = f"https://a.test/articles/{number}.html"
    body = f"Corps de l'article {number} sur le festival de Cannes."
    return Article(
        url=url,
        canonical_url=url,
        title=title or f"Titre {number}",
        body=body,
        authors=["Jean DUPONT" if number % 2 else "Jean Dupont", "Léa Martin"],
        fetched_at=fetched_at,
        comments=[Comment(id=f"c{number}", text="Bravo", author="x")],
        raw=RawPage(url=url, body=f"<html>{number}{title}</html>".encode(), fetched_at=fetched_at),
    )


def _node(path: Path, articles: list[Article], captured_at: str) -> None:
    """A node's archive: one crawl run, its articles, one failure."""
    with Archive(path) as archive:
        crawl = archive.start_crawl("news")
        archive.save_articles(articles, crawl)
        archive.record_failure(f"https://a.test/broken-{path.stem}", "http_404", crawl_id=crawl)
        with archive.transaction():
            archive.db.execute("UPDATE revisions SET captured_at = ?", [captured_at])
            archive.db.execute("UPDATE articles SET first_seen_at = ?, last_seen_at = ?",
                               [captured_at, captured_at])  # fmt: skip


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in DUMPS.items()}
    finally:
        conn.close()


@pytest.fixture
def nodes(tmp_path: Path) -> list[Path]:
    """Node a holds articles 1-6, node b 4-10: 4 is the same page, 5 changed later."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    _node(a, [_article(n) for n in range(1, 7)], "2024-06-01T10:00:00+00:00")
    later = "2024-06-02T10:00:00+00:00"
    changed = [_article(n, "Nouveau titre" if n == 5 else "", later) for n in range(4, 11)]
    _node(b, changed, later)
    return [a, b]


def test_merge_unites_articles_revisions_authors_and_runs(
    nodes: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "all.db"
    result = merge_archives(nodes, target)
    assert (result.articles_new, result.articles_updated, result.articles_kept) == (
        10,
        3,
        0,
    )  # 4-6: b fetched later
    dump = _dump(target)
    assert [row[0].rsplit("/", 1)[1] for row in dump["articles"]] == sorted(
        f"{n}.html" for n in range(1, 11)
    )
    by_url = {row[0].rsplit("/", 1)[1]: row for row in dump["articles"]}
    # 5: the newest fetch's fields win, and both versions are revisions, in time order
    assert by_url["5.html"][1] == "Nouveau titre"
    assert by_url["5.html"][5:8] == ("2024-06-01T10:00:00+00:00", "2024-06-02T10:00:00+00:00", 2)
    fives = [r[1:] for r in dump["revisions"] if r[0].endswith("/5.html")]
    assert fives == [(1, "Titre 5", "2024-06-01T10:00:00+00:00"),
                     (2, "Nouveau titre", "2024-06-02T10:00:00+00:00")]  # fmt: skip
    # 4: the same content fetched by both nodes is one revision, one comment
    assert by_url["4.html"][7:9] == (1, 1)
    assert dump["authors"] == [("Jean Dupont", "jean dupont"), ("Léa Martin", "léa martin")]
    assert len(dump["comments"]) == 10 and len(dump["crawls"]) == 2
    assert len(dump["failures"]) == 2 and len(dump["raw_pages"]) == 11
    with Archive(target, read_only=True) as archive:
        assert len(archive.search("festival", limit=50)) == 10
        assert archive.search("nouveau titre")[0]["url"].endswith("/5.html")
        failures = archive.query(
            "SELECT count(*) FROM fetch_errors JOIN crawls ON crawl_id = crawls.id"
        )
        assert list(failures[1]) == [(2,)]  # each failure still points at its node's run


def test_merging_again_changes_nothing(nodes: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "all.db"
    merge_archives(nodes, target)
    before = _dump(target)
    again = merge_archives(nodes, target, into=True)
    assert (again.articles_new, again.articles_updated, again.revisions_added) == (0, 0, 0)
    assert again.crawls_added == again.raw_pages_added == 0
    assert _dump(target) == before
    # and merging in the other order gives the same archive
    other = tmp_path / "other.db"
    merge_archives(list(reversed(nodes)), other)
    assert _dump(other) == before


def test_an_interrupted_merge_leaves_the_target_as_it_was(
    nodes: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "all.db"
    merge_archives(nodes[:1], target)
    before = _dump(target)

    def interrupted(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(merge_module.SourceMerge, "_overlap", interrupted)
    with pytest.raises(KeyboardInterrupt):
        merge_archives(nodes[1:], target, into=True)
    assert _dump(target) == before
    fresh = tmp_path / "fresh.db"
    with pytest.raises(KeyboardInterrupt):
        merge_archives(nodes, fresh)
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if "merging" in p.name) == []


def test_merge_refuses_what_it_cannot_do(nodes: list[Path], tmp_path: Path) -> None:
    with pytest.raises(MergeError, match="exists"):
        merge_archives(nodes[:1], nodes[1])
    with pytest.raises(MergeError, match="is the target"):
        merge_archives(nodes, nodes[0], into=True)
    with pytest.raises(MergeError, match="no archive"):
        merge_archives([tmp_path / "missing.db"], tmp_path / "x.db")


def test_merge_command(nodes: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "all.db"
    result = run_cli("merge", *map(str, nodes), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "holds 10 articles" in result.stdout
    again = run_cli("merge", *map(str, nodes), "-o", str(target))
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert "--into" in again.stderr
    into = run_cli("merge", *map(str, nodes), "--into", str(target))
    assert into.returncode == 0 and "0 new" in into.stdout, into.stdout + into.stderr
