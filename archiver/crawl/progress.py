"""What a crawl has done so far, where a person can see it: one line rewritten in place on a
terminal, a plain log line at an interval otherwise (a log file, CI, a pipe).

It reads the crawl's own stats, so it counts what the archive will say at the end. It replaces
Scrapy's LogStats, which counts items rather than articles stored and knows nothing of failures.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from archiver.archive.store import crawl_counts
from archiver.progress import LiveLine

logger = logging.getLogger(__name__)
LIVE_INTERVAL = 0.5


def progress_line(counts: dict[str, int], left: int, per_second: float) -> str:
    """A crawl's counts (crawl_counts, as its row in `crawls` will hold them) in one line."""
    return (
        f"{counts['pages_fetched']} pages fetched, {counts['articles_stored']} articles stored, "
        f"{counts['pages_skipped']} skipped, {counts['failures']} failures, "
        f"{per_second:.1f} pages/s, {left} URLs left"
    )


def progress_mode(setting: Any, stream: TextIO) -> str | None:
    """ARCHIVE_PROGRESS: "auto" (live on a terminal, log otherwise), "live", "log", or off."""
    mode = str(setting).strip().lower()
    if mode in ("", "0", "false", "off", "none"):
        return None
    if mode == "auto":
        return "live" if stream.isatty() else "log"
    if mode not in ("live", "log"):
        raise ValueError(f"ARCHIVE_PROGRESS must be auto, live, log or off, not {setting!r}")
    return mode


class CrawlProgress:
    def __init__(self, crawler: Crawler, mode: str, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.live = mode == "live"
        self.interval = min(interval, LIVE_INTERVAL) if self.live else interval
        self.line = LiveLine(stream, live=True) if self.live else None
        self.task: LoopingCall | None = None
        self.last = (time.monotonic(), 0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        settings = crawler.settings
        mode = progress_mode(settings.get("ARCHIVE_PROGRESS", "auto"), sys.stderr)
        if mode is None:
            raise NotConfigured
        interval = settings.getfloat("ARCHIVE_PROGRESS_INTERVAL", 60.0)
        extension = cls(crawler, mode, interval, sys.stderr)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def engine_started(self) -> None:
        self.last = (time.monotonic(), 0)
        self.task = LoopingCall(self.show)
        self.task.start(self.interval, now=False)

    def urls_left(self) -> int:
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        queued = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
        active = len(engine.downloader.active) if engine is not None else 0
        return queued + active

    def current(self) -> str:
        """The line for now; pages a second over the time since the last one."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        counts = crawl_counts(stats)
        now, before = time.monotonic(), self.last
        self.last = (now, counts["pages_fetched"])
        per_second = (counts["pages_fetched"] - before[1]) / max(now - before[0], 1e-6)
        return progress_line(counts, self.urls_left(), per_second)

    def show(self) -> None:
        if self.line is not None:
            self.line.show(self.current(), now=True)
        else:
            logger.info("Progress: %s", self.current())

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.line is not None:
            self.line.clear()
