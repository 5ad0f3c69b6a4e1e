"""Thin Scrapy glue: each pipeline does one thing and calls into normalize/ or archive."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from twisted.internet.interfaces import IDelayedCall

from archiver.archive.store import ArchiveBusy
from archiver.crawl.adapt import article_from
from archiver.crawl.session import ArchiveSession, archive_session
from archiver.extract.profiles import Profiles
from archiver.extract.read import ArticleReader
from archiver.items import Article
from archiver.version import extractor_version

# How many full batches an article pipeline holds, while another process writes, before it waits.
_MOST_BATCHES_HELD = 4


def _call_later(seconds: float, function: Callable[[], None]) -> IDelayedCall:
    """The reactor's callLater; the reactor imported only now, once Scrapy has installed the
    one it was asked for (importing it first installs Twisted's default)."""
    from twisted.internet import reactor

    return reactor.callLater(seconds, function)  # type: ignore[attr-defined]


class NormalizePipeline:
    """Turns the raw strings of an article into clean fields, as read_article does.

    Any item that stands for an article (archiver.crawl.adapt.article_from: an Article, or a
    dict, scrapy.Item or other item with a `url` and a `title`) goes on as a normalized
    Article, so that the pipelines after this one deal with Articles only; other items pass
    untouched.
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
        article = article_from(item)
        return item if article is None else self.reader.normalize(article)


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


class ArchivePipeline:
    """Writes articles to the crawl's archive in short batched transactions, records dropped
    articles in `fetch_errors`, and crosses each page off the frontier once its outcome is
    committed."""

    def __init__(self, crawler: Crawler, session: ArchiveSession) -> None:
        self.stats = crawler.stats
        self.session = session
        self.batch_size = crawler.settings.getint("ARCHIVE_BATCH_SIZE", 50)
        # A batch is committed this long after its first article at the latest, so that a kill
        # loses at most these seconds of work, not up to a batch of it (a minute on a slow site).
        self.batch_seconds = crawler.settings.getfloat("ARCHIVE_BATCH_SECONDS", 2.0)
        self.pending: list[Article] = []
        self._deadline: IDelayedCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(crawler, archive_session(crawler))
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        # An idle crawl commits what it holds, so the frontier never waits on an unflushed batch.
        crawler.signals.connect(pipeline.flush, signal=signals.spider_idle)
        return pipeline

    def open_spider(self) -> None:
        self.session.begin()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            self.pending.append(item)
            if self._deadline is None and self.batch_seconds > 0:
                self._deadline = _call_later(self.batch_seconds, self._flush_late)
            if len(self.pending) >= self.batch_size:
                # While another crawl process writes, the batch grows rather than the crawl
                # stalls on the lock; up to a point, where it waits its turn.
                self.flush(wait=len(self.pending) >= _MOST_BATCHES_HELD * self.batch_size)
        return item

    def flush(self, wait: bool = True) -> None:
        if not self.pending or self.session.broken is not None:
            return  # a batch the archive could not take stays in the frontier, for --resume
        try:
            result = self.session.archive.save_articles(
                self.pending,
                self.session.crawl_id,
                extractor_version=extractor_version(),
                wait=wait,
            )
        except ArchiveBusy:
            return
        except sqlite3.OperationalError as error:
            self.session.write_failed(error)
            return
        for outcome in ("new", "changed", "unchanged"):
            self.stats.inc_value(f"archiver/articles_{outcome}", getattr(result, outcome))
        self.stats.inc_value("archiver/articles_stored", result.total)
        self.session.cross_off([a.requested_url or a.url for a in self.pending])
        self.pending = []
        if self._deadline is not None and self._deadline.active():
            self._deadline.cancel()
        self._deadline = None

    def _flush_late(self) -> None:
        """The batch's time is up: commit it, or, while another process writes, try again
        in a moment rather than wait for the lock in the reactor's thread."""
        self._deadline = None
        self.flush(wait=False)
        if self.pending and self._deadline is None:
            self._deadline = _call_later(self.batch_seconds / 4, self._flush_late)

    def item_dropped(self, item: Any, response: Any, exception: Exception) -> None:
        """Any item dropped, by any pipeline: its page is recorded as not archived."""
        fields = ItemAdapter(item) if ItemAdapter.is_item(item) else {}
        url = fields.get("url") or getattr(response, "url", "")
        reason = getattr(exception, "reason", None) or "dropped"
        self.session.record_failure(url, reason, getattr(response, "status", None), str(exception))
        self.session.cross_off([fields.get("requested_url") or url])

    def close_spider(self) -> None:
        self.flush()
        if self._deadline is not None and self._deadline.active():
            self._deadline.cancel()
