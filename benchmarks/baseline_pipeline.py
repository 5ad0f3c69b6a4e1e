"""The crawl benchmark's alternative: what a user would assemble instead of our pipeline.

The same link-following spider as the ceiling (noop_spider.py), with trafilatura for extraction
(metadata, text, comments) and dateparser with its default settings, one call per date string
(the published date and each comment's date). A few parsel selectors pick what trafilatura does
not give one by one: the visible date line and the comments, each with its author and date.
Articles are stored through archiver.archive.store.Archive.save_articles in batches of 50, raw page
included, so that storage costs what it costs in our crawl and only extraction and dates differ.

Like a user's CrawlSpider rule, it extracts only URLs under the articles path; our spider tries
every page and drops the listings itself, a few percent more pages to look at.

Run in its own process by bench_crawl.py:
    .venv/bin/python benchmarks/baseline_pipeline.py URL --db DB --stats STATS.json
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import dateparser
import trafilatura
from noop_spider import NoopSpider, bench_settings, is_article_url, parse_args, run, setting_pairs
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.selector import Selector

from archiver.archive.store import Archive
from archiver.items import Article, Comment, RawPage

PARIS = ZoneInfo("Europe/Paris")
DATE_CSS = "time::text, .date::text, .entry-date::text, .published::text, .posted-on *::text"
COMMENT_CSS = ".comment, .commentaire"
BATCH_SIZE = 50


def parse_date(text: str | None) -> tuple[str | None, str | None]:
    """(raw, ISO) through dateparser with its default settings, as a user calls it."""
    if not text or not text.strip():
        return None, None
    value = dateparser.parse(text)
    if value is None:
        return text, None
    value = value if value.tzinfo else value.replace(tzinfo=PARIS)
    return text, value.isoformat()


def comments_of(sel: Selector) -> list[Comment]:
    comments = []
    for position, node in enumerate(sel.css(COMMENT_CSS), start=1):
        own_text = node.css(".comment-text, .comment-content")[:1]  # not a nested reply's
        text = " ".join(own_text.xpath(".//text()").getall()).strip()
        if not text:
            continue
        raw = node.css(".comment-date::text, time::text").get()
        raw, published_at = parse_date(raw)
        own_id = node.attrib.get("id", f"c{position}").removeprefix("comment-")
        parent = (
            node.attrib.get("data-parent")
            or node.xpath("ancestor::li[contains(@class, 'comment')][1]/@id").get()
        )
        comments.append(
            Comment(
                id=own_id,
                parent_id=parent.removeprefix("comment-") if parent else None,
                author=node.css(".comment-author::text, .fn::text").get(),
                published_raw=raw,
                published_at=published_at,
                text=text,
            )
        )
    return comments


class TrafilaturaSpider(NoopSpider):
    """Follows links like the ceiling; article pages become Articles through trafilatura."""

    name = "bench-trafilatura"

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        if is_article_url(response.url):
            article = self.extract(response)
            if article is not None:
                self.crawler.stats.inc_value("bench/articles")
                yield article
        yield from self.follow(response)

    def extract(self, response: TextResponse) -> Article | None:
        doc = trafilatura.bare_extraction(
            response.text, url=response.url, with_metadata=True, include_comments=True
        )
        if doc is None or not doc.title:
            return None
        fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        published_raw, published_at = parse_date(response.css(DATE_CSS).get() or doc.date)
        return Article(
            url=response.url,
            canonical_url=doc.url or response.url,
            site=urlsplit(doc.url or response.url).hostname,
            title=doc.title,
            lead=doc.description,
            body=doc.text,
            authors=[a.strip() for a in (doc.author or "").split(";") if a.strip()],
            published_raw=published_raw,
            published_at=published_at,
            section=(doc.categories or [None])[0],
            tags=list(doc.tags or []),
            language="fr",
            comments=comments_of(response.selector),
            fetched_at=fetched_at,
            raw=RawPage(
                url=response.url,
                body=response.body,
                final_url=response.url,
                status=response.status,
                content_type=(response.headers.get("Content-Type") or b"").decode("latin-1"),
                fetched_at=fetched_at,
            ),
        )


class StorePipeline:
    """Batched writes through the same Archive.save_articles our ArchivePipeline calls."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.archive = Archive(crawler.settings.get("BENCH_DB"))
        self.crawl_id = self.archive.start_crawl("bench-trafilatura")
        self.pending: list[Article] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            for comment in item.comments:
                comment.author = (comment.author or "").strip() or None
            item.comment_count = len(item.comments)
            self.pending.append(item)
            if len(self.pending) >= BATCH_SIZE:
                self.flush()
        return item

    def flush(self) -> None:
        if self.pending:
            self.archive.save_articles(self.pending, self.crawl_id, extractor_version="bench")
            self.pending = []

    def spider_closed(self, reason: str) -> None:
        self.flush()
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        self.archive.finish_crawl(self.crawl_id, reason, stats)
        self.archive.close()


def main() -> None:
    args = parse_args("Trafilatura + dateparser crawl: the alternative of the crawl benchmark.")
    if not args.db:
        raise SystemExit("--db is required")
    settings = bench_settings(
        setting_pairs(args.settings),
        {"ITEM_PIPELINES": {StorePipeline: 300}, "BENCH_DB": args.db},
    )
    run(TrafilaturaSpider, args.url, Path(args.stats), settings)


if __name__ == "__main__":
    main()
