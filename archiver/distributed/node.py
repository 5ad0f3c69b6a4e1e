"""A crawl process as one node of a Redis job: its heartbeat, its leases and when it stops.

JobNode (a Scrapy extension) holds the node's RedisJob; the scheduler (scheduler.py) queues
and leases requests through it, and RedisFrontier lets the archive session's crossing-off
finish leases. Enabled by `distributed_settings` when ARCHIVE_REDIS_URL is set.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import Settings
from twisted.internet.task import LoopingCall

from archiver.archive.store import Archive
from archiver.crawl.frontier import Frontier
from archiver.distributed.job import RedisJob

logger = logging.getLogger(__name__)


def distributed_settings(settings: Settings) -> None:
    """With ARCHIVE_REDIS_URL, the Redis scheduler, the JobNode extension and, unless
    ARCHIVE_REDIS_SHARED_PACE is off, the downloader that keeps each site's pace job-wide."""
    if not settings.get("ARCHIVE_REDIS_URL"):
        return
    settings.set("SCHEDULER", "archiver.distributed.scheduler.RedisScheduler", priority="cmdline")
    if settings.getbool("ARCHIVE_REDIS_SHARED_PACE", True):
        downloader = "archiver.distributed.pace.SharedPaceDownloader"
        settings.set("DOWNLOADER", downloader, priority="cmdline")
    extensions = settings.getdict("EXTENSIONS")
    extensions["archiver.distributed.node.JobNode"] = 0
    settings.set("EXTENSIONS", extensions, priority="cmdline")


class JobNode:
    """This process in the job: heartbeats, gives dead nodes' leases back, wakes an idle
    engine when others queued work, and keeps the spider open while the job has work."""

    def __init__(self, crawler: Crawler, job: RedisJob) -> None:
        self.crawler = crawler
        self.job = job
        self.leased: set[str] = set()  # URLs this node holds, whose retries stay here
        self.finished: list[str] = []  # crossed off, to be acked at the next tick
        self.take_one: Any = None  # set by the scheduler: a leased request, or None
        self.turns: dict[str, str] = {}  # turn -> site: fetches under way (pace.py)
        interval = min(1.0, job.lease_seconds / 4)
        self._ticker = LoopingCall(self.tick)
        self._interval = interval

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobNode:
        settings = crawler.settings
        url, name = settings.get("ARCHIVE_REDIS_URL"), settings.get("ARCHIVE_REDIS_JOB")
        if not url:
            raise NotConfigured
        if not name:
            raise NotConfigured("ARCHIVE_REDIS_JOB names the job a Redis crawl belongs to")
        node_name = settings.get("ARCHIVE_REDIS_NODE") or f"{socket.gethostname()}-{os.getpid()}"
        lease = settings.getfloat("ARCHIVE_REDIS_LEASE", 60.0)
        node = cls(crawler, RedisJob.connect(url, name, node_name, lease))
        crawler.signals.connect(node.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(node.spider_closed, signal=signals.spider_closed)
        return node

    def spider_opened(self) -> None:
        # connected now, after the item pipelines: their flush on idle crosses pages off first
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        self.tick()
        self._ticker.start(self._interval, now=False)
        logger.info("Node %s of Redis job %r", self.job.node, self.job.job)

    def finish(self, urls: Iterable[str]) -> None:
        """Pages crossed off: acked at the next tick, once the links they led to are queued."""
        self.finished.extend(url for url in urls if url in self.leased)

    def _ack(self) -> None:
        done, self.finished = self.finished, []
        self.leased.difference_update(done)
        self.job.ack(done)

    def tick(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        self._ack()
        self._report()
        self.job.renew_turns(self.turns)
        given = self.job.reap()
        if given:
            logger.warning("Gave %s requests of dead nodes back to the queue", given)
            stats.inc_value("archiver/redis/requests_given_back", given)
        engine = self.crawler.engine
        if engine is not None and engine.spider_is_idle() and self.take_one is not None:
            request = self.take_one()
            if request is not None:
                request.meta["archiver_leased"] = True  # for the scheduler's local queue
                engine.crawl(request)  # the engine was asleep: this wakes it

    def _report(self) -> None:
        """The heartbeat, with this node's pages and articles for `archiver status`."""
        stats = self.crawler.stats
        assert stats is not None
        self.job.heartbeat(
            stats.get_value("response_received_count", 0),
            stats.get_value("archiver/articles_stored", 0),
        )

    def spider_idle(self) -> None:
        """Nothing to do here: stay open while any node has work, which may lead here."""
        if self.leased - set(self.finished):
            # idle, so fetched and processed: pages whose outcome was never crossed off
            orphans = self.leased - set(self.finished)
            logger.warning("%s leased pages finished without being crossed off", len(orphans))
            self.finished.extend(orphans)
        self._ack()
        if self.job.work_left():
            raise DontCloseSpider

    def spider_closed(self, reason: str) -> None:
        if self._ticker.running:
            self._ticker.stop()
        self._ack()
        self._report()
        given = self.job.release("finished" if reason == "finished" else f"stopped: {reason}")
        if given:
            logger.info("Gave %s unfinished requests back to the job's queue", given)


class RedisFrontier(Frontier):
    """The frontier of a node: the job's is in Redis, so nothing is written down here, and
    crossing a page off finishes its lease."""

    def __init__(self, archive: Archive, job: str, node: JobNode) -> None:
        super().__init__(archive, job)
        self.node = node

    def reset(self) -> None:
        """The job is shared: a node joining it never starts it over."""

    def add(self, entries: Iterable[tuple[str, str, int]]) -> None:
        """The scheduler queues requests in Redis itself."""

    def done(self, urls: Iterable[str]) -> None:
        self.node.finish(urls)

    def commit(self, *, wait: bool = True) -> None:
        self.node._ack()

    def pending(self) -> list[tuple[str, str, int]]:
        return []

    def has_pending(self) -> bool:
        return bool(self.node.job.work_left())

    def known(self) -> bool:
        return False  # start requests are yielded and Redis drops those already queued


def shared_frontier(crawler: Crawler, archive: Archive, job: str) -> Frontier | None:
    """The Redis frontier when this crawl is a node of a Redis job, else None."""
    node = crawler.get_extension(JobNode) if crawler.settings.get("ARCHIVE_REDIS_URL") else None
    return None if node is None else RedisFrontier(archive, job, node)
