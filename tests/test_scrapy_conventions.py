"""Scrapy's own ways work on the project: `scrapy crawl -o`, `scrapy check`, spiders of one's own
that yield dicts, and settings Scrapy knows. Real crawls over HTTP on 127.0.0.1, in subprocesses."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import Field, Item
from test_faults import FAST

import archiver.settings
from archiver.crawl.adapt import article_from
from archiver.crawl.lock import CrawlLock
from archiver.crawl.pipelines import NormalizePipeline
from archiver.demo.server import DemoServer
from archiver.demo.site import CANONICAL_ROOT, DemoSite, Page
from archiver.items import Article, Image, exported_fields
from conftest import ROOT, article_row, authors_of

# Run in its own process: a crawl of the demo site that notes, at every item and whenever the
# crawl is idle, how many of the process's descriptors are open on the archive file.
CONNECTIONS_SCRIPT = """
import json, os, sys
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

db, url = sys.argv[1], sys.argv[2]
settings = Settings()
settings.setmodule("archiver.settings", priority="project")
settings.setdict({"ARCHIVE_DB": db, "LOG_LEVEL": "WARNING", "ARCHIVE_PROGRESS": "log"})
process = CrawlerProcess(settings)
crawler = process.create_crawler("demo")
counts = []

def count(*args, **kwargs):
    opened = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            opened += os.readlink(f"/proc/self/fd/{fd}") == os.path.realpath(db)
        except OSError:
            pass
    counts.append(opened)

crawler.signals.connect(count, signal=signals.item_scraped)
crawler.signals.connect(count, signal=signals.spider_idle)
process.crawl(crawler, url=url)
process.start()
print(json.dumps(counts))
"""


class CountingSite(DemoSite):
    """The demo site, counting the requests for each path."""

    def __init__(self) -> None:
        super().__init__(DemoSite.bundled().articles)
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    def render(self, path: str, base_url: str = CANONICAL_ROOT) -> Page:
        with self.lock:
            self.hits[path] += 1
        return super().render(path, base_url)


def run_scrapy(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The `scrapy` command, run from the repository root where scrapy.cfg is."""
    command = [str(Path(sys.executable).with_name("scrapy")), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_every_setting_is_one_scrapy_knows_or_our_own() -> None:
    """A setting Scrapy has dropped is ignored without a word: it must not linger here."""
    from scrapy.settings import default_settings

    ours = {name for name in dir(archiver.settings) if name.isupper()}
    unknown = {n for n in ours if not n.startswith("ARCHIVE_") and not hasattr(default_settings, n)}
    assert unknown == set()


def test_the_frontier_and_the_pipelines_share_one_connection(tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    with DemoServer() as server:
        result = subprocess.run(
            [sys.executable, "-c", CONNECTIONS_SCRIPT, str(db), server.url],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    counts = json.loads(result.stdout)
    assert len(counts) >= 43 and set(counts) == {1}
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 43
    assert conn.execute("SELECT count(*) FROM frontier WHERE done_at IS NULL").fetchone()[0] == 0
    assert conn.execute("SELECT finish_reason FROM crawls").fetchall() == [("finished",)]


def titled_slugs(demo_content: list[dict[str, Any]]) -> set[str]:
    return {page["slug"] for page in demo_content if page["title"]}


def test_scrapy_crawl_demo_o_exports_the_demo_articles(
    tmp_path: Path, demo_content: list[dict[str, Any]]
) -> None:
    """The demo spider learns its URL once its server starts, after the feed exporter has read
    the spider's attributes: the start hosts must not have been worked out before."""
    out, db = tmp_path / "out.jsonl", tmp_path / "demo.db"
    result = run_scrapy("crawl", "demo", "-o", str(out), "-s", f"ARCHIVE_DB={db}")
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == 43
    assert {row["canonical_url"].rsplit("/", 1)[1][:-5] for row in rows} == titled_slugs(
        demo_content
    )
    assert all(row["title"] and row["body"] and row["authors"] for row in rows)
    stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stored == 43


def test_a_feed_holds_articles_without_their_bytes_and_no_failures(tmp_path: Path) -> None:
    out, db = tmp_path / "out.json", tmp_path / "news.db"
    with DemoServer() as server:
        result = run_scrapy(
            "crawl", "news", "-a", f"url={server.url}", "-o", str(out), "-s", f"ARCHIVE_DB={db}",
            *FAST,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    articles = json.loads(out.read_text("utf-8"))
    assert len(articles) == 43
    assert all(list(article) == exported_fields(Article) for article in articles)
    assert "raw" not in exported_fields(Article) and "requested_url" not in exported_fields(Article)
    # the failures are in the archive and in the log, not in the feed
    failures = sqlite3.connect(db).execute("SELECT url, reason FROM fetch_errors").fetchall()
    assert sorted(reason for _, reason in failures) == ["missing_title", "robots_txt"]
    for url, reason in failures:
        assert f"Not archived: {url} ({reason}" in result.stderr


def test_robots_txt_is_fetched_once_for_its_rules_and_its_sitemaps(tmp_path: Path) -> None:
    site, db = CountingSite(), tmp_path / "robots.db"
    with DemoServer(site) as server:
        result = run_scrapy(
            "crawl", "news", "-a", f"url={server.url}", "-s", f"ARCHIVE_DB={db}", *FAST
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert site.hits["/robots.txt"] == 1
    assert site.hits["/sitemap.xml"] == 1  # the sitemap robots.txt lists was read from it
    assert "/admin/" not in site.hits  # and its rules obeyed
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 43
    stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
    assert stats["robotstxt/request_count"] == stats["robotstxt/response_count"] == 1
    assert stats["robotstxt/forbidden"] == 1


RAW_FIELDS: dict[str, Any] = {
    "url": "https://site.test/articles/a.html",
    "title": "  Une série  ",
    "byline_raw": "Par Julie Marchand et Thomas Roux",
    "published_raw": "Publié le 28/01/2021 à 17h05",
    "tags": "Netflix",
    "images": [{"src": "https://site.test/a.jpg", "caption_raw": "Omar Sy (© Netflix)"}, {}],
    "comments": [
        {"id": 7, "author": "Léa", "published_raw": "28/01/2021 à 18h00", "text": "Bravo"},
        {"id": 8, "parent_id": 7, "text": "Merci"},
    ],
    "likes": 12,
}


class RawArticle(Item):
    url = Field()
    title = Field()
    byline_raw = Field()
    published_raw = Field()
    tags = Field()
    images = Field()
    comments = Field()
    likes = Field()


def test_article_from_reads_any_item_with_a_url_and_a_title() -> None:
    from_dict, from_item = article_from(dict(RAW_FIELDS)), article_from(RawArticle(**RAW_FIELDS))
    assert from_dict == from_item
    assert from_dict is not None and from_dict.site == "site.test"
    assert from_dict.tags == ["Netflix"]
    assert from_dict.images == [
        Image(src="https://site.test/a.jpg", caption_raw="Omar Sy (© Netflix)")
    ]  # the image without a src is left out, and so is "likes"
    assert [(c.id, c.parent_id) for c in from_dict.comments] == [("7", None), ("8", "7")]
    article = Article(url="https://site.test/b.html", title="B")
    assert article_from(article) is article
    assert article_from({"url": "https://site.test/", "name": "x"}) is None
    assert article_from(["not", "an", "item"]) is None


def test_the_pipelines_normalize_a_scrapy_item_as_they_do_an_article() -> None:
    from scrapy.utils.test import get_crawler

    pipeline = NormalizePipeline.from_crawler(get_crawler(settings_dict={}))
    article = pipeline.process_item(RawArticle(**RAW_FIELDS))
    assert isinstance(article, Article)
    assert (article.title, article.authors) == ("Une série", ["Julie Marchand", "Thomas Roux"])
    assert article.published_at == "2021-01-28T17:05:00+01:00"
    assert (article.images[0].caption, article.images[0].credit) == ("Omar Sy", "Netflix")
    assert article.comments[0].published_at == "2021-01-28T18:00:00+01:00"
    other = {"sku": "123", "price": 4}
    assert pipeline.process_item(other) is other


def test_a_spider_of_dicts_archives_normalized_articles(
    tmp_path: Path, demo_content: list[dict[str, Any]]
) -> None:
    """spiders/example_dicts.py yields the strings as printed; the archive holds what the news
    spider's own extraction gives: the hand-written expectations of every demo page."""
    db = tmp_path / "dicts.db"
    with DemoServer() as server:
        result = run_scrapy(
            "crawl", "example_dicts", "-a", f"url={server.url}", "-s", f"ARCHIVE_DB={db}", *FAST
        )
    assert result.returncode == 0, result.stderr[-3000:]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 43
    for page in demo_content:
        row = conn.execute(
            "SELECT * FROM articles WHERE url LIKE ?", [f"%/articles/{page['slug']}.html"]
        ).fetchone()
        if not page["title"]:
            assert row is None
            continue
        expected, where = page["expected"], page["slug"]
        assert json.loads(row["authors"]) == expected["authors"], where
        assert authors_of(conn, row["id"]) == expected["authors"], where
        assert row["agency"] == expected["agency"], where
        assert datetime.fromisoformat(row["published_at"]).utcoffset() is not None, where
        if expected["published_date"]:
            assert row["published_at"][:10] == expected["published_date"], where
        images = conn.execute(
            "SELECT caption, credit FROM images WHERE article_id = ? ORDER BY position",
            [row["id"]],
        ).fetchall()
        assert [dict(image) for image in images] == expected["captions"], where
        assert row["comment_count"] == expected["comment_count"], where
    luke_cage = article_row(conn, "luke-cage-netflix-serveurs")  # "Christophe Foltzer | 3 oct..."
    assert luke_cage["byline_raw"] == "Christophe Foltzer | 3 octobre 2016"
    assert luke_cage["published_at"] == "2016-10-03T00:00:00+02:00"
    failures = conn.execute("SELECT url, reason FROM fetch_errors").fetchall()
    assert [tuple(f) for f in failures] == [
        (server.url + "articles/breve-sans-titre.html", "missing_title")
    ]


def test_scrapy_check_runs_the_demo_spider_contracts(tmp_path: Path) -> None:
    """Each callback is checked on a page of the demo site, served for the check on a free
    port; the check stores nothing."""
    db = tmp_path / "check.db"
    result = run_scrapy("check", "demo", "-v", "-s", f"ARCHIVE_DB={db}")
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    for callback in ("parse", "parse_robots", "parse_sitemap", "parse_feed"):
        assert f"[demo] {callback} (@returns post-hook) ... ok" in output, callback
    assert "[demo] parse (@filled post-hook) ... ok" in output
    assert "Ran 14 contracts" in output and "\nOK" in output
    assert not db.exists()


@pytest.mark.parametrize("spider", ["news", "example_dicts"])
def test_scrapy_crawl_of_an_archive_another_crawl_holds_is_one_line(
    tmp_path: Path, spider: str
) -> None:
    """`scrapy crawl` has no `archiver crawl` in front of it to check the lock: the session
    says which crawl holds the archive and stops before a page is fetched, any spider."""
    db = tmp_path / "held.db"
    lock = CrawlLock(db)
    lock.acquire("a crawl of this test")
    site = CountingSite()
    try:
        with DemoServer(site) as server:
            result = run_scrapy(
                "crawl", spider, "-a", f"url={server.url}", "-s", f"ARCHIVE_DB={db}"
            )
    finally:
        lock.release()
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "being crawled by another process" in result.stderr
    assert "a crawl of this test" in result.stderr
    assert "Spider closed (archive_in_use)" in result.stderr
    assert sum(site.hits.values()) == 0
