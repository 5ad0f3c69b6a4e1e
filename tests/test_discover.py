"""Discovery: robots.txt sitemaps, sitemap indexes, Google News sitemaps, feeds, and the
crawl options that use them (--since, --limit, --max-depth, --deny), plus status and SIGTERM."""

from __future__ import annotations

import gzip
import html
import signal
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin

import pytest
from faultserver import FaultServer, FaultSite, article_html
from hypothesis import example, given, settings
from hypothesis import strategies as st
from parsel import Selector
from test_faults import FAST, count, start_crawl, wait_for

from archiver.extract.discover import (
    feed_entries,
    feed_links,
    page_links,
    parse_date,
    parse_since,
    robots_sitemaps,
    sitemap_entries,
)
from archiver.extract.nodes import parse_html
from conftest import run_cli

NEWS_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def urlset(entries: list[tuple[str, str]], news: bool = False) -> bytes:
    def one(loc: str, date: str) -> str:
        if news:
            return f"<url><loc>{loc}</loc><news:news><news:publication_date>{date}</news:publication_date></news:news></url>"
        return f"<url><loc>{loc}</loc><lastmod>{date}</lastmod></url>"

    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NEWS_NS}>{"".join(one(*e) for e in entries)}</urlset>'.encode()


def test_robots_sitemaps() -> None:
    text = "User-agent: *\nDisallow: /admin/\nSitemap: /s.xml\nsitemap:https://x.test/news.xml\n"
    assert robots_sitemaps(text, "https://x.test/robots.txt") == [
        "https://x.test/s.xml",
        "https://x.test/news.xml",
    ]
    assert robots_sitemaps("", "https://x.test/robots.txt") == []


def test_sitemaps_plain_gzipped_index_and_news() -> None:
    body = urlset(
        [("/a.html", "2024-05-02"), ("https://x.test/b.html", "2015-01-01T10:00:00+01:00")]
    )
    kind, entries = sitemap_entries(gzip.compress(body), "https://x.test/sitemap.xml.gz")
    assert kind == "urlset"
    assert [e.url for e in entries] == ["https://x.test/a.html", "https://x.test/b.html"]
    assert entries[0].date == datetime(2024, 5, 2, tzinfo=timezone.utc)
    news = urlset([("/n.html", "2024-05-02T08:30:00+02:00")], news=True)
    assert (
        sitemap_entries(news, "https://x.test/")[1][0].date.isoformat()
        == "2024-05-02T08:30:00+02:00"
    )
    index = b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>'
    assert sitemap_entries(index, "https://x.test/") == (
        "index",
        [type(entries[0])("https://x.test/s1.xml")],
    )


@pytest.mark.parametrize(
    "body", [b"", b"<urlset><url><loc>", b"\x1f\x8bnot gzip", b"\x00\xff" * 100]
)
def test_broken_sitemaps_give_what_they_can(body: bytes) -> None:
    kind, entries = sitemap_entries(body, "https://x.test/")
    assert kind == "urlset" and isinstance(entries, list)


def test_feeds_rss_and_atom() -> None:
    rss = b"<rss><channel><item><link>https://x.test/a</link><pubDate>Mon, 03 Oct 2016 14:32:00 +0200</pubDate></item><item><title>no link</title></item></channel></rss>"
    entries = feed_entries(rss, "https://x.test/feed")
    assert [(e.url, e.date.isoformat()) for e in entries] == [
        ("https://x.test/a", "2016-10-03T14:32:00+02:00")
    ]
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="/b"/><updated>2016-10-03T12:00:00Z</updated></entry></feed>'
    assert [e.url for e in feed_entries(atom, "https://x.test/")] == ["https://x.test/b"]
    assert feed_entries(b"not xml at all <", "https://x.test/") == []
    page = Selector(
        text='<head><link rel="alternate" type="application/rss+xml" href="/rss"><link rel="alternate" hreflang="en" href="/en"></head>'
    )
    assert feed_links(page, "https://x.test/a") == ["https://x.test/rss"]


def test_dates_and_since() -> None:
    assert parse_date("Mon, 03 Oct 2016 14:32:00 GMT").isoformat() == "2016-10-03T14:32:00+00:00"
    assert parse_date("n'importe quoi") is None
    assert parse_since("2024-01-31").isoformat() == "2024-01-31T00:00:00+00:00"
    with pytest.raises(ValueError):
        parse_since("hier")


def discovery_site() -> FaultSite:
    """Articles reachable only through robots.txt -> sitemap index -> sitemaps, or a feed."""
    page = lambda n: (200, "text/html; charset=utf-8", article_html(n).encode())  # noqa: E731
    special = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nSitemap: /sitemap-index.xml\n"),
        "/sitemap-index.xml": (200, "application/xml", b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/sitemaps/news.xml.gz</loc></sitemap><sitemap><loc>/sitemaps/old.xml</loc></sitemap></sitemapindex>'),
        "/sitemaps/news.xml.gz": (200, "application/x-gzip", gzip.compress(urlset([(f"/s/{n}.html", f"2024-05-0{n}T08:00:00+02:00") for n in (1, 2, 3)], news=True))),
        "/sitemaps/old.xml": (200, "application/xml", urlset([(f"/o/{n}.html", "2015-03-01") for n in (1, 2)])),
        "/feed.xml": (200, "application/atom+xml", b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/f/1.html"/><updated>2024-06-01T10:00:00Z</updated></entry><entry><link href="/f/2.html"/><updated>2010-06-01T10:00:00Z</updated></entry></feed>'),
        **{f"/{d}/{n}.html": page(10 * i + n) for i, d in enumerate("sof") for n in (1, 2, 3)},
    }  # fmt: skip
    return FaultSite(
        articles=0,
        special=special,
        unlisted=set(special),
        homepage_head='<link rel="alternate" type="application/atom+xml" href="/feed.xml">',
    )


def archived_paths(db: Path, base: str) -> set[str]:
    return {
        u.removeprefix(base) for (u,) in sqlite3.connect(db).execute("SELECT url FROM articles")
    }


def test_crawl_finds_articles_only_in_sitemaps_and_feeds(tmp_path: Path) -> None:
    db = tmp_path / "all.db"
    with FaultServer(discovery_site()) as server:
        result = run_cli("crawl", server.url, "--db", str(db), *FAST)
        base = server.url.rstrip("/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert archived_paths(db, base) == {
        "/s/1.html",
        "/s/2.html",
        "/s/3.html",
        "/o/1.html",
        "/o/2.html",
        "/f/1.html",
        "/f/2.html",
    }


def test_since_skips_old_entries_before_fetching(tmp_path: Path) -> None:
    db = tmp_path / "since.db"
    site = discovery_site()
    with FaultServer(site) as server:
        result = run_cli("crawl", server.url, "--db", str(db), "--since", "2020-01-01", *FAST)
        base = server.url.rstrip("/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert archived_paths(db, base) == {"/s/1.html", "/s/2.html", "/s/3.html", "/f/1.html"}
    assert not any(path.startswith(("/o/", "/f/2")) for path in site.hits)
    bad = run_cli("crawl", "http://127.0.0.1:9/", "--db", str(db), "--since", "hier")
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_limit_max_depth_and_deny(tmp_path: Path) -> None:
    site = FaultSite(articles=30)
    with FaultServer(site) as server:
        base = server.url.rstrip("/")
        limited = run_cli(
            "crawl", server.url, "--db", str(tmp_path / "l.db"), "--limit", "4", *FAST
        )
        assert limited.returncode == 0, limited.stderr[-2000:]
        assert count(tmp_path / "l.db") == 4
        shallow = run_cli(
            "crawl", server.url, "--db", str(tmp_path / "d.db"), "--max-depth", "1", *FAST
        )
        assert shallow.returncode == 0, shallow.stderr[-2000:]
        assert archived_paths(tmp_path / "d.db", base) == {
            f"/articles/{n}.html" for n in range(1, 11)
        }
        denied = run_cli(
            "crawl",
            server.url,
            "--db",
            str(tmp_path / "n.db"),
            "--deny",
            r"/articles/1\d\.html",
            *FAST,
        )
        assert denied.returncode == 0
        paths = archived_paths(tmp_path / "n.db", base)
    assert len(paths) == 20 and not any(
        p.startswith("/articles/1") and len(p) == len("/articles/10.html") for p in paths
    )


def test_sigterm_stops_cleanly_and_status_shows_what_remains(tmp_path: Path) -> None:
    site = FaultSite(articles=40, delay=0.2)
    db = tmp_path / "term.db"
    with FaultServer(site) as server:
        crawl = start_crawl(
            server.url, db, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "ARCHIVE_BATCH_SIZE=2"
        )
        wait_for(db, 6, crawl)
        crawl.send_signal(signal.SIGTERM)
        out, err = crawl.communicate(timeout=60)
        assert crawl.returncode == 1 and "--resume" in err, err[-2000:]
        status = run_cli("status", "--db", str(db))
        assert (
            status.returncode == 0
            and "shutdown" in status.stdout
            and "still to fetch" in status.stdout
        )
        resumed = run_cli("crawl", server.url, "--db", str(db), "--resume", *FAST, timeout=120)
        assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert count(db) == 40
    assert "Nothing left to fetch" in run_cli("status", "--db", str(db)).stdout


def test_processes_split_the_crawl_into_one_archive(tmp_path: Path) -> None:
    site = FaultSite(articles=60)
    db = tmp_path / "sharded.db"
    with FaultServer(site) as server:
        result = run_cli(
            "crawl", server.url, "--db", str(db), "--processes", "2", *FAST, timeout=180
        )
        base = server.url.rstrip("/")
        hits = dict(site.hits)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "2 processes" in result.stdout and "articles stored 60" in result.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert archived_paths(db, base) == {f"/articles/{n}.html" for n in range(1, 61)}
    stored = [n for (n,) in conn.execute("SELECT articles_stored FROM crawls ORDER BY id")]
    assert len(stored) == 2 and all(n > 0 for n in stored) and sum(stored) == 60
    assert all(
        n == 1 for path, n in hits.items() if path.startswith("/articles/")
    )  # no page fetched twice


def test_page_links_resolve_each_target_once_in_page_order() -> None:
    page = Selector(
        text='<a href="/a">1</a><a href=" /b#x ">2</a><a href="#c1">3</a><a href="/a#y">4</a>'
        '<a href="../up/./x?q=1">5</a><a href="https://other.test/p">6</a><a href="#c2">7</a>'
        '<a href="/b">8</a><a href="//cdn.test/i">9</a><a href="/a//b">10</a><a href="/z?">11</a>'
    )
    assert page_links(page, "https://x.test/dir/page.html") == [
        "https://x.test/a",
        "https://x.test/b",
        "https://x.test/dir/page.html",
        "https://x.test/up/x?q=1",
        "https://other.test/p",
        "https://cdn.test/i",
        "https://x.test/a//b",
        "https://x.test/z",
    ]


def test_page_links_keep_an_empty_href_apart_and_skip_unreadable_ones() -> None:
    """urljoin gives an empty href the base as it is, and "#a" the base rewritten; an href it
    cannot read ("http://[oops/", an unclosed IPv6 address) is left out, not raised: it used
    to lose the whole page before extraction."""
    page = Selector(
        text='<a href="#a">1</a><a href="">2</a><a href="http://[oops/">3</a><a href="/x">4</a>'
        '<link rel="alternate" type="application/rss+xml" href="http://[bad/">'
        '<link rel="alternate" type="application/rss+xml" href="/rss">'
    )
    assert page_links(page, "https://x.test/p;") == [
        "https://x.test/p",
        "https://x.test/p;",
        "https://x.test/x",
    ]
    assert feed_links(page, "https://x.test/p") == ["https://x.test/rss"]


@given(st.lists(st.text(alphabet="/.?#;:ab%\t\n \\", max_size=12), max_size=8))
@settings(max_examples=400, deadline=None)
def test_page_links_match_urljoin(hrefs: list[str]) -> None:
    """The shortcut for plain paths gives what urljoin gives, whatever the href."""
    base = "https://x.test/dir/page.html?p=1"
    page = Selector(text="".join(f"<a href='{html.escape(h)}'>x</a>" for h in hrefs))
    found = page_links(page, base)
    values = [str(v).strip() for v in page.root.xpath("//a/@href")]
    assert found == list(dict.fromkeys(urljoin(base, h).split("#", 1)[0] for h in values))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["http://", "https://", "HTTP://", "http:/", "ftp://", "//"]),
            st.text(alphabet="/.?#;:aB1@[]%- \t\x01", max_size=14),
        ).map("".join),
        max_size=8,
    )
)
@example(
    ["http://a.b/c?", "https://a.b?q=1#x", "http://a.b/./c/../d", "HTTP://a.b/", "http://a.b/c;p"]
)
@example(["http://a.b:80/c d", "http://a.b:/c", "http://[a/", "http://u@a.b/", "http://a.b/\x01"])
@settings(max_examples=400, deadline=None)
def test_page_links_match_urljoin_for_absolute_urls(hrefs: list[str]) -> None:
    """The shortcut for plain absolute URLs gives what urljoin gives, on either scheme."""
    for base in ("https://x.test/dir/page.html?p=1", "http://x.test/"):
        page = Selector(text="".join(f"<a href='{html.escape(h)}'>x</a>" for h in hrefs))
        values = [str(v).strip() for v in page.root.xpath("//a/@href")]
        expected = []
        for value in values:
            try:
                expected.append(urljoin(base, value).split("#", 1)[0])
            except ValueError:  # "http://[" is no address: left out
                continue
        assert page_links(page, base) == list(dict.fromkeys(expected))


def test_links_and_feeds_of_a_page_broken_into_two_documents() -> None:
    """A page that closes its <html> and opens another: lxml keeps both as top elements, and
    the links of the second are the page's too."""
    page = parse_html(
        "<html><head></head></html><html><body><a href='/x'>x</a>"
        "<link rel='alternate' type='application/rss+xml' href='/rss'></body></html>"
    )
    assert page_links(page, "https://x.test/p") == ["https://x.test/x"]
    assert feed_links(page, "https://x.test/p") == ["https://x.test/rss"]


def test_the_spider_refuses_other_sites_and_remembers_their_hosts_only() -> None:
    """A page's share links are new URLs on every page; what is remembered is their host."""
    from scrapy.utils.test import get_crawler

    from archiver.spiders.news import NewsSpider

    spider = NewsSpider.from_crawler(get_crawler(NewsSpider), url="https://site.test/")
    shares = [f"https://www.facebook.com/sharer?u=https://site.test/a{i}" for i in range(50)]
    assert all(spider.request(url, "page") is None for url in shares)
    assert spider.request("mailto:redaction@site.test", "page") is None
    assert spider.elsewhere == {"www.facebook.com"}
    request = spider.request("https://site.test/a1.html", "page")
    assert request is not None and request.url == "https://site.test/a1.html"
