"""Thin Scrapy glue: each pipeline does one thing and calls into normalize/ or archive."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from archiver.archive.store import Archive, ArchiveBusy, raw_level
from archiver.extract.profiles import Profiles
from archiver.extract.read import ArticleReader
from archiver.items import Article, FetchError
from archiver.version import extractor_version

logger = logging.getLogger(__name__)
# How many full batches an article pipeline holds, while another process writes, before it waits.
_MOST_BATCHES_HELD = 4


class NormalizePipeline:
    """Turns the raw strings of an extracted Article into clean fields, as read_article does.

    Dates a page prints without a timezone are read in ARCHIVE_TIMEZONE, or in the timezone
    of the site's profile.
    """

    def __init__(self, reader: ArticleReader) -> None:
        self.reader = reader

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        settings = crawler.settings
        profiles = Profiles.load(settings.get("ARCHIVE_PROFILES"))
        return cls(ArticleReader(profiles, settings.get("ARCHIVE_TIMEZONE", "Europe/Paris")))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            self.reader.normalize(item)
        return item


class MissingField(DropItem):
    """An article page without a field no article can do without; recorded as a failure."""

    def __init__(self, field: str) -> None:
        super().__init__(
            f"missing_{field}: no {field} found in JSON-LD, OpenGraph, <h1> or <title>"
        )
        self.reason = f"missing_{field}"


class ValidatePipeline:
    """Drops articles that cannot be archived, counting each reason in the crawl stats."""

    REQUIRED = ("title",)

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            for field in self.REQUIRED:
                if not getattr(item, field):
                    self.stats.inc_value(f"archiver/failures/missing_{field}")
                    raise MissingField(field)
        return item


def raw_compression(settings: BaseSettings) -> tuple[str, int]:
    """ARCHIVE_RAW_CODEC and ARCHIVE_RAW_COMPRESSION, checked before a crawl rather than by the
    compressor at its first page; no level means the codec's own default."""
    codec = settings.get("ARCHIVE_RAW_CODEC", "zstd")
    level = settings.get("ARCHIVE_RAW_COMPRESSION")
    if level in (None, ""):
        return codec, raw_level(codec, None)
    try:
        number = int(level)
    except (TypeError, ValueError):
        raise ValueError(f"ARCHIVE_RAW_COMPRESSION must be a whole number, not {level!r}") from None
    return codec, raw_level(codec, number)


class ArchivePipeline:
    """Writes articles to the SQLite archive in short batched transactions.

    It also opens a row in `crawls` for the run, records FetchError items and dropped articles
    in `fetch_errors`, and stores the final stats when the spider closes.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.path = settings.get("ARCHIVE_DB", "archive.db")
        self.batch_size = settings.getint("ARCHIVE_BATCH_SIZE", 50)
        self.raw_codec, self.raw_compression = raw_compression(settings)
        self.archive: Archive | None = None
        self.crawl_id: int | None = None
        self.pending: list[Article] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        # An idle crawl commits what it holds, so the frontier never waits on an unflushed batch.
        crawler.signals.connect(pipeline.flush, signal=signals.spider_idle)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.archive = Archive(
            self.path, raw_codec=self.raw_codec, raw_compression=self.raw_compression
        )
        self.crawl_id = self.archive.start_crawl(spider.name if spider else "unknown")
        logger.info("Archiving into %s (crawl %s)", self.path, self.crawl_id)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            self.pending.append(item)
            if len(self.pending) >= self.batch_size:
                # While another crawl process writes, the batch grows rather than the crawl
                # stalls on the lock; up to a point, where it waits its turn.
                self.flush(wait=len(self.pending) >= _MOST_BATCHES_HELD * self.batch_size)
        elif isinstance(item, FetchError):
            self.crawler.stats.inc_value(f"archiver/failures/{item.reason}")
            self.record_failure(item.url, item.reason, item.status, item.detail)
            self.cross_off([item.url])
        return item

    def cross_off(self, urls: list[str]) -> None:
        """Tell the crawl frontier these pages are done, once their outcome is committed."""
        frontier = getattr(self.crawler.spider, "frontier", None)
        if frontier is not None:
            frontier.done(urls)

    def flush(self, wait: bool = True) -> None:
        if self.archive is None or not self.pending:
            return
        try:
            result = self.archive.save_articles(
                self.pending, self.crawl_id, extractor_version=extractor_version(), wait=wait
            )
        except ArchiveBusy:
            return
        stats = self.crawler.stats
        stats.inc_value("archiver/articles_stored", result.total)
        for outcome in ("new", "changed", "unchanged"):
            stats.inc_value(f"archiver/articles_{outcome}", getattr(result, outcome))
        self.cross_off([a.requested_url or a.url for a in self.pending])
        self.pending = []

    def record_failure(
        self, url: str, reason: str, status: int | None = None, detail: str | None = None
    ) -> None:
        if self.archive is not None:
            self.archive.record_failure(
                url, reason, crawl_id=self.crawl_id, status=status, detail=detail
            )

    def item_dropped(self, item: Any, response: Any, exception: Exception) -> None:
        url = getattr(item, "url", None) or getattr(response, "url", "")
        reason = getattr(exception, "reason", None) or "dropped"
        self.record_failure(url, reason, getattr(response, "status", None), str(exception))
        self.cross_off([getattr(item, "requested_url", None) or url])

    def close_spider(self) -> None:
        self.flush()

    def spider_closed(self, reason: str) -> None:
        if self.archive is None:
            return
        self.flush()
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        self.archive.finish_crawl(self.crawl_id, reason, stats)
        self.archive.close()
        self.archive = None
