"""The crawl frontier, kept in the archive so that a crawl survives any stop, `kill -9` included.

Every request a spider yields is written down, and crossed off only once what came of it is
committed: the stored article, the recorded failure, or the links of a listing page. The links a
page led to are always committed with or before its crossing-off, so a stop at any moment loses
nothing: `--resume` fetches what is not crossed off (and finds those links again), and nothing
else.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from archiver.archive.store import Archive, ArchiveBusy, utc_now

if TYPE_CHECKING:
    from archiver.crawl.session import ArchiveSession


def job_name(spider: str, start_urls: list[str]) -> str:
    """Which crawl a frontier belongs to: the spider and its start URLs."""
    return f"{spider} {' '.join(sorted(start_urls))}".strip()


# Additions held at most before they are committed without waiting for a crossing-off.
_MOST_HELD = 1000


class Frontier:
    """The URLs one crawl job has discovered, and which of them are done."""

    def __init__(
        self,
        archive: Archive,
        job: str,
        on_write_error: Callable[[sqlite3.OperationalError], None] | None = None,
    ) -> None:
        self.archive = archive
        self.job = job
        # Told of a commit that failed (a full disk), which then stops the crawl; without it
        # the error is raised. Once told, the frontier writes nothing more.
        self.on_write_error = on_write_error
        self.stopped = False
        # Written down but not committed yet: another crawl process held the write lock.
        self._added: list[tuple[str, str, str, int, str]] = []
        self._done: list[tuple[str, str, str]] = []

    def reset(self) -> None:
        self._added, self._done = [], []
        with self.archive.transaction():
            self.archive.db.execute("DELETE FROM frontier WHERE job = ?", [self.job])

    def add(self, entries: Iterable[tuple[str, str, int]]) -> None:
        """Write down (url, kind, depth) for requests about to be scheduled.

        They are committed with the next crossing-off (or read), which is never before that of
        the page that led to them: until then a stop loses nothing, since that page is fetched
        again. A transaction for each page's links cost 0.06 ms a page, and rewrote the
        frontier's pages into the WAL each time; past _MOST_HELD they are committed anyway."""
        now = utc_now()
        self._added.extend((self.job, url, kind, depth, now) for url, kind, depth in entries)
        if len(self._added) >= _MOST_HELD:
            self.commit(wait=False)

    def done(self, urls: Iterable[str]) -> None:
        now = utc_now()
        self._done.extend((now, self.job, url) for url in urls)
        self.commit(wait=False)

    def commit(self, *, wait: bool = True) -> None:
        """Commit what add() and done() hold, additions first, in one transaction. Without
        `wait`, while another process writes they are kept for the next call: the crawl goes
        on rather than stall on the lock, and the order holds."""
        if self.stopped or (not self._added and not self._done):
            return
        try:
            with self.archive.transaction(wait=wait):
                conn = self.archive.db.conn
                conn.executemany(
                    "INSERT OR IGNORE INTO frontier (job, url, kind, depth, discovered_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    self._added,
                )
                conn.executemany(
                    "UPDATE frontier SET done_at = ? WHERE job = ? AND url = ? AND done_at IS NULL",
                    self._done,
                )
        except ArchiveBusy:
            return
        except sqlite3.OperationalError as error:
            if self.on_write_error is None:
                raise
            self.stopped = True
            self.on_write_error(error)
            return
        self._added, self._done = [], []

    def pending(self) -> list[tuple[str, str, int]]:
        self.commit()
        return [
            (url, kind, depth)
            for url, kind, depth in self.archive.db.execute(
                "SELECT url, kind, depth FROM frontier WHERE job = ? AND done_at IS NULL "
                "ORDER BY rowid",
                [self.job],
            )
        ]

    def has_pending(self) -> bool:
        self.commit()
        return bool(
            self.archive.db.execute(
                "SELECT 1 FROM frontier WHERE job = ? AND done_at IS NULL LIMIT 1", [self.job]
            ).fetchone()
        )

    def known(self) -> bool:
        return bool(
            self.archive.db.execute(
                "SELECT 1 FROM frontier WHERE job = ? LIMIT 1", [self.job]
            ).fetchone()
        )

    def is_archived(self, url: str) -> bool:
        """An article already in the archive, under this URL or as its canonical URL."""
        return bool(
            self.archive.db.execute(
                "SELECT 1 FROM articles WHERE url = :u OR canonical_url = :u "
                "UNION ALL SELECT 1 FROM fetches WHERE url = :u LIMIT 1",
                {"u": url},
            ).fetchone()
        )


class FrontierMiddleware:
    """Spider middleware: writes down each request the spider yields, and crosses off the
    responses whose outcome is already committed (pages that are not articles).

    Articles and failures are crossed off by ArchivePipeline once it has committed them. The
    frontier is the crawl's ArchiveSession's, once the spider has opened its job there.
    """

    def __init__(self, crawler: Crawler, session: ArchiveSession) -> None:
        self.crawler = crawler
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierMiddleware:
        from archiver.crawl.session import archive_session  # which builds Frontiers

        middleware = cls(crawler, archive_session(crawler))
        crawler.signals.connect(middleware.request_dropped, signal=signals.request_dropped)
        return middleware

    def request_dropped(self, request: Request) -> None:
        """A redirect to a URL the crawl has requested already is dropped by the scheduler's
        duplicate filter, and reaches no callback: the page that redirected is done, since its
        target has a frontier entry of its own."""
        if "redirect_urls" in request.meta:
            self.session.cross_off([discovered_url(request)])

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in start:
            frontier = self.session.frontier
            if frontier is not None and isinstance(item_or_request, Request):
                frontier.add([_entry(item_or_request)])
            yield item_or_request

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        frontier = self.session.frontier
        produced_item = False
        requests: list[Request] = []
        async for element in result:
            if isinstance(element, Request):
                requests.append(element)
            else:
                produced_item = True
                yield element
        if frontier is not None:
            frontier.add(_entry(r) for r in requests)
            if not produced_item:
                frontier.done([discovered_url(response.request)])
        owns = getattr(self.crawler.spider, "owns", None)
        for request in requests:
            if owns is None or owns(request.url):  # another process's shard fetches the rest
                yield request


def _entry(request: Request) -> tuple[str, str, int]:
    return request.url, request.meta.get("kind", "page"), request.meta.get("link_depth", 0)


def discovered_url(request: Request) -> str:
    """The URL as it was discovered, before any redirect: the frontier's key for a page."""
    return (request.meta.get("redirect_urls") or [request.url])[0]
