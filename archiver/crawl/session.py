"""The crawl's one connection to its archive, shared by the spider, the frontier and the pipelines.

A crawl used to open the archive twice: once for the spider's frontier and once for the article
pipeline, two write connections of one process on one file. Here a Scrapy extension owns the
connection for the whole crawl; the components that write find it through the crawler
(`archive_session(crawler)`), not through the spider nor a global. It opens the archive the
first time one of them needs it, so a `scrapy check` that stores nothing leaves no file behind,
and it closes it once the engine has stopped, after every `spider_closed` handler has run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from archiver.archive.store import Archive, raw_level
from archiver.crawl.frontier import Frontier

logger = logging.getLogger(__name__)


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


class ArchiveSession:
    """The archive at ARCHIVE_DB for one crawl: its connection, its row in `crawls`, the
    failures it records in `fetch_errors`, and the frontier of the spider's crawl job."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.path = settings.get("ARCHIVE_DB", "archive.db")
        self.raw_codec, self.raw_compression = raw_compression(settings)
        self._archive: Archive | None = None
        self.crawl_id: int | None = None
        self.frontier: Frontier | None = None
        self.finish_reason = "unknown"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveSession:
        session = cls(crawler)
        crawler.signals.connect(session.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(session.close, signal=signals.engine_stopped)
        return session

    @property
    def archive(self) -> Archive:
        return self.open()

    def open(self) -> Archive:
        """The connection, opened on first use with the crawl's row in `crawls`."""
        if self._archive is None:
            self._archive = Archive(
                self.path, raw_codec=self.raw_codec, raw_compression=self.raw_compression
            )
            spider = self.crawler.spider
            self.crawl_id = self._archive.start_crawl(spider.name if spider else "unknown")
            logger.info("Archiving into %s (crawl %s)", self.path, self.crawl_id)
        return self._archive

    def open_frontier(self, job: str) -> Frontier:
        """The frontier of crawl job `job`, which the pipelines cross pages off."""
        self.frontier = Frontier(self.archive, job)
        return self.frontier

    def cross_off(self, urls: Iterable[str]) -> None:
        """Tell the frontier these pages are done, once their outcome is committed."""
        if self.frontier is not None:
            self.frontier.done(urls)

    def record_failure(
        self, url: str, reason: str, status: int | None = None, detail: str | None = None
    ) -> None:
        self.archive.record_failure(
            url, reason, crawl_id=self.crawl_id, status=status, detail=detail
        )

    def spider_closed(self, reason: str) -> None:
        self.finish_reason = reason

    def close(self) -> None:
        """Commit what the frontier held back (another process had the lock), store the final
        stats in the crawl's row, and close the connection, even when a write fails (a full
        disk). At engine_stopped: every extension has set its stats by then."""
        archive, self._archive = self._archive, None
        if archive is None:
            return
        try:
            if self.frontier is not None:
                self.frontier.commit()
            stats: dict[str, Any] = self.crawler.stats.get_stats() if self.crawler.stats else {}
            assert self.crawl_id is not None
            archive.finish_crawl(self.crawl_id, self.finish_reason, stats)
        finally:
            archive.close()


def archive_session(crawler: Crawler) -> ArchiveSession:
    """The crawl's ArchiveSession, which EXTENSIONS must enable."""
    session = crawler.get_extension(ArchiveSession)
    if session is None:
        raise RuntimeError(
            "archiver.crawl.session.ArchiveSession is not in EXTENSIONS: the crawl has no archive"
        )
    return session
