"""A crawl process as one node of a Redis job: its heartbeat, its leases and when it stops.

JobNode (a Scrapy extension) holds the node's RedisJob; the scheduler (scheduler.py) queues
and leases requests through it, and RedisFrontier lets the archive session's crossing-off
finish leases. Enabled by the RedisNodeAddon when ARCHIVE_REDIS_URL is set, however the crawl
was started: `archiver crawl --redis`, `scrapy crawl -s ARCHIVE_REDIS_URL=...`, or a Scrapyd
job scheduled with `setting=ARCHIVE_REDIS_URL=...`.

While Redis does not answer (link.py), the node keeps what it could not write down (links
found, leases to finish, turns to end), writes it once Redis is back, and stops past
ARCHIVE_REDIS_RETRY seconds, its crawl ending as "redis_unreachable"; a Redis back without
the job (restarted without persistence) stops it too, as "redis_job_lost".
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections import deque
from collections.abc import Iterable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from twisted.internet.task import LoopingCall

from archiver.archive.store import Archive
from archiver.crawl.frontier import Frontier
from archiver.crawl.session import close_spider
from archiver.distributed.job import RedisJob
from archiver.distributed.link import Unreachable

logger = logging.getLogger(__name__)


def distributed_settings(settings: BaseSettings) -> None:
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


class RedisNodeAddon:
    """Scrapy add-on (ADDONS in archiver/settings.py): applies `distributed_settings` once
    every setting is in, the command line's and a Scrapyd job's included."""

    def update_settings(self, settings: BaseSettings) -> None:
        distributed_settings(settings)


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
        # written down once Redis answers again: requests to queue, turns that ended
        self.unqueued: deque[tuple[bytes, str, bytes]] = deque()
        self.unended: deque[tuple[str, str]] = deque()
        self.joined = False  # the job has seen this node's heartbeat
        self.stopping = False
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
        retry = settings.getfloat("ARCHIVE_REDIS_RETRY", 60.0)
        node = cls(crawler, RedisJob.connect(url, name, node_name, lease, retry))
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

    def push(self, fingerprint: bytes, url: str, payload: bytes) -> bool:
        """Queue a request in the job (False: it was queued before), or keep it to queue once
        Redis answers again."""
        try:
            self._flush()
            queued = self.job.push(fingerprint, url, payload)
        except Unreachable:
            self.unqueued.append((fingerprint, url, payload))
            return True
        self._count_push(queued)
        return queued

    def _count_push(self, queued: bool) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("archiver/redis/queued" if queued else "archiver/redis/duplicates")

    def end_turn(self, site: str, turn: str) -> None:
        """A fetch's turn is over: ended in the job now, or once Redis answers again."""
        try:
            self.job.end_turn(site, turn)
        except Unreachable:
            self.unended.append((site, turn))

    def _flush(self) -> None:
        """Write down what was kept while Redis did not answer; Unreachable if it still does
        not, the rest kept."""
        while self.unqueued:
            self._count_push(self.job.push(*self.unqueued[0]))
            self.unqueued.popleft()
        while self.unended:
            self.job.end_turn(*self.unended[0])
            self.unended.popleft()

    def _ack(self) -> None:
        """Finish the leases of pages crossed off, once the links they led to are queued (a
        node that dies in between loses nothing: its pages are fetched again)."""
        self._flush()
        done = self.finished
        self.job.ack(done)
        self.finished = []
        self.leased.difference_update(done)

    def tick(self) -> None:
        if self.job.link.given_up():
            self._stop_unreachable()
        if self.stopping:
            return
        try:
            if self._report():
                self._stop_lost()
                return
            self.job.renew_turns(self.turns)
            self._ack()
            self._reap()
        except Unreachable:
            return
        engine = self.crawler.engine
        if engine is not None and engine.spider_is_idle() and self.take_one is not None:
            request = self.take_one()
            if request is not None:
                request.meta["archiver_leased"] = True  # for the scheduler's local queue
                engine.crawl(request)  # the engine was asleep: this wakes it

    def _reap(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        given = self.job.reap()
        if given:
            logger.warning("Gave %s requests of dead nodes back to the queue", given)
            stats.inc_value("archiver/redis/requests_given_back", given)

    def _stop_unreachable(self) -> None:
        link = self.job.link
        self._stop(
            f"Redis at {link.url} did not answer for {link.retry_seconds:g} s",
            f"run the same command once it answers: the node joins job {self.job.job!r} again",
            "redis_unreachable",
        )

    def _stop_lost(self) -> None:
        self._stop(
            f"Redis at {self.job.link.url} came back without job {self.job.job!r}, its data "
            "lost (a Redis without persistence restarted)",
            "crawl again under a new --job name; appendonly yes in redis.conf keeps a job",
            "redis_job_lost",
        )

    def _stop(self, what: str, remedy: str, reason: str) -> None:
        """Stop the node, saying why in the log and in the stats, which the crawl's row keeps
        and `archiver crawl` reads (run_crawl); its crawl ends as `reason`."""
        self.stopping = True
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("archiver/redis/stopped", what)
            stats.set_value("archiver/redis/remedy", remedy)
        logger.error("%s: stopping node %s", what, self.job.node)
        close_spider(self.crawler, reason)

    def _report(self) -> bool:
        """The heartbeat, with this node's pages and articles for `archiver status`; whether
        Redis lost the job since this node joined it."""
        stats = self.crawler.stats
        assert stats is not None
        known = self.job.heartbeat(
            stats.get_value("response_received_count", 0),
            stats.get_value("archiver/articles_stored", 0),
        )
        lost, self.joined = self.joined and not known, True
        return lost

    def spider_idle(self) -> None:
        """Nothing to do here: stay open while any node has work, which may lead here, or
        while Redis does not answer, which leaves it unknown."""
        if self.leased - set(self.finished):
            # idle, so fetched and processed: pages whose outcome was never crossed off
            orphans = self.leased - set(self.finished)
            logger.warning("%s leased pages finished without being crossed off", len(orphans))
            self.finished.extend(orphans)
        if self.stopping:
            return
        try:
            if self._report():  # an empty Redis is no finished job: checked before acking,
                self._stop_lost()  # which would queue this node's links in it
                raise DontCloseSpider
            self._ack()
            self._give_back_strays()
            left = self.job.work_left()
        except Unreachable:
            raise DontCloseSpider from None
        if left:
            raise DontCloseSpider

    def _give_back_strays(self) -> None:
        """Idle, this node holds nothing: a lease still in Redis was taken by a call whose
        answer was lost (Redis went away mid-call), and goes back to the queue."""
        strays = self.job.release()
        if strays:
            logger.warning("Gave back %s requests leased by calls whose answer was lost", strays)

    def spider_closed(self, reason: str) -> None:
        if self._ticker.running:
            self._ticker.stop()
        state = "finished" if reason == "finished" else f"stopped: {reason}"
        try:
            self._ack()
            self._report()
            given = self.job.release(state)
        except Unreachable:
            logger.warning(
                "Node %s leaves %s leased requests in Redis: a live node gives them back to "
                "the queue once this one's heartbeat is older than the lease",
                self.job.node, len(self.leased),
            )  # fmt: skip
            return
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
        with contextlib.suppress(Unreachable):  # kept for the next tick
            self.node._ack()

    def pending(self) -> list[tuple[str, str, int]]:
        return []

    def has_pending(self) -> bool:
        try:
            return bool(self.node.job.work_left())
        except Unreachable:
            return True  # unknown until Redis answers

    def known(self) -> bool:
        return False  # start requests are yielded and Redis drops those already queued


def shared_frontier(crawler: Crawler, archive: Archive, job: str) -> Frontier | None:
    """The Redis frontier when this crawl is a node of a Redis job, else None."""
    node = crawler.get_extension(JobNode) if crawler.settings.get("ARCHIVE_REDIS_URL") else None
    return None if node is None else RedisFrontier(archive, job, node)
