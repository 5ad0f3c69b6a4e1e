"""The crawl frontier, kept in the archive so that a crawl survives any stop, `kill -9` included.

Every request a spider yields is written down (committed at once) before it is fetched, and
crossed off only once what came of it is committed: the stored article, the recorded failure,
or the links of a listing page. `--resume` fetches what is not crossed off, and nothing else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from archiver.archive import Archive, utc_now


def job_name(spider: str, start_urls: list[str]) -> str:
    """Which crawl a frontier belongs to: the spider and its start URLs."""
    return f"{spider} {' '.join(sorted(start_urls))}".strip()


class Frontier:
    """The URLs one crawl job has discovered, and which of them are done."""

    def __init__(self, archive: Archive, job: str) -> None:
        self.archive = archive
        self.job = job

    def reset(self) -> None:
        with self.archive.transaction():
            self.archive.db.execute("DELETE FROM frontier WHERE job = ?", [self.job])

    def add(self, entries: Iterable[tuple[str, str, int]]) -> None:
        """Write down (url, kind, depth) for requests about to be scheduled."""
        now = utc_now()
        rows = [(self.job, url, kind, depth, now) for url, kind, depth in entries]
        if rows:
            with self.archive.transaction():
                self.archive.db.conn.executemany(
                    "INSERT OR IGNORE INTO frontier (job, url, kind, depth, discovered_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    rows,
                )

    def done(self, urls: Iterable[str]) -> None:
        now = utc_now()
        rows = [(now, self.job, url) for url in urls]
        if rows:
            with self.archive.transaction():
                self.archive.db.conn.executemany(
                    "UPDATE frontier SET done_at = ? WHERE job = ? AND url = ? AND done_at IS NULL",
                    rows,
                )

    def pending(self) -> list[tuple[str, str, int]]:
        return [
            (url, kind, depth)
            for url, kind, depth in self.archive.db.execute(
                "SELECT url, kind, depth FROM frontier WHERE job = ? AND done_at IS NULL "
                "ORDER BY rowid",
                [self.job],
            )
        ]

    def has_pending(self) -> bool:
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

    Articles and failures are crossed off by ArchivePipeline once it has committed them.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierMiddleware:
        return cls(crawler)

    def _frontier(self) -> Frontier | None:
        return getattr(self.crawler.spider, "frontier", None)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in start:
            frontier = self._frontier()
            if frontier is not None and isinstance(item_or_request, Request):
                frontier.add([_entry(item_or_request)])
            yield item_or_request

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        frontier = self._frontier()
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
