"""The crawl's one connection to its archive, shared by the spider, the frontier and the pipelines.

A crawl used to open the archive twice: once for the spider's frontier and once for the article
pipeline, two write connections of one process on one file. Here a Scrapy extension owns the
connection for the whole crawl; the components that write find it through the crawler
(`archive_session(crawler)`), not through the spider nor a global. It opens the archive the
first time one of them needs it, so a `scrapy check` that stores nothing leaves no file behind,
and it closes it once the engine has stopped, after every `spider_closed` handler has run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro

from archiver.archive.store import Archive, raw_level
from archiver.crawl.frontier import Frontier
from archiver.crawl.lock import ArchiveInUse, CrawlLock, hold, sweep_killed

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
        self._lock: CrawlLock | None = None
        self.broken: str | None = None  # why the archive cannot be written, once it cannot
        self._took_lock = False

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
        """The connection, opened on first use with the crawl's row in `crawls`, once this
        crawl holds the archive's lock (ArchiveInUse when another crawl does)."""
        if self._archive is None:
            spider = self.crawler.spider
            name = spider.name if spider else "unknown"
            self._lock, self._took_lock = hold(self.path, f"a crawl with {name}")
            self._archive = Archive(
                self.path, raw_codec=self.raw_codec, raw_compression=self.raw_compression
            )
            sweep_killed(self._lock, self._archive)
            self.crawl_id = self._archive.start_crawl(name)
            if self._lock.owner == os.getpid():  # not a shard, whose parent said it all
                self._lock.describe(f"crawl {self.crawl_id} with {name}")
            logger.info("Archiving into %s (crawl %s)", self.path, self.crawl_id)
        return self._archive

    def begin(self) -> None:
        """Open the archive as the spider opens, so that the crawl's row starts with it; when
        another crawl holds the archive, say so in one line and stop this crawl before it
        fetches anything, rather than let `scrapy crawl` print a traceback."""
        try:
            self.open()
        except ArchiveInUse as holder:
            why = f"being crawled by another process ({holder}): wait for it to end, or crawl"
            self.stop_writing(f"{why} into another ARCHIVE_DB", "archive_in_use")
            self.crawler.signals.connect(self._stop_at_once, signal=signals.spider_opened)

    def _stop_at_once(self) -> None:
        engine = self.crawler.engine
        if engine is not None:
            deferred_from_coro(engine.close_spider_async(reason=self.finish_reason))

    def open_frontier(self, job: str) -> Frontier:
        """The frontier of crawl job `job`, which the pipelines cross pages off: in the archive,
        or in Redis when this crawl is a node of a Redis job (archiver/distributed/)."""
        from archiver.distributed.node import shared_frontier

        self.frontier = shared_frontier(self.crawler, self.archive, job) or Frontier(
            self.archive, job, on_write_error=self.write_failed
        )
        return self.frontier

    def write_failed(self, error: sqlite3.Error) -> None:
        """The archive could not be written (a full disk): stop the crawl at the first such
        write, in one line, rather than fetch every page and log a traceback for each."""
        full = "full" in str(error) or getattr(error, "sqlite_errorcode", None) == 13
        if full:
            self.stop_writing("disk full", "disk_full")
        else:
            self.stop_writing(f"cannot write the archive: {error}", "write_error")

    def stop_writing(self, why: str, reason: str) -> None:
        """Stop the crawl because what it fetches can no longer be kept (`why` starts with
        "disk full" when space is the cause). What is committed stays; what is not is still
        in the frontier for --resume. run_crawl reads `archiver/write_error` from the stats
        and says it all in one line. Called in the reactor's thread."""
        if self.broken is not None:
            return
        self.broken, self.finish_reason = why, reason
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("archiver/write_error", why)
        logger.error("%s: %s; stopping the crawl", self.path, why)
        if self.frontier is not None:
            self.frontier.stopped = True
        close_spider(self.crawler, reason)

    def cross_off(self, urls: Iterable[str]) -> None:
        """Tell the frontier these pages are done, once their outcome is committed."""
        if self.frontier is not None:
            self.frontier.done(urls)

    def record_failure(
        self, url: str, reason: str, status: int | None = None, detail: str | None = None
    ) -> None:
        if self.broken is not None:
            return  # the page stays in the frontier, for --resume
        try:
            self.archive.record_failure(
                url, reason, crawl_id=self.crawl_id, status=status, detail=detail
            )
        except sqlite3.OperationalError as error:
            self.write_failed(error)

    def spider_closed(self, reason: str) -> None:
        if self.broken is None:
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
        except sqlite3.OperationalError as error:
            self.write_failed(error)  # said once; the row is left for the next crawl to mark
        finally:
            with contextlib.suppress(sqlite3.Error):
                archive.close()
            if self._lock is not None and self._took_lock:
                self._lock.release()


def close_spider(crawler: Crawler, reason: str) -> None:
    """Close the crawl's spider with `reason`, if its engine runs: what a component that must
    stop the crawl (a full disk, Redis gone) calls, from the reactor's thread."""
    engine = crawler.engine
    if engine is not None and engine.running:
        deferred_from_coro(engine.close_spider_async(reason=reason))


def archive_session(crawler: Crawler) -> ArchiveSession:
    """The crawl's ArchiveSession, which EXTENSIONS must enable."""
    session = crawler.get_extension(ArchiveSession)
    if session is None:
        raise RuntimeError(
            "archiver.crawl.session.ArchiveSession is not in EXTENSIONS: the crawl has no archive"
        )
    return session
